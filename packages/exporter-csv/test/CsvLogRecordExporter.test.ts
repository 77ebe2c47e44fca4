import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CsvLogRecordExporter } from '@grpo-otel/exporter-csv';
import { ATTR_GRPO_SAMPLE_ANSWER, ATTR_GRPO_SAMPLE_QUESTION, ATTR_GRPO_STEP } from '@grpo-otel/semconv';
import { parseCsv } from '@grpo-otel/testkit/parseCsv';
import { tempDir } from '@grpo-otel/testkit/tempDir';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { fakeRecord } from './helpers/fakeRecord.js';

const COLUMNS = ['step', 'question', 'model_answer'];

function sample(i: number, text = `q${i}`): ReadableLogRecord {
  return fakeRecord({
    attributes: {
      [ATTR_GRPO_STEP]: i,
      [ATTR_GRPO_SAMPLE_QUESTION]: text,
      [ATTR_GRPO_SAMPLE_ANSWER]: `a${i}`,
    },
  });
}

function exportAsync(exporter: CsvLogRecordExporter, records: ReadableLogRecord[]): Promise<ExportResult> {
  return new Promise((resolve) => {
    let calls = 0;
    exporter.export(records, (r) => {
      calls++;
      assert.equal(calls, 1, 'callback called more than once');
      setImmediate(() => resolve(r));
    });
  });
}

test('export writes header and rows; the callback comes once, after the rows are written', async (t) => {
  const dir = tempDir(t);
  const filename = join(dir, 'out', 'model_outputs.csv');
  const exporter = new CsvLogRecordExporter({ filename, columns: COLUMNS });
  let sync = true;
  const result = new Promise<ExportResult>((resolve) =>
    exporter.export([sample(1, 'a, "b"'), sample(2)], (r) => {
      assert.equal(sync, false, 'export called back on the caller stack');
      resolve(r);
    }),
  );
  sync = false;
  assert.equal((await result).code, ExportResultCode.SUCCESS);
  assert.equal(
    readFileSync(filename, 'utf8'),
    'step,question,model_answer\r\n1,"a, ""b""",a1\r\n2,q2,a2\r\n',
  );
  await exporter.shutdown();
  assert.equal(exporter.counts.rowsAccepted, 2);
});

test('header once: a second exporter with the same columns appends without repeating it', async (t) => {
  const dir = tempDir(t);
  const filename = join(dir, 'model_outputs.csv');
  for (let run = 0; run < 3; run++) {
    const exporter = new CsvLogRecordExporter({ filename, columns: COLUMNS });
    assert.equal((await exportAsync(exporter, [sample(run)])).code, ExportResultCode.SUCCESS);
    await exporter.shutdown();
  }
  assert.deepEqual(parseCsv(readFileSync(filename, 'utf8')), [
    COLUMNS,
    ['0', 'q0', 'a0'],
    ['1', 'q1', 'a1'],
    ['2', 'q2', 'a2'],
  ]);
  assert.deepEqual(readdirSync(dir), ['model_outputs.csv']);
});

test('a different header starts a new file; the old one is renamed aside, whole', async (t) => {
  const dir = tempDir(t);
  const filename = join(dir, 'model_outputs.csv');
  const first = new CsvLogRecordExporter({ filename, columns: COLUMNS });
  await exportAsync(first, [sample(1)]);
  await first.shutdown();
  const before = readFileSync(filename, 'utf8');
  const second = new CsvLogRecordExporter({ filename, columns: ['timestamp', ...COLUMNS] });
  await exportAsync(second, [sample(2)]);
  await second.shutdown();
  assert.deepEqual(parseCsv(readFileSync(filename, 'utf8')), [
    ['timestamp', ...COLUMNS],
    ['2024-05-01T12:34:56.789Z', '2', 'q2', 'a2'],
  ]);
  const aside = readdirSync(dir).filter((n) => n !== 'model_outputs.csv');
  assert.equal(aside.length, 1);
  assert.match(aside[0]!, /^model_outputs\.csv\.\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d$/);
  assert.equal(readFileSync(join(dir, aside[0]!), 'utf8'), before);
});

