import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { getTelemetry, withSpan, withStepSpan } from '../src/index.js';
import { inMemoryTracing } from './helpers/inMemoryTracing.js';

const { exporter, spans } = inMemoryTracing('withSpan.yaml');
const drops = () => getTelemetry()!.drops.total({ signal: 'traces' });

test('nested spans: the inner one is a child of the outer, both ended, the value returned', async () => {
  exporter.reset();
  const out = withStepSpan(3, (step) =>
    withSpan('grpo.generate', { 'grpo.batch.size': 8 }, (gen) => {
      assert.equal(trace.getActiveSpan(), gen, 'the inner span is active inside fn');
      assert.notEqual(gen, step);
      return 42;
    }),
  );
  assert.equal(out, 42);
  assert.equal(trace.getActiveSpan(), undefined, 'no span is active after withSpan returns');
  const [inner, outer] = await spans();
  assert.equal(inner?.name, 'grpo.generate');
  assert.equal(outer?.name, 'grpo.step');
  assert.deepEqual(outer?.attributes, { 'grpo.step': 3 });
  assert.deepEqual(inner?.attributes, { 'grpo.batch.size': 8 });
  assert.equal(inner?.parentSpanContext?.spanId, outer?.spanContext().spanId);
  assert.equal(inner?.spanContext().traceId, outer?.spanContext().traceId);
});

test('a caller-owned attribute map is not changed, and changing it later does not change the span', async () => {
  exporter.reset();
  const attrs: Record<string, unknown> = { a: 1, list: ['x', 'y'] };
  withSpan('s', attrs as Record<string, number>, () => undefined);
  (attrs.list as string[]).push('z');
  attrs.a = 2;
  assert.deepEqual((await spans())[0]?.attributes, { a: 1, list: ['x', 'y'] });
  assert.deepEqual(attrs, { a: 2, list: ['x', 'y', 'z'] });
});

test('invalid attributes are left out and counted; valid ones kept; inherited keys ignored', async () => {
  exporter.reset();
  const d0 = drops();
  const proto = { inherited: 1 };
  const attrs = Object.assign(Object.create(proto), {
    ok: 'v',
    n: 1.5,
    flags: [true, false, null],
    '': 'empty key',
    obj: { nested: 1 },
    mixed: [1, 'a'],
    big: 10n,
    undef: undefined,
  });
  withSpan('s', attrs, () => undefined);
  assert.equal(drops() - d0, 4, 'empty key, object, mixed array, bigint');
  assert.deepEqual((await spans())[0]?.attributes, { ok: 'v', n: 1.5, flags: [true, false, null] });
  const d1 = drops();
  withSpan('t', 'not a map' as unknown as Record<string, string>, () => undefined);
  assert.equal(drops() - d1, 1);
  assert.deepEqual((await spans())[1]?.attributes, {});
});

test('async fn: the span ends when the promise settles; a rejection is recorded and rethrown', async () => {
  exporter.reset();
  let resolve!: (v: number) => void;
  const p = withSpan('async', {}, () => new Promise<number>((r) => (resolve = r)));
  assert.equal((await spans()).length, 0, 'not ended while the promise is pending');
  resolve(5);
  assert.equal(await p, 5);
  assert.equal((await spans()).length, 1);
  const boom = new Error('boom');
  await assert.rejects(
    withSpan('async-fail', {}, async () => {
      throw boom;
    }),
    (err) => err === boom,
  );
  const failed = (await spans())[1]!;
  assert.equal(failed.status.code, SpanStatusCode.ERROR);
  assert.equal(failed.status.message, 'boom');
  assert.equal(failed.events[0]?.name, 'exception');
});

test('sync throw: recorded as the span error and rethrown unchanged; a non-Error too', async () => {
  exporter.reset();
  assert.throws(
    () =>
      withSpan('fail', {}, () => {
        throw 'plain';
      }),
    (err) => err === 'plain',
  );
  assert.equal((await spans())[0]?.status.code, SpanStatusCode.ERROR);
  assert.equal((await spans())[0]?.status.message, 'plain');
  assert.throws(() => withSpan('x', {}, 3 as unknown as () => void), TypeError);
  assert.equal(trace.getActiveSpan(), undefined, 'no span left active after a throw');
});
