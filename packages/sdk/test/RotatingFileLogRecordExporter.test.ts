import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { type LogRecord, SeverityNumber } from '@opentelemetry/api-logs';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import {
  BatchLogRecordProcessor,
  InMemoryLogRecordExporter,
  LoggerProvider,
  type ReadableLogRecord,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import type { FormatInput, LogFormatter } from '../src/logging/formatters/FormatInput.js';
import { JsonFormatter } from '../src/logging/formatters/JsonFormatter.js';
import { RotatingFileLogRecordExporter } from '../src/logging/RotatingFileLogRecordExporter.js';

// The default formatter prints local time; pin it.
process.env.TZ = 'UTC';

const T0: [number, number] = [1700000000, 123000000]; // 2023-11-14 22:13:20.123 UTC

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-rfe-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Real SDK records, as an exporter receives them. */
async function records(items: Array<LogRecord & { channel?: string }>): Promise<ReadableLogRecord[]> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  for (const { channel, ...r } of items) provider.getLogger(channel ?? 'training').emit(r);
  await provider.forceFlush();
  const out = memory.getFinishedLogRecords();
  await provider.shutdown();
  return out;
}

function exportOnce(
  exporter: RotatingFileLogRecordExporter,
  logs: ReadableLogRecord[],
): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(logs, resolve));
}

function quietDiag(): string[] {
  const seen: string[] = [];
  const logger: DiagLogger = {
    error: (m: string) => seen.push(m),
    warn: (m: string) => seen.push(m),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return seen;
}

test('through a LoggerProvider and BatchLogRecordProcessor: forceFlush puts every record in the file', async (t) => {
  const dir = tempDir(t);
  const filename = join(dir, 'logs', 'training.log');
  const exporter = new RotatingFileLogRecordExporter({
    filename,
    maxBytes: 10 * 1024 * 1024,
    backupCount: 5,
  });
  const provider = new LoggerProvider({
    processors: [
      new BatchLogRecordProcessor({ exporter, scheduledDelayMillis: 60_000, maxExportBatchSize: 64 }),
    ],
  });
  const training = provider.getLogger('training');
  const rewards = provider.getLogger('rewards');
  training.emit({
    timestamp: T0,
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    body: 'step 1 started',
  });
  rewards.emit({ timestamp: T0, severityNumber: SeverityNumber.WARN, body: 'reward plateau\nsecond line' });
  for (let i = 0; i < 500; i++) {
    training.emit({
      timestamp: T0,
      severityNumber: SeverityNumber.DEBUG,
      body: `record ${i}`,
      attributes: { i },
    });
  }
  await provider.forceFlush();
  const lines = readFileSync(filename, 'utf8').split('\n');
  assert.equal(lines[0], '2023-11-14 22:13:20 - training - INFO - step 1 started');
  assert.equal(lines[1], '2023-11-14 22:13:20 - rewards - WARNING - reward plateau');
  assert.equal(lines[2], 'second line');
  for (let i = 0; i < 500; i++)
    assert.equal(lines[3 + i], `2023-11-14 22:13:20 - training - DEBUG - record ${i}`);
  assert.equal(lines[503], '');
  assert.equal(lines.length, 504);
  await provider.shutdown();
});

test('rotation through the exporter keeps whole JSON lines in order', async (t) => {
  const dir = tempDir(t);
  const filename = join(dir, 'app.jsonl');
  const exporter = new RotatingFileLogRecordExporter({
    filename,
    maxBytes: 2048,
    backupCount: 2,
    formatter: new JsonFormatter(),
  });
  const logs = await records(
    Array.from({ length: 300 }, (_, i) => ({ timestamp: T0, body: `msg ${i} 日本語`, attributes: { i } })),
  );
  for (let i = 0; i < logs.length; i += 25) {
    const result = await exportOnce(exporter, logs.slice(i, i + 25));
    assert.equal(result.code, ExportResultCode.SUCCESS);
  }
  await exporter.shutdown();
  assert.equal(existsSync(`${filename}.3`), false);
  const text = [`${filename}.2`, `${filename}.1`, filename].map((f) => readFileSync(f, 'utf8')).join('');
  const indices = text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l).attributes.i as number);
  assert.ok(indices.length > 10);
  assert.deepEqual(
    indices,
    Array.from({ length: indices.length }, (_, k) => 300 - indices.length + k),
  );
});

test('a formatter that throws for one record loses only that record to a minimal line', async (t) => {
  const dir = tempDir(t);
  const filename = join(dir, 'fallback.log');
  const picky: LogFormatter = {
    format(input: FormatInput): string {
      if (input.message === 'bad') throw new Error('cannot format');
      return `ok ${input.message}`;
    },
  };
  const exporter = new RotatingFileLogRecordExporter({ filename, formatter: picky });
  const logs = await records([
    { timestamp: T0, body: 'one' },
    { timestamp: T0, severityNumber: SeverityNumber.ERROR, body: 'bad', channel: 'rewards' },
    { timestamp: T0, body: 'three' },
  ]);
  const seen = quietDiag();
  try {
    const result = await exportOnce(exporter, logs);
    assert.equal(result.code, ExportResultCode.SUCCESS);
  } finally {
    diag.disable();
  }
  await exporter.forceFlush();
  assert.equal(
    readFileSync(filename, 'utf8'),
    'ok one\n2023-11-14T22:13:20.123Z ERROR rewards bad\nok three\n',
  );
  assert.equal(seen.length, 1);
  await exporter.shutdown();
});

