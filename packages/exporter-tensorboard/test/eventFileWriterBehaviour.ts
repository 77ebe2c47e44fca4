// The behaviour of EventFileWriter, run once per write mode (EventFileWriter.test.ts: the thread pool;
// EventFileWriter.syncWrites.test.ts: `syncWrites`): both keep every rule below.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as nodeTest } from 'node:test';
import { EventFileWriter, parseEventFile } from '@grpo-otel/exporter-tensorboard';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-tb-writer-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const scalar = (step: number, value: number) => ({
  wallTime: 1000 + step,
  step,
  summary: [{ tag: 'loss', simpleValue: value }],
});

function readRun(dir: string) {
  return readdirSync(dir)
    .sort()
    .map((f) => parseEventFile(readFileSync(join(dir, f)), f));
}

/** Defines every test, each writer built with `syncWrites` and each test named after the mode. */
export function eventFileWriterBehaviour(syncWrites: boolean): void {
  const mode = syncWrites ? 'syncWrites' : 'async writes';
  const test = ((name: string, ...rest: unknown[]) =>
    (nodeTest as (...a: unknown[]) => unknown)(`${mode}: ${name}`, ...rest)) as typeof nodeTest;

  test('EventFileWriter: file name, file_version first, then every event in order', async (t) => {
    const dir = join(tempDir(t), 'logs', 'run-a');
    const w = new EventFileWriter({ syncWrites, dir });
    for (let i = 0; i < 100; i++) assert.equal(w.write(scalar(i, i / 10)), true);
    await w.close();
    const names = readdirSync(dir);
    assert.equal(names.length, 1);
    const host = hostname().replace(/[/\\\0]/g, '_');
    assert.match(
      names[0]!,
      new RegExp(
        `^events\\.out\\.tfevents\\.\\d{10}\\.${host.replace(/\./g, '\\.')}\\.${process.pid}\\.\\d+$`,
      ),
    );
    assert.deepEqual(w.files, [join(dir, names[0]!)]);
    const [file] = readRun(dir);
    assert.deepEqual(file!.issues, []);
    assert.equal(file!.events[0]!.event.fileVersion, 'brain.Event:2');
    const steps = file!.events.slice(1).map((e) => e.event.step);
    assert.deepEqual(
      steps,
      Array.from({ length: 100 }, (_, i) => i),
    );
    assert.equal(w.stats.records, 100);
    assert.equal(w.stats.bytesWritten, statSync(join(dir, names[0]!)).size);
  });

  test('EventFileWriter: the run directory and an event file exist before the first event', async (t) => {
    const dir = join(tempDir(t), 'r');
    const w = new EventFileWriter({ syncWrites, dir });
    await w.flush();
    const [file] = readRun(dir);
    assert.equal(file!.events.length, 1);
    assert.equal(file!.events[0]!.event.fileVersion, 'brain.Event:2');
    await w.close();
  });

  test('EventFileWriter: rolls over to new file names by size; whole records only; names sort in write order', async (t) => {
    const dir = tempDir(t);
    const w = new EventFileWriter({ syncWrites, dir, maxFileBytes: 1000 });
    for (let i = 0; i < 300; i++) w.write(scalar(i, i));
    await w.close();
    const files = readRun(dir);
    assert.ok(files.length >= 10, `expected many files, got ${files.length}`);
    assert.deepEqual(
      w.files.map((f) => f.slice(dir.length + 1)),
      files.map((f) => f.path),
      'files listed in write order equal the lexical order',
    );
    const steps: number[] = [];
    for (const f of files) {
      assert.deepEqual(f.issues, []);
      assert.equal(f.events[0]!.event.fileVersion, 'brain.Event:2', `${f.path} starts with file_version`);
      assert.ok(statSync(join(dir, f.path)).size <= 1000, `${f.path} stays within maxFileBytes`);
      for (const e of f.events.slice(1)) steps.push(e.event.step);
    }
    assert.deepEqual(
      steps,
      Array.from({ length: 300 }, (_, i) => i),
    );
  });

  test('EventFileWriter: a record larger than maxFileBytes goes alone into a fresh file', async (t) => {
    const dir = tempDir(t);
    const w = new EventFileWriter({ syncWrites, dir, maxFileBytes: 200 });
    w.write(scalar(1, 1));
    w.write({ wallTime: 1, step: 2, summary: [{ tag: 'x'.repeat(500), simpleValue: 2 }] });
    w.write(scalar(3, 3));
    await w.close();
    const files = readRun(dir);
    assert.deepEqual(
      files.map((f) => f.events.slice(1).map((e) => e.event.step)),
      [[1], [2], [3]],
    );
  });

  test('EventFileWriter: close() is idempotent; later writes are dropped and counted', async (t) => {
    const w = new EventFileWriter({ syncWrites, dir: tempDir(t) });
    w.write(scalar(0, 0));
    const a = w.close();
    assert.equal(w.close(), a);
    await a;
    assert.equal(w.write(scalar(1, 1)), false);
    assert.equal(w.stats.droppedRecords, 1);
    await w.flush();
    w.flushSync();
  });

  test('EventFileWriter: records beyond maxQueuedBytes are dropped and counted, never buffered without bound', async (t) => {
    const dir = tempDir(t);
    const w = new EventFileWriter({ syncWrites, dir, maxQueuedBytes: 1000 });
    let accepted = 0;
    for (let i = 0; i < 200; i++) if (w.write(scalar(i, i))) accepted++;
    assert.ok(accepted < 200 && accepted > 10, `accepted ${accepted}`);
    assert.equal(w.stats.droppedRecords, 200 - accepted);
    await w.close();
    const [file] = readRun(dir);
    assert.equal(file!.events.length - 1, accepted);
  });

  test('EventFileWriter: write() returns before any I/O; flush() resolves once written and synced', async (t) => {
    const dir = tempDir(t);
    const w = new EventFileWriter({ syncWrites, dir });
    await w.flush();
    const before = statSync(w.path).size;
    w.write(scalar(5, 5));
    assert.equal(statSync(w.path).size, before, 'nothing written on the caller stack');
    await w.flush();
    assert.ok(statSync(w.path).size > before);
    await w.close();
  });

  test('EventFileWriter: flushSync writes everything accepted, in order, even while async writes are in flight', async (t) => {
    const dir = tempDir(t);
    const w = new EventFileWriter({ syncWrites, dir, maxFileBytes: 4000 });
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 50; i++) w.write(scalar(round * 50 + i, i));
      // Let the async path start some writes, then take over synchronously.
      if (round % 3 === 0) await new Promise((r) => setImmediate(r));
      if (round % 5 === 4) w.flushSync();
    }
    w.flushSync();
    const steps = readRun(dir).flatMap((f) => {
      assert.deepEqual(f.issues, []);
      return f.events.slice(1).map((e) => e.event.step);
    });
    assert.deepEqual(
      steps,
      Array.from({ length: 1000 }, (_, i) => i),
    );
    await w.close();
    const again = readRun(dir).flatMap((f) => f.events.slice(1).map((e) => e.event.step));
    assert.equal(again.length, 1000, 'nothing written twice');
  });

  test('EventFileWriter: flushSync right after construction creates the file synchronously', (t) => {
    const dir = tempDir(t);
    const w = new EventFileWriter({ syncWrites, dir });
    w.write(scalar(1, 1));
    w.flushSync();
    const [file] = readRun(dir);
    assert.deepEqual(
      file!.events.map((e) => e.event.fileVersion ?? e.event.step),
      ['brain.Event:2', 1],
    );
    return w.close();
  });

  test('EventFileWriter: an unwritable directory fails the records, reports them, never throws from write', async (t) => {
    const base = tempDir(t);
    writeFileSync(join(base, 'file'), '');
    const w = new EventFileWriter({ syncWrites, dir: join(base, 'file', 'run') }); // ENOTDIR
    assert.equal(w.write(scalar(1, 1)), true);
    await w.flush();
    await w.close();
    assert.equal(w.stats.failedRecords, 1);
    assert.equal(w.stats.bytesWritten, 0);
  });

  test('EventFileWriter: options are validated', () => {
    assert.throws(() => new EventFileWriter({ syncWrites, dir: '' }), /dir must be a non-empty string/);
    assert.throws(() => new EventFileWriter({ syncWrites, dir: '/tmp/x', maxFileBytes: -1 }), /maxFileBytes/);
    assert.throws(
      () => new EventFileWriter({ syncWrites, dir: '/tmp/x', filenameSuffix: 'a/b' }),
      /filenameSuffix/,
    );
  });

  test('EventFileWriter: its directory removed while open: reported (ENOENT) and recreated, later events kept', async (t) => {
    const dir = join(tempDir(t), 'logs', 'run');
    const errors: { code: string | undefined; records: number }[] = [];
    let recovered = 0;
    const w = new EventFileWriter({
      syncWrites,
      dir,
      onError: (e, records) => errors.push({ code: (e as NodeJS.ErrnoException).code, records }),
      onRecover: () => recovered++,
    });
    for (let i = 0; i < 10; i++) w.write(scalar(i, i));
    await w.flush();
    rmSync(join(dir, '..'), { recursive: true });
    // The writer looks for its file at most every 200 ms.
    await new Promise((r) => setTimeout(r, 250));
    for (let i = 10; i < 20; i++) w.write(scalar(i, i));
    await w.close();
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.code, 'ENOENT');
    assert.equal(recovered, 1);
    const files = readRun(dir);
    assert.equal(files.length, 1, 'one new event file in the recreated directory');
    assert.deepEqual(files[0]!.issues, []);
    assert.deepEqual(
      files[0]!.events.slice(1).map((e) => Number(e.event.step)),
      Array.from({ length: 10 }, (_, i) => 10 + i),
    );
    assert.equal(w.stats.failedRecords, errors[0]!.records);
  });
}
