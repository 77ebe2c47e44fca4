import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { LoggerProvider, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { DropCounter } from '../src/internal/DropCounter.js';
import { LocalSinkProcessor, type SyncLogRecordExporter } from '../src/logging/LocalSinkProcessor.js';

/** A small local exporter: records what it gets; fails while `failing` is set. */
class FakeExporter implements SyncLogRecordExporter {
  batches: string[][] = [];
  sync: string[] = [];
  failing = false;
  shutdowns = 0;
  export(records: ReadableLogRecord[], cb: (r: ExportResult) => void): void {
    if (this.failing) {
      cb({ code: ExportResultCode.FAILED, error: new Error('disk full') });
      return;
    }
    this.batches.push(records.map((r) => String(r.body)));
    cb({ code: ExportResultCode.SUCCESS });
  }
  exportSync(records: readonly ReadableLogRecord[]): void {
    this.sync.push(...records.map((r) => String(r.body)));
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {
    this.shutdowns++;
  }
}

function setup(options: { maxQueueSize?: number; flushIntervalMs?: number } = {}) {
  const exporter = new FakeExporter();
  const drops = new DropCounter();
  const sink = new LocalSinkProcessor(exporter, {
    name: 'file',
    flushIntervalMs: options.flushIntervalMs ?? 60_000,
    maxQueueSize: options.maxQueueSize ?? 100,
    maxExportBatchSize: 10,
    drops,
  });
  const logger = new LoggerProvider({ processors: [sink] }).getLogger('training');
  return { exporter, drops, sink, emit: (body: string) => logger.emit({ body }) };
}

test('onEmit only queues; forceFlush exports everything in batches, in order', async () => {
  const { exporter, sink, emit } = setup();
  for (let i = 0; i < 25; i++) emit(`r${i}`);
  // A full batch is exported on the next turn of the event loop, never on the caller's stack.
  assert.equal(exporter.batches.length, 0);
  await sink.forceFlush();
  assert.deepEqual(
    exporter.batches.flat(),
    Array.from({ length: 25 }, (_, i) => `r${i}`),
  );
  assert.ok(exporter.batches.every((b) => b.length <= 10));
});

test('a full queue drops new records and counts them (queue_full)', async () => {
  const { exporter, drops, sink, emit } = setup({ maxQueueSize: 5 });
  for (let i = 0; i < 8; i++) emit(`r${i}`);
  assert.equal(drops.total({ reason: 'queue_full', where: 'file' }), 3);
  await sink.forceFlush();
  assert.deepEqual(exporter.batches.flat(), ['r0', 'r1', 'r2', 'r3', 'r4']);
});

test('failed exports are counted (export_failed), and the sink keeps working', async () => {
  const { exporter, drops, sink, emit } = setup();
  exporter.failing = true;
  emit('lost');
  await sink.forceFlush();
  assert.equal(drops.total({ reason: 'export_failed' }), 1);
  exporter.failing = false;
  emit('kept');
  await sink.forceFlush();
  assert.deepEqual(exporter.batches.flat(), ['kept']);
});

test('flushSync drains the queue synchronously (the process.exit path)', () => {
  const { exporter, sink, emit } = setup();
  emit('a');
  emit('b');
  sink.flushSync();
  assert.deepEqual(exporter.sync, ['a', 'b']);
  assert.equal(sink.queued, 0);
});

test('shutdown flushes, is idempotent, and later records are counted as dropped', async () => {
  const { exporter, drops, sink, emit } = setup();
  emit('before');
  await Promise.all([sink.shutdown(), sink.shutdown()]);
  await sink.shutdown();
  assert.deepEqual(exporter.batches.flat(), ['before']);
  assert.equal(exporter.shutdowns, 1);
  emit('after');
  assert.equal(drops.total({ reason: 'shutdown' }), 1);
});

test('exportTriggerSize starts a write early; a backlog still goes out in large batches', async () => {
  const exporter = new FakeExporter();
  const sink = new LocalSinkProcessor(exporter, {
    name: 'csv',
    flushIntervalMs: 60_000,
    maxQueueSize: 1000,
    maxExportBatchSize: 100,
    exportTriggerSize: 5,
    drops: new DropCounter(),
  });
  const logger = new LoggerProvider({ processors: [sink] }).getLogger('model_outputs');
  for (let i = 0; i < 4; i++) logger.emit({ body: `r${i}` });
  await new Promise((r) => setImmediate(r));
  assert.equal(exporter.batches.length, 0, 'below the trigger: waits for the flush interval');
  for (let i = 4; i < 35; i++) logger.emit({ body: `r${i}` });
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(
    exporter.batches.map((b) => b.length),
    [35],
    'one write for everything queued by then',
  );
  await sink.shutdown();
});
