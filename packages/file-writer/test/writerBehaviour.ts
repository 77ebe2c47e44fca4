// The behaviour of RotatingFileWriter, run once per write mode (RotatingFileWriter.test.ts: asynchronous
// writes; RotatingFileWriter.syncWrites.test.ts: `syncWrites`): both keep every rule below.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as nodeTest } from 'node:test';
import { RotatingFileWriter } from '@grpo-otel/file-writer';
import { mulberry32 } from '@grpo-otel/metrics';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-rfw-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const PIECES = ['a', 'bc', 'é', 'ß', '日本', '語', '😀', '🎉🎉', ' ', 'reward=0.25', '∑'];

/** 20k one-line records of varying length (multi-byte UTF-8 included), each naming its index. */
function makeRecords(count: number, oversized: ReadonlySet<number>, maxBytes: number): string[] {
  const next = mulberry32(42);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let body = '';
    const target = oversized.has(i) ? maxBytes + 500 : Math.floor(next() * 300);
    while (Buffer.byteLength(body) < target) body += PIECES[Math.floor(next() * PIECES.length)];
    out.push(`#${i} ${body}\n`);
  }
  return out;
}

interface FileInfo {
  name: string;
  bytes: number;
  records: string[];
}

function readRotated(filename: string, backupCount: number): FileInfo[] {
  const files: FileInfo[] = [];
  for (let k = backupCount; k >= 0; k--) {
    const name = k === 0 ? filename : `${filename}.${k}`;
    const buf = readFileSync(name);
    const text = buf.toString('utf8');
    assert.ok(text.endsWith('\n'), `${name} ends inside a record`);
    files.push({
      name,
      bytes: buf.length,
      records: text
        .slice(0, -1)
        .split('\n')
        .map((l) => `${l}\n`),
    });
  }
  return files;
}

function checkRotation(
  filename: string,
  records: string[],
  maxBytes: number,
  backupCount: number,
): FileInfo[] {
  // Exactly backupCount backups.
  assert.ok(!existsSync(`${filename}.${backupCount + 1}`), 'one backup too many');
  const files = readRotated(filename, backupCount);
  // Oldest to newest they hold a contiguous, ordered, complete tail of what was written.
  const kept = files.flatMap((f) => f.records);
  const first = records.length - kept.length;
  assert.ok(first > 0, 'nothing was rotated away');
  assert.deepEqual(
    kept,
    records.slice(first),
    'the files are not the tail of the records, whole and in order',
  );
  for (const [k, f] of files.entries()) {
    // No file above maxBytes unless it holds a single oversized record.
    if (f.bytes > maxBytes)
      assert.equal(f.records.length, 1, `${f.name} is ${f.bytes} bytes with ${f.records.length} records`);
    // A file was rolled over only when the next record did not fit.
    const following = files[k + 1];
    if (following) {
      const nextBytes = Buffer.byteLength(following.records[0]!);
      assert.ok(
        f.bytes + nextBytes > maxBytes,
        `${f.name} was rolled over with room left (${f.bytes} + ${nextBytes})`,
      );
    }
  }
  return files;
}

