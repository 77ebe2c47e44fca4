import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type LogRecord, SeverityNumber } from '@opentelemetry/api-logs';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  type ReadableLogRecord,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import { toFormatInput } from '../src/logging/formatters/toFormatInput.js';

/** Emits through a real LoggerProvider and returns what an exporter receives. */
async function emitted(records: LogRecord[], channel = 'training'): Promise<ReadableLogRecord[]> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger(channel);
  for (const r of records) logger.emit(r);
  await provider.forceFlush();
  const out = exporter.getFinishedLogRecords();
  await provider.shutdown();
  return out;
}

test('name, level, message, attributes and time of an emitted record', async () => {
  const [record] = await emitted([
    {
      timestamp: [1700000000, 123456789],
      severityNumber: SeverityNumber.WARN,
      severityText: 'WARN',
      body: 'reward plateau',
      attributes: { 'grpo.step': 3 },
    },
  ]);
  const input = toFormatInput(record!);
  assert.equal(input.name, 'training');
  assert.equal(input.levelname, 'WARNING');
  assert.equal(input.levelno, 30);
  assert.equal(input.message, 'reward plateau');
  assert.deepEqual({ ...input.attributes }, { 'grpo.step': 3 });
  assert.ok(Math.abs(input.timeMs - 1700000000123.4568) < 1e-3, String(input.timeMs));
  assert.equal(input.exception, undefined);
});

test('every OTel severity maps to its Python level', async () => {
  const cases: Array<[SeverityNumber, string, number]> = [
    [SeverityNumber.TRACE, 'DEBUG', 10],
    [SeverityNumber.DEBUG4, 'DEBUG', 10],
    [SeverityNumber.INFO, 'INFO', 20],
    [SeverityNumber.INFO3, 'INFO', 20],
    [SeverityNumber.WARN, 'WARNING', 30],
    [SeverityNumber.ERROR2, 'ERROR', 40],
    [SeverityNumber.FATAL, 'CRITICAL', 50],
    [SeverityNumber.FATAL4, 'CRITICAL', 50],
  ];
  const records = await emitted(cases.map(([severityNumber]) => ({ severityNumber, body: 'x' })));
  assert.deepEqual(
    records.map((r) => {
      const i = toFormatInput(r);
      return [i.levelname, i.levelno];
    }),
    cases.map(([, name, no]) => [name, no]),
  );
});

test('without a severity number the level comes from the severity text', async () => {
  const texts = ['warn', 'WARNING', 'fatal', 'Error', 'INFO2', 'trace', 'NOTICE', undefined];
  const records = await emitted(
    texts.map((severityText) => (severityText ? { severityText, body: 'x' } : { body: 'x' })),
  );
  assert.deepEqual(
    records.map((r) => {
      const i = toFormatInput(r);
      return `${i.levelname}/${i.levelno}`;
    }),
    ['WARNING/30', 'WARNING/30', 'CRITICAL/50', 'ERROR/40', 'INFO/20', 'DEBUG/10', 'NOTICE/0', 'NOTSET/0'],
  );
});

test('a non-string body becomes JSON, safely; no body is an empty message', async () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const bodies: LogRecord['body'][] = [
    { reward: 0.5, tags: ['a', 'b'] },
    42,
    true,
    null,
    undefined,
    cyclic as LogRecord['body'],
    { n: Number.NaN, big: 10n } as unknown as LogRecord['body'],
  ];
  const records = await emitted(bodies.map((body) => ({ body })));
  assert.deepEqual(
    records.map((r) => toFormatInput(r).message),
    [
      '{"reward":0.5,"tags":["a","b"]}',
      '42',
      'true',
      'null',
      '',
      '{"a":1,"self":"[Circular]"}',
      '{"n":"NaN","big":"10"}',
    ],
  );
});

test('exception details come from the exception.* attributes', async () => {
  const records = await emitted([
    {
      body: 'failed',
      attributes: {
        'exception.type': 'TypeError',
        'exception.message': 'x is undefined',
        'exception.stacktrace': 'TypeError: x\n  at f',
      },
    },
    { body: 'only type', attributes: { 'exception.type': 'Error' } },
    { body: 'none', attributes: { other: 1 } },
  ]);
  const [a, b, c] = records.map(toFormatInput);
  assert.deepEqual(a!.exception, {
    type: 'TypeError',
    message: 'x is undefined',
    stacktrace: 'TypeError: x\n  at f',
  });
  assert.deepEqual(b!.exception, { type: 'Error' });
  assert.equal(c!.exception, undefined);
});

test('a hand-made record with odd fields does not throw', () => {
  const odd = {
    hrTime: [Number.NaN, 0],
    hrTimeObserved: [0, 0],
    attributes: { 'exception.message': 12 },
    droppedAttributesCount: 0,
    instrumentationScope: { name: 'system' },
    resource: {},
  } as unknown as ReadableLogRecord;
  const input = toFormatInput(odd);
  assert.equal(input.name, 'system');
  assert.ok(Number.isFinite(input.timeMs));
  assert.deepEqual(input.exception, { message: '12' });
  assert.equal(input.levelname, 'NOTSET');
});
