// The bounded, retrying export queue on its own, with a small in-process receiver whose answers the
// test scripts (the collector-backed cases are in test/backpressure.test.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { DropCounter } from '../src/internal/DropCounter.js';
import { describeShutdownLoss } from '../src/otlp/describeShutdownLoss.js';
import { ExportQueue, type ExportQueueOptions, type ShutdownLoss } from '../src/otlp/ExportQueue.js';
import { exportErrorType, isPermanentExportError } from '../src/otlp/exportErrorType.js';
import { ShutdownDeadline } from '../src/otlp/ShutdownDeadline.js';

type Answer = 'ok' | 'refused' | 'reject400' | 'throw' | 'hang';

/** A receiver answering each request as told; it records what it accepted, in order. */
class Receiver {
  accepted: string[] = [];
  requests = 0;
  answer: Answer = 'ok';
  send = (batch: string[], done: (r: ExportResult) => void) => {
    this.requests++;
    switch (this.answer) {
      case 'ok':
        this.accepted.push(...batch);
        setImmediate(() => done({ code: ExportResultCode.SUCCESS }));
        return;
      case 'refused':
        setImmediate(() =>
          done({
            code: ExportResultCode.FAILED,
            error: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
          }),
        );
        return;
      case 'reject400':
        setImmediate(() =>
          done({
            code: ExportResultCode.FAILED,
            error: Object.assign(new Error('Bad Request'), { code: 400 }),
          }),
        );
        return;
      case 'throw':
        throw new Error('exporter bug');
      case 'hang':
        return;
    }
  };
}