test('a file torn mid-row by a crash is set aside rather than appended to', async (t) => {
  const dir = tempDir(t);
  const filename = join(dir, 'model_outputs.csv');
  writeFileSync(filename, 'step,question,model_answer\r\n1,q1,a1\r\n2,"half a ');
  const exporter = new CsvLogRecordExporter({ filename, columns: COLUMNS });
  await exportAsync(exporter, [sample(3)]);
  await exporter.shutdown();
  assert.equal(readFileSync(filename, 'utf8'), 'step,question,model_answer\r\n3,q3,a3\r\n');
  assert.equal(readdirSync(dir).length, 2);
});

test('size-based rotation: every file starts with the header, rows whole, in order, none lost among those kept', async (t) => {
  const dir = tempDir(t);
  const filename = join(dir, 'rot.csv');
  const exporter = new CsvLogRecordExporter({ filename, columns: COLUMNS, maxBytes: 2000, backupCount: 3 });
  const total = 400;
  const pending: Promise<ExportResult>[] = [];
  for (let i = 0; i < total; i += 25) {
    const batch = Array.from({ length: 25 }, (_, k) =>
      sample(i + k, `q${i + k}, with "quotes"\nand a newline`),
    );
    pending.push(exportAsync(exporter, batch));
  }
  for (const r of await Promise.all(pending)) assert.equal(r.code, ExportResultCode.SUCCESS);
  await exporter.shutdown();
  assert.ok(!existsSync(`${filename}.4`));
  const steps: number[] = [];
  for (const name of [`${filename}.3`, `${filename}.2`, `${filename}.1`, filename]) {
    const text = readFileSync(name, 'utf8');
    assert.ok(Buffer.byteLength(text) <= 2000, `${name} is over maxBytes`);
    const rows = parseCsv(text);
    assert.deepEqual(rows[0], COLUMNS, `${name} does not start with the header`);
    for (const row of rows.slice(1)) {
      const i = Number(row[0]);
      assert.deepEqual(row, [String(i), `q${i}, with "quotes"\nand a newline`, `a${i}`]);
      steps.push(i);
    }
  }
  assert.equal(steps.at(-1), total - 1);
  assert.deepEqual(
    steps,
    Array.from({ length: steps.length }, (_, k) => total - steps.length + k),
  );
});

test('forceFlush: everything exported so far is in the file', async (t) => {
  const dir = tempDir(t);
  const filename = join(dir, 'flush.csv');
  const exporter = new CsvLogRecordExporter({ filename, columns: COLUMNS });
  exporter.export([sample(1)], () => {});
  exporter.export([sample(2)], () => {});
  await exporter.forceFlush();
  assert.equal(parseCsv(readFileSync(filename, 'utf8')).length, 3);
  await exporter.shutdown();
});

test('shutdown is idempotent and flushes; export after it fails cleanly, exportSync throws', async (t) => {
  const dir = tempDir(t);
  const filename = join(dir, 'shut.csv');
  const exporter = new CsvLogRecordExporter({ filename, columns: COLUMNS });
  exporter.export([sample(1)], () => {});
  const a = exporter.shutdown();
  const b = exporter.shutdown();
  assert.equal(a, b);
  await a;
  assert.equal(parseCsv(readFileSync(filename, 'utf8')).length, 2);
  const r = await exportAsync(exporter, [sample(2)]);
  assert.equal(r.code, ExportResultCode.FAILED);
  assert.match(String(r.error?.message), /export after shutdown/);
  assert.throws(() => exporter.exportSync([sample(3)]), /export after shutdown/);
  await exporter.forceFlush();
  exporter.forceFlushSync();
  assert.equal(exporter.counts.rowsFailed, 2);
});