test('an fs error is a FAILED result carrying the error, reported once; export never throws', async (t) => {
  const dir = tempDir(t);
  const blocker = join(dir, 'not-a-dir');
  writeFileSync(blocker, '');
  const exporter = new RotatingFileLogRecordExporter({ filename: join(blocker, 'x.log') });
  const logs = await records([{ body: 'x' }]);
  let calls = 0;
  const result = await new Promise<ExportResult>((resolve) => {
    exporter.export(logs, (r) => {
      calls++;
      resolve(r);
    });
  });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(calls, 1);
  assert.equal(result.code, ExportResultCode.FAILED);
  assert.ok(result.error instanceof Error);
  assert.match(String((result.error as NodeJS.ErrnoException).code), /EEXIST|ENOTDIR/);
  await exporter.shutdown();
});

test('a result callback that throws is contained and not called twice', async (t) => {
  const dir = tempDir(t);
  const exporter = new RotatingFileLogRecordExporter({ filename: join(dir, 'cb.log') });
  const logs = await records([{ body: 'x' }]);
  const seen = quietDiag();
  let calls = 0;
  try {
    await new Promise<void>((resolve) => {
      exporter.export(logs, () => {
        calls++;
        setTimeout(resolve, 20);
        throw new Error('callback bug');
      });
    });
  } finally {
    diag.disable();
  }
  assert.equal(calls, 1);
  assert.equal(seen.length, 1);
  await exporter.shutdown();
});

test('shutdown flushes first, is idempotent, and export afterwards fails cleanly', async (t) => {
  const dir = tempDir(t);
  const filename = join(dir, 'shutdown.log');
  const exporter = new RotatingFileLogRecordExporter({ filename });
  const logs = await records([{ timestamp: T0, body: 'last words' }]);
  const pending = exportOnce(exporter, logs);
  const s1 = exporter.shutdown();
  assert.equal(exporter.shutdown(), s1);
  await s1;
  assert.equal((await pending).code, ExportResultCode.SUCCESS);
  assert.equal(readFileSync(filename, 'utf8'), '2023-11-14 22:13:20 - training - NOTSET - last words\n');
  const after = await exportOnce(exporter, logs);
  assert.equal(after.code, ExportResultCode.FAILED);
  assert.match(String(after.error?.message), /export after shutdown/);
  assert.throws(() => exporter.exportSync(logs), /export after shutdown/);
  await exporter.forceFlush();
});

test('exportSync writes at once, after what earlier exports have queued', async (t) => {
  const dir = tempDir(t);
  const filename = join(dir, 'exit.log');
  const formatter: LogFormatter = { format: (i) => i.message };
  const exporter = new RotatingFileLogRecordExporter({ filename, formatter });
  const logs = await records([{ body: 'queued 1' }, { body: 'queued 2' }, { body: 'at exit' }]);
  const pending = exportOnce(exporter, logs.slice(0, 2));
  exporter.exportSync(logs.slice(2));
  exporter.forceFlushSync();
  assert.equal(readFileSync(filename, 'utf8'), 'queued 1\nqueued 2\nat exit\n');
  assert.equal((await pending).code, ExportResultCode.SUCCESS);
  await exporter.shutdown();
  assert.equal(readFileSync(filename, 'utf8'), 'queued 1\nqueued 2\nat exit\n');
});

test('forceFlush waits for exports whose callbacks have not run yet', async (t) => {
  const dir = tempDir(t);
  const filename = join(dir, 'flush.log');
  const exporter = new RotatingFileLogRecordExporter({ filename, formatter: { format: (i) => i.message } });
  const logs = await records(Array.from({ length: 50 }, (_, i) => ({ body: `r${i}` })));
  let done = false;
  exporter.export(logs, () => {
    done = true;
  });
  await exporter.forceFlush();
  assert.equal(done, true);
  assert.equal(readFileSync(filename, 'utf8').split('\n').length, 51);
  await exporter.shutdown();
});

test('options are validated', () => {
  assert.throws(() => new RotatingFileLogRecordExporter({ filename: '' }), /filename/);
  assert.throws(() => new RotatingFileLogRecordExporter({ filename: 'x.log', maxBytes: -5 }), /maxBytes/);
  assert.throws(
    () => new RotatingFileLogRecordExporter({ filename: 'x.log', formatter: {} as LogFormatter }),
    /formatter must have a format/,
  );
});