function queue(receiver: Receiver, drops: DropCounter, o: Partial<ExportQueueOptions<string>> = {}) {
  return new ExportQueue<string>({
    signal: 'logs',
    name: 'otlp',
    maxRecords: 5,
    maxBytes: 1_000_000,
    overflow: 'drop_oldest',
    maxExportBatchSize: 2,
    retry: { initialIntervalMs: 5, maxIntervalMs: 20 },
    scheduledDelayMs: 5,
    shutdownTimeoutMs: 200,
    sizeOf: (s) => s.length,
    send: receiver.send,
    drops,
    ...o,
  });
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const items = (n: number, width = 3) => Array.from({ length: n }, (_, i) => String(i).padStart(width, '0'));

describe('ExportQueue', () => {
  for (const [overflow, kept] of [
    ['drop_oldest', ['005', '006', '007', '008', '009']],
    ['drop_newest', ['000', '001', '002', '003', '004']],
  ] as const) {
    test(`${overflow}: holds max_records while the receiver refuses, counts the rest, delivers the kept ones in order`, async () => {
      const r = new Receiver();
      r.answer = 'refused';
      const drops = new DropCounter();
      const q = queue(r, drops, { overflow });
      for (const x of items(10)) q.push(x);
      assert.equal(q.stats().records, 5);
      assert.equal(drops.total({ reason: 'queue_full', where: 'otlp', signal: 'logs' }), 5);
      await until(() => (q.stats().errors.get('ECONNREFUSED') ?? 0) >= 2, 'retries with backoff');
      r.answer = 'ok';
      await q.forceFlush();
      assert.deepEqual(r.accepted, kept);
      assert.equal(q.stats().delivered, 5);
      assert.equal(q.stats().records, 0);
      await q.shutdown();
    });
  }

  test('the byte bound holds too; an item larger than the whole queue is dropped on its own', async () => {
    const r = new Receiver();
    r.answer = 'hang';
    const drops = new DropCounter();
    const q = queue(r, drops, { maxRecords: 100, maxBytes: 100, overflow: 'drop_newest' });
    for (let i = 0; i < 5; i++) q.push(`${i}`.repeat(30));
    assert.equal(q.stats().records, 3);
    assert.equal(q.stats().bytes, 90);
    assert.ok(q.stats().peakBytes <= 100);
    q.push('x'.repeat(101));
    assert.equal(drops.total({ reason: 'queue_full' }), 3);
  });

  test('abandonAtExit counts what is queued and in flight as process_exit drops, once; later pushes count as shutdown', async () => {
    const r = new Receiver();
    r.answer = 'hang';
    const drops = new DropCounter();
    const q = queue(r, drops, { maxRecords: 10, maxExportBatchSize: 2, scheduledDelayMs: 1 });
    q.push('a');
    q.push('b');
    await until(() => r.requests === 1, 'a, b in flight (the receiver does not answer)');
    for (const x of ['c', 'd', 'e']) q.push(x);
    assert.equal(q.abandonAtExit(), 5);
    assert.equal(drops.total({ reason: 'process_exit', where: 'otlp', signal: 'logs' }), 5);
    assert.equal(q.stats().records, 0);
    assert.equal(q.abandonAtExit(), 0, 'nothing is counted twice');
    q.push('f');
    assert.equal(drops.total({ reason: 'shutdown' }), 1);
    assert.equal(drops.total({ reason: 'process_exit' }), 5);
    await sleep(20);
    assert.equal(r.requests, 1, 'no request after the exit');
  });

  test('drop_oldest never evicts the batch being sent', async () => {
    const r = new Receiver();
    r.answer = 'hang';
    const drops = new DropCounter();
    const q = queue(r, drops, { maxRecords: 4, maxExportBatchSize: 2, scheduledDelayMs: 1 });
    q.push('a');
    q.push('b');
    await until(() => r.requests === 1, 'a, b in flight (the receiver does not answer)');
    for (const x of ['c', 'd', 'e', 'f']) q.push(x);
    assert.equal(q.stats().records, 4);
    assert.equal(drops.total({ reason: 'queue_full' }), 2, 'c and d gave way, not the batch in flight');
  });

  test('a batch the receiver rejects (HTTP 400) is dropped and counted, not retried; the next one goes on', async () => {
    const r = new Receiver();
    r.answer = 'reject400';
    const drops = new DropCounter();
    const q = queue(r, drops, { maxRecords: 10 });
    for (const x of items(2)) q.push(x);
    await until(() => drops.total({ reason: 'export_failed' }) === 2, 'the rejected batch');
    await sleep(30);
    assert.equal(r.requests, 1, 'not retried');
    r.answer = 'ok';
    for (const x of ['a', 'b']) q.push(x);
    await q.forceFlush();
    assert.deepEqual(r.accepted, ['a', 'b']);
    assert.equal(q.stats().errors.get('400'), 1);
  });

  test('an exporter that throws is a failed attempt: push never throws, the batch is retried', async () => {
    const r = new Receiver();
    r.answer = 'throw';
    const drops = new DropCounter();
    const q = queue(r, drops, { maxRecords: 10 });
    for (const x of items(3)) q.push(x);
    await until(() => r.requests >= 2, 'a retry');
    r.answer = 'ok';
    await q.forceFlush();
    await q.forceFlush();
    assert.deepEqual(r.accepted, items(3));
    assert.equal(drops.total(), 0);
  });

  test('forceFlush during an outage returns after one failed attempt; shutdown gives up at its deadline and counts what is left', async () => {
    const r = new Receiver();
    r.answer = 'refused';
    const drops = new DropCounter();
    const q = queue(r, drops, { maxRecords: 10 });
    for (const x of items(4)) q.push(x);
    await q.forceFlush();
    assert.equal(q.stats().records, 4, 'kept for later');
    const started = r.requests;
    await q.shutdown();
    assert.ok(r.requests > started, 'shutdown kept trying');
    assert.equal(drops.total({ reason: 'export_failed' }), 4);
    assert.equal(q.stats().records, 0);
    q.push('late');
    assert.equal(drops.total({ reason: 'shutdown' }), 1);
    await q.shutdown(); // idempotent
  });

  test('queues sharing a deadline drain in parallel and stop together; each reports what it lost', async () => {
    const refused = new Receiver();
    refused.answer = 'refused';
    const hung = new Receiver();
    hung.answer = 'hang';
    const drops = new DropCounter();
    const deadline = new ShutdownDeadline();
    const losses: ShutdownLoss[] = [];
    const common = { deadline, shutdownTimeoutMs: 300, onShutdownLoss: (l: ShutdownLoss) => losses.push(l) };
    const logs = queue(refused, drops, { ...common, maxRecords: 10, destination: 'http://collector:4318' });
    const spans = queue(hung, drops, {
      ...common,
      signal: 'traces',
      maxRecords: 10,
      destination: 'http://collector:4318',
    });
    for (const x of items(3)) logs.push(x);
    for (const x of items(2)) spans.push(x);
    // Once shutdown has begun, a flush leaves the delivery to the drain (it would wait on the hung send).
    deadline.start(300);
    const flushStarted = performance.now();
    await spans.forceFlush();
    assert.ok(performance.now() - flushStarted < 100, 'forceFlush returned at once');
    const started = performance.now();
    await Promise.all([logs.shutdown(), spans.shutdown()]);
    const took = performance.now() - started;
    // One deadline for both (300 ms), not one each after the other; generous margin for a loaded machine.
    assert.ok(took < 300 + 250, `took ${took} ms`);
    assert.ok(refused.requests > 1, 'the refused queue kept retrying until the deadline');
    assert.deepEqual(losses.map((l) => [l.signal, l.records, l.cause]).sort(), [
      ['logs', 3, 'ECONNREFUSED'],
      ['traces', 2, 'no answer'],
    ]);
    assert.equal(drops.total({ signal: 'logs' }), 3);
    assert.equal(drops.total({ signal: 'traces' }), 2);
    assert.deepEqual(describeShutdownLoss(losses, 300), [
      'grpo-otel: shutdown: 3 logs, 2 spans not delivered to http://collector:4318 within 0.3 s: ECONNREFUSED, no answer (counted in grpo.sdk.record.dropped)',
    ]);
  });

  test('shutdown delivers what is queued when the receiver answers', async () => {
    const r = new Receiver();
    const drops = new DropCounter();
    const q = queue(r, drops, { maxRecords: 100, scheduledDelayMs: 10_000 });
    for (const x of items(7)) q.push(x);
    await q.shutdown();
    assert.deepEqual(r.accepted, items(7));
    assert.equal(drops.total(), 0);
  });

  test('a receiver that never answers times out through the guard, and the queue keeps its records', async () => {
    const r = new Receiver();
    r.answer = 'hang';
    const drops = new DropCounter();
    const q = queue(r, drops, { maxRecords: 10, sendTimeoutMs: 20 });
    for (const x of items(2)) q.push(x);
    await until(() => (q.stats().errors.get('timeout') ?? 0) >= 1, 'a timed-out send');
    assert.equal(q.stats().records, 2);
    r.answer = 'ok';
    await until(() => q.stats().delivered === 2, 'delivery');
    assert.deepEqual(r.accepted, items(2));
  });
});

describe('exportErrorType / isPermanentExportError', () => {
  test('status codes, network codes, timeouts', () => {
    assert.equal(exportErrorType(Object.assign(new Error('x'), { code: 503 })), '503');
    assert.equal(exportErrorType(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), 'ECONNREFUSED');
    assert.equal(exportErrorType(new Error('Request timed out')), 'timeout');
    assert.equal(exportErrorType(new Error('Export failed with retryable status')), 'http_retryable');
    assert.equal(exportErrorType(undefined), '_OTHER');
    assert.equal(isPermanentExportError(Object.assign(new Error('x'), { code: 400 })), true);
    assert.equal(isPermanentExportError(Object.assign(new Error('x'), { code: 429 })), false);
    assert.equal(isPermanentExportError(Object.assign(new Error('x'), { code: 500 })), false);
    assert.equal(isPermanentExportError(new Error('socket hang up')), false);
  });
});