test('exportSync writes after what async exports queued, synchronously, in order', async (t) => {
  const dir = tempDir(t);
  const filename = join(dir, 'exit.csv');
  const exporter = new CsvLogRecordExporter({ filename, columns: COLUMNS });
  exporter.export([sample(1), sample(2)], () => {});
  exporter.forceFlushSync();
  exporter.exportSync([sample(3)]);
  exporter.forceFlushSync();
  assert.deepEqual(
    parseCsv(readFileSync(filename, 'utf8')).map((r) => r[0]),
    ['step', '1', '2', '3'],
  );
  await exporter.shutdown();
});

test('an fs error fails the export through the callback, never a throw; so does a record that is not one', async (t) => {
  const dir = tempDir(t);
  const blocker = join(dir, 'blocked');
  writeFileSync(blocker, 'a file where a directory should be');
  const filename = join(blocker, 'out.csv');
  const exporter = new CsvLogRecordExporter({ filename, columns: COLUMNS });
  const r = await exportAsync(exporter, [sample(1)]);
  assert.equal(r.code, ExportResultCode.FAILED);
  assert.ok(r.error);
  assert.equal(exporter.counts.rowsFailed, 1);
  // A record that is not a log record at all is a failed export, not an exception.
  const bad = await exportAsync(exporter, [null as unknown as ReadableLogRecord]);
  assert.equal(bad.code, ExportResultCode.FAILED);
  await exporter.shutdown();
});

test('options are validated with what was wrong', () => {
  const f = 'x.csv';
  assert.throws(
    () => new CsvLogRecordExporter({ filename: f, columns: [] }),
    /columns must be a non-empty array/,
  );
  assert.throws(
    () => new CsvLogRecordExporter({ filename: f, columns: ['a', ''] }),
    /columns\[1\] must be a non-empty string, got ""/,
  );
  assert.throws(
    () => new CsvLogRecordExporter({ filename: f, columns: ['a', 'a'] }),
    /column 'a' is listed twice/,
  );
  assert.throws(
    () =>
      new CsvLogRecordExporter({ filename: f, columns: ['a'], formulaEscape: 'yes' as unknown as boolean }),
    /formulaEscape must be true or false/,
  );
  assert.throws(
    () => new CsvLogRecordExporter({ filename: '', columns: ['a'] }),
    /^TypeError: CsvLogRecordExporter: filename must be a non-empty string/,
  );
  assert.throws(
    () => new CsvLogRecordExporter({ filename: f, columns: ['a'], maxBytes: -5 }),
    /CsvLogRecordExporter: maxBytes must be a non-negative integer, got -5/,
  );
});

test('exportSync rotates by the same rule: every file starts with the header, rows whole and in order', async (t) => {
  const dir = tempDir(t);
  const filename = join(dir, 'sync-rot.csv');
  const exporter = new CsvLogRecordExporter({ filename, columns: COLUMNS, maxBytes: 1500, backupCount: 50 });
  // Async exports still queued when the exit path starts are written first, in order.
  exporter.export([sample(0, 'queued, "async"')], () => {});
  for (let i = 1; i < 200; i += 9) {
    exporter.exportSync(Array.from({ length: 9 }, (_, k) => sample(i + k, `q${i + k}, "é"\n😀`)));
  }
  exporter.forceFlushSync();
  await exporter.shutdown();
  const names = readdirSync(dir)
    .filter((n) => /^sync-rot\.csv\.\d+$/.test(n))
    .sort((a, b) => Number(b.split('.').pop()) - Number(a.split('.').pop()));
  assert.ok(names.length > 3, 'expected several rollovers');
  const steps: string[] = [];
  for (const name of [...names, 'sync-rot.csv']) {
    const text = readFileSync(join(dir, name), 'utf8');
    assert.ok(Buffer.byteLength(text) <= 1500, `${name} is over maxBytes`);
    const rows = parseCsv(text);
    assert.deepEqual(rows[0], COLUMNS, `${name} does not start with the header`);
    for (const r of rows.slice(1)) steps.push(r[0]!);
  }
  assert.deepEqual(
    steps,
    Array.from({ length: 208 }, (_, i) => String(i)),
  );
});
