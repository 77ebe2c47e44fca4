// The lifecycle FileLogRecordExporter gives its subclasses (the CSV and rotating-file exporters), on a
// minimal subclass writing each record's body as a line, with real files and real fs failures.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  type FileExporterFileOptions,
  type FileExportFailure,
  FileLogRecordExporter,
  type FileRecord,
} from '@grpo-otel/file-writer';
import { tempDir } from '@grpo-otel/testkit/tempDir';
import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  type ReadableLogRecord,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';

class LinesExporter extends FileLogRecordExporter {
  readonly accepted: number[] = [];
  readonly failed: [number, FileExportFailure, string][] = [];
  failEncode = false;

  constructor(options: FileExporterFileOptions, header?: string) {
    super('LinesExporter', options, header);
  }

  protected encode(logs: readonly ReadableLogRecord[]): FileRecord[] {
    if (this.failEncode) throw new Error('cannot encode');
    return logs.map((l) => `${String(l.body)}\n`);
  }

  protected override onAccepted(count: number): void {
    this.accepted.push(count);
  }

  protected override onFailed(count: number, err: unknown, where: FileExportFailure): void {
    this.failed.push([count, where, err instanceof Error ? err.message : String(err)]);
  }
}

/** Real SDK records with the given bodies, as an exporter receives them. */
async function records(...bodies: string[]): Promise<ReadableLogRecord[]> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  for (const body of bodies) provider.getLogger('test').emit({ body });
  await provider.forceFlush();
  const out = memory.getFinishedLogRecords();
  await provider.shutdown();
  return out;
}

function exportOnce(exporter: FileLogRecordExporter, logs: ReadableLogRecord[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(logs, resolve));
}