/** Defines every test, each writer built with `syncWrites` and each test named after the mode. */
export function writerBehaviour(syncWrites: boolean): void {
  const mode = syncWrites ? 'syncWrites' : 'async writes';
  const test = ((name: string, ...rest: unknown[]) =>
    (nodeTest as (...a: unknown[]) => unknown)(`${mode}: ${name}`, ...rest)) as typeof nodeTest;

  test('writing far past maxBytes keeps the last backupCount+1 files of whole records, in order, once each', async (t) => {
    const dir = tempDir(t);
    const filename = join(dir, 'logs', 'training.log');
    const maxBytes = 4096;
    const backupCount = 3;
    const records = makeRecords(20_000, new Set([19_970]), maxBytes);
    const writer = new RotatingFileWriter({ syncWrites, filename, maxBytes, backupCount });
    // Many write calls queued without waiting, in varying sizes: they are coalesced and must stay in order.
    const next = mulberry32(7);
    const pending: Promise<void>[] = [];
    for (let i = 0; i < records.length; ) {
      const n = 1 + Math.floor(next() * 200);
      pending.push(writer.write(records.slice(i, i + n)));
      i += n;
    }
    await Promise.all(pending);
    await writer.flush();
    const files = checkRotation(filename, records, maxBytes, backupCount);
    assert.ok(
      files.some((f) => f.records.length === 1 && f.bytes > maxBytes),
      'the oversized record should sit alone in its file',
    );
    assert.deepEqual(readdirSync(join(dir, 'logs')).sort(), [
      'training.log',
      'training.log.1',
      'training.log.2',
      'training.log.3',
    ]);
    await writer.close();
  });

  test('the synchronous path rotates by the same rule', async (t) => {
    const dir = tempDir(t);
    const filename = join(dir, 'sync.log');
    const records = makeRecords(3000, new Set([2990]), 2048);
    const writer = new RotatingFileWriter({ syncWrites, filename, maxBytes: 2048, backupCount: 2 });
    for (let i = 0; i < records.length; i += 37) writer.writeSync(records.slice(i, i + 37));
    writer.flushSync();
    checkRotation(filename, records, 2048, 2);
    await writer.close();
  });

  test('backupCount 0 never rolls over, however large the file grows', async (t) => {
    const dir = tempDir(t);
    const filename = join(dir, 'no-backups.log');
    const records = makeRecords(2000, new Set(), 100);
    const writer = new RotatingFileWriter({ syncWrites, filename, maxBytes: 100, backupCount: 0 });
    await writer.write(records);
    await writer.close();
    assert.deepEqual(readdirSync(dir), ['no-backups.log']);
    assert.equal(readFileSync(filename, 'utf8'), records.join(''));
  });

  test('maxBytes 0 never rolls over', async (t) => {
    const dir = tempDir(t);
    const filename = join(dir, 'unbounded.log');
    const records = makeRecords(2000, new Set(), 100);
    const writer = new RotatingFileWriter({ syncWrites, filename, maxBytes: 0, backupCount: 3 });
    for (const r of records) void writer.write([r]);
    await writer.close();
    assert.deepEqual(readdirSync(dir), ['unbounded.log']);
    assert.equal(readFileSync(filename, 'utf8'), records.join(''));
  });

  test('appends to an existing file and counts its size toward maxBytes', async (t) => {
    const dir = tempDir(t);
    const filename = join(dir, 'existing.log');
    writeFileSync(filename, `${'x'.repeat(999)}\n`);
    const writer = new RotatingFileWriter({ syncWrites, filename, maxBytes: 1100, backupCount: 1 });
    await writer.write([`${'y'.repeat(49)}\n`]);
    assert.equal(readFileSync(filename, 'utf8'), `${'x'.repeat(999)}\n${'y'.repeat(49)}\n`);
    await writer.write([`${'z'.repeat(99)}\n`]);
    await writer.close();
    assert.equal(readFileSync(`${filename}.1`, 'utf8'), `${'x'.repeat(999)}\n${'y'.repeat(49)}\n`);
    assert.equal(readFileSync(filename, 'utf8'), `${'z'.repeat(99)}\n`);
  });

  test('a file can reach exactly maxBytes; one byte more rolls over', async (t) => {
    const dir = tempDir(t);
    const filename = join(dir, 'exact.log');
    const writer = new RotatingFileWriter({ syncWrites, filename, maxBytes: 10, backupCount: 1 });
    await writer.write(['1234\n', '6789\n']);
    assert.equal(statSync(filename).size, 10);
    await writer.write(['a\n']);
    await writer.close();
    assert.equal(readFileSync(`${filename}.1`, 'utf8'), '1234\n6789\n');
    assert.equal(readFileSync(filename, 'utf8'), 'a\n');
  });

  test('creates parent directories and files with mode 0o640 (before the umask)', async (t) => {
    const dir = tempDir(t);
    const filename = join(dir, 'a', 'b', 'c.log');
    const writer = new RotatingFileWriter({ syncWrites, filename });
    await writer.write(['hello\n']);
    await writer.close();
    const umask = process.umask();
    assert.equal(statSync(filename).mode & 0o777, 0o640 & ~umask);
    const custom = join(dir, 'custom.log');
    const w2 = new RotatingFileWriter({ syncWrites, filename: custom, mode: 0o600 });
    await w2.write(['x\n']);
    await w2.close();
    assert.equal(statSync(custom).mode & 0o777, 0o600 & ~umask);
  });

  test('an fs error rejects the write with that error; a later write opens the file again', async (t) => {
    const dir = tempDir(t);
    const blocker = join(dir, 'blocked');
    writeFileSync(blocker, 'a file where a directory should be');
    const filename = join(blocker, 'app.log');
    const writer = new RotatingFileWriter({ syncWrites, filename });
    await assert.rejects(writer.write(['lost\n']), (err: NodeJS.ErrnoException) => {
      assert.ok(err.code === 'EEXIST' || err.code === 'ENOTDIR', String(err.code));
      return true;
    });
    assert.throws(
      () => writer.writeSync(['lost too\n']),
      (err: NodeJS.ErrnoException) => err.code === 'EEXIST' || err.code === 'ENOTDIR',
    );
    rmSync(blocker);
    await writer.write(['kept\n']);
    await writer.close();
    assert.equal(readFileSync(filename, 'utf8'), 'kept\n');
  });

  test('close is idempotent; writes after it reject clearly; flush after it resolves', async (t) => {
    const dir = tempDir(t);
    const filename = join(dir, 'closed.log');
    const writer = new RotatingFileWriter({ syncWrites, filename });
    const w = writer.write(['before close\n']);
    const c1 = writer.close();
    const c2 = writer.close();
    assert.equal(c1, c2);
    await Promise.all([w, c1]);
    await assert.rejects(writer.write(['after\n']), /closed; write\(\) after close\(\)/);
    assert.throws(() => writer.writeSync(['after\n']), /closed/);
    await writer.flush();
    writer.flushSync();
    assert.equal(readFileSync(filename, 'utf8'), 'before close\n');
  });

  test('writeSync first writes what the async path has queued and not written, then its own records', async (t) => {
    const dir = tempDir(t);
    const filename = join(dir, 'exit.log');
    const writer = new RotatingFileWriter({ syncWrites, filename, maxBytes: 1 << 20, backupCount: 1 });
    const a = writer.write(['a\n', 'b\n']);
    const c = writer.write(['c\n']);
    writer.writeSync(['d\n']);
    assert.equal(readFileSync(filename, 'utf8'), 'a\nb\nc\nd\n');
    await Promise.all([a, c]);
    // The async path goes on with the file the sync path opened.
    await writer.write(['e\n']);
    writer.flushSync();
    await writer.close();
    writer.flushSync();
    assert.equal(readFileSync(filename, 'utf8'), 'a\nb\nc\nd\ne\n');
  });

  test('special files are written to but never rolled over', { skip: !existsSync('/dev/null') }, async () => {
    const writer = new RotatingFileWriter({
      syncWrites,
      filename: '/dev/null',
      maxBytes: 10,
      backupCount: 2,
    });
    await writer.write(Array.from({ length: 100 }, (_, i) => `line ${i}\n`));
    writer.writeSync(['sync line that is longer than ten bytes\n']);
    await writer.close();
  });

  test('options are validated with what was wrong', () => {
    assert.throws(
      () => new RotatingFileWriter({ syncWrites, filename: '' }),
      /filename must be a non-empty string/,
    );
    assert.throws(
      () => new RotatingFileWriter({ syncWrites, filename: 'x', maxBytes: -1 }),
      /maxBytes must be a non-negative integer, got -1/,
    );
    assert.throws(
      () => new RotatingFileWriter({ syncWrites, filename: 'x', backupCount: 1.5 }),
      /backupCount must be a non-negative integer/,
    );
    assert.throws(
      () => new RotatingFileWriter({ syncWrites, filename: 'x', maxBytes: Number.NaN }),
      /maxBytes/,
    );
    assert.throws(
      () => new RotatingFileWriter({ syncWrites, filename: 'x', mode: 0o10000 }),
      /mode must be permission bits/,
    );
  });

  // ---------------------------------------------------------------------------------------- header

  const HEADER = 'index,body\r\n';

  function asideFiles(dir: string, base: string): string[] {
    return readdirSync(dir)
      .filter((n) => n.startsWith(`${base}.`) && !/\.\d+$/.test(n))
      .sort();
  }

  test('header: starts a new file; a second writer appending to the same file does not repeat it', async (t) => {
    const dir = tempDir(t);
    const filename = join(dir, 'out.csv');
    const w1 = new RotatingFileWriter({ syncWrites, filename, header: HEADER });
    await w1.write(['1,a\r\n', '2,b\r\n']);
    await w1.close();
    assert.equal(readFileSync(filename, 'utf8'), `${HEADER}1,a\r\n2,b\r\n`);
    const w2 = new RotatingFileWriter({ syncWrites, filename, header: HEADER });
    await w2.write(['3,c\r\n']);
    await w2.close();
    const w3 = new RotatingFileWriter({ syncWrites, filename, header: HEADER });
    w3.writeSync(['4,d\r\n']);
    w3.flushSync();
    await w3.close();
    assert.equal(readFileSync(filename, 'utf8'), `${HEADER}1,a\r\n2,b\r\n3,c\r\n4,d\r\n`);
    assert.deepEqual(readdirSync(dir), ['out.csv']);
  });

  test('header: nothing is written (not even the header) until the first record', async (t) => {
    const dir = tempDir(t);
    const filename = join(dir, 'lazy.csv');
    const w = new RotatingFileWriter({ syncWrites, filename, header: HEADER });
    await w.flush();
    assert.ok(!existsSync(filename));
    await w.write([]);
    await w.close();
    // An empty file (opened, nothing to write) gets the header with its first record later.
    const w2 = new RotatingFileWriter({ syncWrites, filename, header: HEADER });
    await w2.write(['1,a\r\n']);
    await w2.close();
    assert.equal(readFileSync(filename, 'utf8'), `${HEADER}1,a\r\n`);
  });

  test('header: a file with a different first line is renamed aside (kept whole) and a new file started', async (t) => {
    const dir = tempDir(t);
    const filename = join(dir, 'out.csv');
    const old = 'index,other\r\n1,x\r\n';
    writeFileSync(filename, old);
    const w = new RotatingFileWriter({
      syncWrites,
      filename,
      header: HEADER,
      maxBytes: 1000,
      backupCount: 2,
    });
    await w.write(['1,a\r\n']);
    await w.close();
    assert.equal(readFileSync(filename, 'utf8'), `${HEADER}1,a\r\n`);
    const aside = asideFiles(dir, 'out.csv');
    assert.equal(aside.length, 1);
    assert.match(aside[0]!, /^out\.csv\.\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d$/);
    assert.equal(readFileSync(join(dir, aside[0]!), 'utf8'), old);
    // The sync path does the same; a name taken in the same second gets _2.
    const third = 'index,third\r\n';
    const w2 = new RotatingFileWriter({ syncWrites, filename, header: third });
    w2.writeSync(['9,z\r\n']);
    await w2.close();
    assert.equal(readFileSync(filename, 'utf8'), `${third}9,z\r\n`);
    const aside2 = asideFiles(dir, 'out.csv');
    assert.equal(aside2.length, 2);
    const contents = aside2.map((n) => readFileSync(join(dir, n), 'utf8')).sort();
    assert.deepEqual(contents, [old, `${HEADER}1,a\r\n`].sort());
    // Rollover never touches files set aside.
    assert.ok(!existsSync(`${filename}.1`));
  });

  test('header: a file whose last record is torn, or shorter than the header, is set aside too', async (t) => {
    for (const [label, content] of [
      ['torn last row', `${HEADER}1,a\r\n2,"b`],
      ['torn before CR LF', `${HEADER}1,a\r`],
      ['torn header', HEADER.slice(0, 4)],
      ['header with another line ending', 'index,body\n1,a\n'],
    ] as const) {
      const dir = tempDir(t);
      const filename = join(dir, 'out.csv');
      writeFileSync(filename, content);
      const w = new RotatingFileWriter({ syncWrites, filename, header: HEADER });
      if (label.startsWith('torn b')) w.writeSync(['3,c\r\n']);
      else await w.write(['3,c\r\n']);
      await w.close();
      assert.equal(readFileSync(filename, 'utf8'), `${HEADER}3,c\r\n`, label);
      const aside = asideFiles(dir, 'out.csv');
      assert.equal(aside.length, 1, label);
      assert.equal(readFileSync(join(dir, aside[0]!), 'utf8'), content, label);
    }
  });

  test('header: every rotated file starts with it once, counts it toward maxBytes, records whole and in order', async (t) => {
    for (const sync of [false, true]) {
      const dir = tempDir(t);
      const filename = join(dir, 'rot.csv');
      const maxBytes = 2048;
      const backupCount = 4;
      const header = 'index,body 😀\n';
      const records = makeRecords(3000, new Set([2985]), maxBytes);
      const w = new RotatingFileWriter({ syncWrites, filename, maxBytes, backupCount, header });
      if (sync) {
        for (let i = 0; i < records.length; i += 41) w.writeSync(records.slice(i, i + 41));
        w.flushSync();
      } else {
        const pending: Promise<void>[] = [];
        for (let i = 0; i < records.length; i += 53) pending.push(w.write(records.slice(i, i + 53)));
        await Promise.all(pending);
      }
      await w.close();
      const kept: string[] = [];
      let sawOversized = false;
      for (let k = backupCount; k >= 0; k--) {
        const name = k === 0 ? filename : `${filename}.${k}`;
        const buf = readFileSync(name);
        const text = buf.toString('utf8');
        assert.ok(text.startsWith(header), `${name} does not start with the header`);
        const body = text.slice(header.length);
        assert.ok(!body.includes(header), `${name} repeats the header`);
        const recs = body
          .slice(0, -1)
          .split('\n')
          .map((l) => `${l}\n`);
        if (buf.length > maxBytes) {
          assert.equal(recs.length, 1, `${name} is over maxBytes with ${recs.length} records`);
          sawOversized = true;
        }
        kept.push(...recs);
      }
      assert.ok(sawOversized, 'the oversized record should sit alone (after the header) in its file');
      assert.deepEqual(kept, records.slice(records.length - kept.length), `sync=${sync}`);
    }
  });

  test('header: a special file gets it when opened', { skip: !existsSync('/dev/null') }, async () => {
    const w = new RotatingFileWriter({
      syncWrites,
      filename: '/dev/null',
      header: HEADER,
      maxBytes: 10,
      backupCount: 1,
    });
    await w.write(['1,a\r\n']);
    w.writeSync(['2,b\r\n']);
    await w.close();
  });

  test('header option is validated', () => {
    assert.throws(
      () => new RotatingFileWriter({ syncWrites, filename: 'x', header: '' }),
      /header must be a non-empty string/,
    );
    assert.throws(
      () => new RotatingFileWriter({ syncWrites, filename: 'x', header: 3 as unknown as string }),
      /header must be a non-empty string/,
    );
  });

  test('a file removed with its directory while open is recreated on the next write (header first)', async (t) => {
    const dir = join(tempDir(t), 'logs');
    const filename = join(dir, 'out.csv');
    const reasons: string[] = [];
    const w = new RotatingFileWriter({
      syncWrites,
      filename,
      header: 'a,b\r\n',
      onReopen: (r) => reasons.push(r),
    });
    await w.write(['1,2\r\n']);
    rmSync(dir, { recursive: true });
    await w.write(['3,4\r\n']);
    await w.close();
    assert.deepEqual(reasons, ['removed']);
    assert.equal(readFileSync(filename, 'utf8'), 'a,b\r\n3,4\r\n');
  });

  test('a file replaced at its path while open: writing goes on in the new file', async (t) => {
    const filename = join(tempDir(t), 'out.log');
    const reasons: string[] = [];
    const w = new RotatingFileWriter({ syncWrites, filename, onReopen: (r) => reasons.push(r) });
    await w.write(['one\n']);
    rmSync(filename);
    writeFileSync(filename, 'other\n');
    await w.write(['two\n']);
    await w.close();
    assert.deepEqual(reasons, ['replaced']);
    assert.equal(readFileSync(filename, 'utf8'), 'other\ntwo\n');
  });

  test('a write that fails (ENOSPC on /dev/full) rejects; the next one, the fault cleared, succeeds', async (t) => {
    const filename = join(tempDir(t), 'out.log');
    symlinkSync('/dev/full', filename);
    const w = new RotatingFileWriter({ syncWrites, filename });
    await assert.rejects(w.write(['lost\n']), { code: 'ENOSPC' });
    rmSync(filename);
    await w.write(['kept\n']);
    await w.close();
    assert.equal(readFileSync(filename, 'utf8'), 'kept\n');
  });

  test('dirMode: directories created with the given permission bits (before the umask)', async (t) => {
    const dir = join(tempDir(t), 'a', 'b');
    const w = new RotatingFileWriter({
      syncWrites,
      filename: join(dir, 'x.log'),
      dirMode: 0o700,
      mode: 0o600,
    });
    await w.write(['x\n']);
    await w.close();
    const umask = process.umask();
    assert.equal(statSync(dir).mode & 0o777, 0o700 & ~umask);
    assert.equal(statSync(join(dir, '..')).mode & 0o777, 0o700 & ~umask);
    assert.equal(statSync(join(dir, 'x.log')).mode & 0o777, 0o600 & ~umask);
    assert.throws(
      () => new RotatingFileWriter({ syncWrites, filename: 'x', dirMode: 0o10000 }),
      /dirMode must be permission bits/,
    );
  });
}