function captureDiag(t: { after(fn: () => void): void }): string[] {
  const seen: string[] = [];
  const logger: DiagLogger = {
    error: (m: string) => seen.push(`error: ${m}`),
    warn: (m: string) => seen.push(`warn: ${m}`),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  t.after(() => diag.disable());
  return seen;
}

test('export writes the encoded batch after the header, counts it accepted and calls back once with SUCCESS', async (t) => {
  const filename = join(tempDir(t, 'grpo-fle-'), 'sub', 'out.txt');
  const exporter = new LinesExporter({ filename }, 'header\n');
  const calls: ExportResult[] = [];
  await new Promise<void>((resolve) =>
    exporter.export([], (r) => {
      calls.push(r);
      resolve();
    }),
  );
  assert.equal((await exportOnce(exporter, await records('a', 'b'))).code, ExportResultCode.SUCCESS);
  await exporter.shutdown();
  assert.equal(readFileSync(filename, 'utf8'), 'header\na\nb\n');
  assert.deepEqual(
    calls.map((c) => c.code),
    [ExportResultCode.SUCCESS],
  );
  assert.deepEqual(exporter.accepted, [0, 2]);
  assert.deepEqual(exporter.failed, []);
  assert.equal(exporter.filename, filename);
});

test('a result callback that throws is reported through diag, not thrown, and not called again', async (t) => {
  const seen = captureDiag(t);
  const exporter = new LinesExporter({ filename: join(tempDir(t, 'grpo-fle-'), 'out.txt') });
  let calls = 0;
  const logs = await records('a');
  assert.doesNotThrow(() =>
    exporter.export(logs, () => {
      calls++;
      throw new Error('callback failed');
    }),
  );
  await exporter.forceFlush();
  await new Promise((r) => setImmediate(r));
  assert.equal(calls, 1);
  assert.ok(
    seen.some((m) => m === 'error: LinesExporter: the export result callback threw'),
    seen.join('\n'),
  );
  await exporter.shutdown();
});

test('an encode failure fails the batch as a whole, counted where it happened, and writes nothing', async (t) => {
  const filename = join(tempDir(t, 'grpo-fle-'), 'out.txt');
  const exporter = new LinesExporter({ filename });
  exporter.failEncode = true;
  const result = await exportOnce(exporter, await records('a', 'b', 'c'));
  assert.equal(result.code, ExportResultCode.FAILED);
  assert.equal(result.error?.message, 'cannot encode');
  assert.deepEqual(exporter.failed, [[3, 'encode', 'cannot encode']]);
  assert.deepEqual(exporter.accepted, []);
  assert.throws(() => exporter.exportSync([]), /cannot encode/);
  assert.deepEqual(exporter.failed.at(-1), [0, 'encode', 'cannot encode']);
  await exporter.shutdown();
  assert.equal(existsSync(filename), false);
});

test('a failing write (the parent "directory" is a file) fails the batch and counts it after accepting it', async (t) => {
  const dir = tempDir(t, 'grpo-fle-');
  writeFileSync(join(dir, 'not-a-dir'), 'x');
  const exporter = new LinesExporter({ filename: join(dir, 'not-a-dir', 'out.txt') });
  const result = await exportOnce(exporter, await records('a', 'b'));
  assert.equal(result.code, ExportResultCode.FAILED);
  assert.match(result.error?.message ?? '', /ENOTDIR|EEXIST/);
  assert.deepEqual(exporter.accepted, [2]);
  assert.equal(exporter.failed.length, 1);
  assert.deepEqual(exporter.failed[0]!.slice(0, 2), [2, 'write']);
  const more = await records('c');
  assert.throws(() => exporter.exportSync(more), /ENOTDIR|EEXIST/);
  assert.deepEqual(exporter.failed[1]!.slice(0, 2), [1, 'write']);
  await exporter.shutdown().catch(() => {});
});

test('shutdown is idempotent and flushes; afterwards export and exportSync fail and count the records', async (t) => {
  const filename = join(tempDir(t, 'grpo-fle-'), 'out.txt');
  const exporter = new LinesExporter({ filename });
  exporter.export(await records('a'), () => {});
  const first = exporter.shutdown();
  assert.equal(exporter.shutdown(), first);
  await first;
  assert.equal(readFileSync(filename, 'utf8'), 'a\n');
  const result = await exportOnce(exporter, await records('b', 'c'));
  assert.equal(result.code, ExportResultCode.FAILED);
  assert.equal(result.error?.message, `LinesExporter(${filename}): export after shutdown`);
  assert.throws(() => exporter.exportSync([]), /export after shutdown/);
  assert.deepEqual(
    exporter.failed.map(([n, where]) => [n, where]),
    [
      [2, 'shutdown'],
      [0, 'shutdown'],
    ],
  );
  assert.equal(readFileSync(filename, 'utf8'), 'a\n');
});

test('exportSync writes before returning, after what earlier exports queued', async (t) => {
  const filename = join(tempDir(t, 'grpo-fle-'), 'out.txt');
  const exporter = new LinesExporter({ filename });
  exporter.export(await records('async'), () => {});
  exporter.exportSync(await records('sync'));
  exporter.forceFlushSync();
  assert.equal(readFileSync(filename, 'utf8'), 'async\nsync\n');
  assert.deepEqual(exporter.accepted, [1, 1]);
  await exporter.shutdown();
});

test("the writer's option errors come under the exporter's name", () => {
  assert.throws(
    () => new LinesExporter({ filename: 'x.txt', maxBytes: -1 }),
    (err: Error) => err.message.startsWith('LinesExporter:') && !err.message.includes('RotatingFileWriter'),
  );
});

test('a batch that is not an array fails with a TypeError naming the exporter, and nothing is written', async (t) => {
  const filename = join(tempDir(t, 'grpo-fle-'), 'out.txt');
  const exporter = new LinesExporter({ filename });
  const notLogs = { length: 1, 0: 'x' } as unknown as ReadableLogRecord[];
  const result = await exportOnce(exporter, notLogs);
  assert.equal(result.code, ExportResultCode.FAILED);
  assert.ok(result.error instanceof TypeError);
  assert.equal(
    result.error.message,
    `LinesExporter(${filename}): export takes an array of log records, got object`,
  );
  assert.throws(() => exporter.exportSync(notLogs), TypeError);
  assert.deepEqual(
    exporter.failed.map(([n, where]) => [n, where]),
    [
      [0, 'encode'],
      [0, 'encode'],
    ],
  );
  assert.deepEqual(exporter.accepted, []);
  await exporter.shutdown();
  assert.equal(existsSync(filename), false);
});
