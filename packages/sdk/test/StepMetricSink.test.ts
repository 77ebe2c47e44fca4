import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { type DataPoint, type Histogram, MeterProvider } from '@opentelemetry/sdk-metrics';
import { DropCounter } from '../src/internal/DropCounter.js';
import { keyTellsAttributes } from '../src/step-metrics/StepBuffer.js';
import { StepMeter, stepInstrument } from '../src/step-metrics/StepMeter.js';
import { type StepAnalysis, StepMetricSink } from '../src/step-metrics/StepMetricSink.js';
import { StepRecorder } from './helpers/StepRecorder.js';

/** The analysis worker as the sink sees it: jobs by step, answered when the test says so. */
class ManualAnalysis implements StepAnalysis {
  pending = new Set<number>();
  private waiters: { step: number; done: () => void }[] = [];
  pendingUpTo(step: number): boolean {
    for (const s of this.pending) if (s <= step) return true;
    return false;
  }
  settled(step: number): Promise<void> {
    if (!this.pendingUpTo(step)) return Promise.resolve();
    return new Promise((done) => this.waiters.push({ step, done }));
  }
  answer(step: number): void {
    this.pending.delete(step);
    const ready = this.waiters.filter((w) => !this.pendingUpTo(w.step));
    this.waiters = this.waiters.filter((w) => this.pendingUpTo(w.step));
    for (const w of ready) w.done();
  }
}

function setup(
  options: {
    analysis?: ManualAnalysis;
    maxBufferedSteps?: number;
    observeIntervalMs?: number;
    now?: () => number;
  } = {},
) {
  const exporter = new StepRecorder();
  const drops = new DropCounter();
  const sink = new StepMetricSink({
    exporters: [{ name: 'tb', exporter }],
    resource: resourceFromAttributes({}),
    drops,
    ...(options.analysis ? { analysis: () => options.analysis } : {}),
    ...(options.maxBufferedSteps ? { maxBufferedSteps: options.maxBufferedSteps } : {}),
    ...(options.observeIntervalMs !== undefined ? { observeIntervalMs: options.observeIntervalMs } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const provider = new MeterProvider();
  const meter = new StepMeter(provider.getMeter('t'), { name: 't' }, sink);
  return { exporter, drops, sink, meter };
}

const tick = () => new Promise((r) => setImmediate(r));

test('each step holds the values recorded for it, however late the export runs', async () => {
  const { exporter, sink, meter } = setup();
  const loss = meter.createGauge('grpo.policy.loss');
  const samples = meter.createCounter('grpo.training.samples');
  const reward = meter.createHistogram('grpo.reward.value', { advice: { explicitBucketBoundaries: [0, 1] } });
  // A tight loop: nothing is exported until the event loop turns.
  for (let step = 1; step <= 5; step++) {
    sink.advance(step);
    loss.record(step / 10);
    samples.add(2);
    samples.add(3);
    for (let i = 0; i < step; i++) reward.record(i % 2);
  }
  assert.equal(exporter.exports.length, 0);
  await tick();
  // Steps 1-4 ended; 5 is still the current step.
  assert.deepEqual(
    exporter.exports.map((e) => e.step),
    [1, 2, 3, 4],
  );
  await sink.flush();
  assert.deepEqual(exporter.series('grpo.policy.loss'), [
    [1, 0.1],
    [2, 0.2],
    [3, 0.3],
    [4, 0.4],
    [5, 0.5],
  ]);
  assert.deepEqual(
    exporter.series('grpo.training.samples').map(([s, v]) => [s, v]),
    [1, 2, 3, 4, 5].map((s) => [s, 5]),
  );
  assert.deepEqual(
    exporter.series('grpo.reward.value').map(([s, h]) => [s, (h as Histogram).count]),
    [1, 2, 3, 4, 5].map((s) => [s, s]),
  );
});

test('`at` attributes values to a given step; an ended step waits for its analysis results', async () => {
  const analysis = new ManualAnalysis();
  const { exporter, sink, meter } = setup({ analysis });
  const mean = meter.createGauge('grpo.reward.mean');
  const loss = meter.createGauge('grpo.policy.loss');
  for (let step = 1; step <= 3; step++) {
    sink.advance(step);
    loss.record(step);
    analysis.pending.add(step);
  }
  sink.advance(4);
  await tick();
  // Step 1's analysis is outstanding: nothing goes out, so no series can get a later step first.
  assert.equal(exporter.exports.length, 0);
  sink.at(1, () => mean.record(0.25));
  analysis.answer(1);
  await tick();
  assert.deepEqual(
    exporter.exports.map((e) => e.step),
    [1],
  );
  // Results arrive in any order: step 3's first, then step 2's.
  sink.at(3, () => mean.record(0.75));
  analysis.answer(3);
  sink.at(2, () => mean.record(0.5));
  analysis.answer(2);
  await tick();
  await tick();
  assert.deepEqual(exporter.series('grpo.reward.mean'), [
    [1, 0.25],
    [2, 0.5],
    [3, 0.75],
  ]);
  assert.deepEqual(exporter.series('grpo.policy.loss'), [
    [1, 1],
    [2, 2],
    [3, 3],
  ]);
});

test('a value for a series already written at a later step is dropped and counted, never written out of order', async () => {
  const { exporter, drops, sink, meter } = setup();
  const g = meter.createGauge('g');
  const other = meter.createGauge('other');
  sink.advance(1);
  g.record(1);
  sink.advance(2);
  g.record(2);
  sink.advance(3);
  await tick();
  assert.deepEqual(exporter.series('g'), [
    [1, 1],
    [2, 2],
  ]);
  // Late: `g` already has step 2, so step 1 cannot follow; `other` has nothing yet, so it can.
  sink.at(1, () => {
    g.record(10);
    other.record(7);
  });
  await tick();
  assert.deepEqual(exporter.series('g'), [
    [1, 1],
    [2, 2],
  ]);
  assert.deepEqual(exporter.series('other'), [[1, 7]]);
  assert.equal(drops.total({ reason: 'timeout', where: 'tb' }), 1);
});

test('observables are read once when a step ends; counters as deltas; a reading made for the step wins', async () => {
  const { exporter, sink, meter } = setup();
  let total = 0;
  let rss = 100;
  meter.createObservableCounter('grpo.sdk.record.dropped').addCallback((r) => r.observe(total));
  const mem = meter.createObservableUpDownCounter('process.memory.usage');
  mem.addCallback((r) => r.observe(rss));
  const batched = meter.createObservableGauge('queue.size');
  meter.addBatchObservableCallback((r) => r.observe(batched, 4), [batched]);
  sink.advance(1);
  total = 3;
  sink.advance(2);
  total = 5;
  rss = 200;
  // logMemoryUsage's reading for step 2 (the same instrument: scope and name).
  sink.recordObservation(
    stepInstrument({ name: 't' }, 'observable_updowncounter', 'process.memory.usage'),
    150,
  );
  sink.advance(3);
  await sink.flush();
  assert.deepEqual(exporter.series('grpo.sdk.record.dropped'), [
    [1, 3],
    [2, 2],
    [3, 0],
  ]);
  assert.deepEqual(exporter.series('process.memory.usage'), [
    [1, 100],
    [2, 150],
    [3, 200],
  ]);
  assert.deepEqual(exporter.series('queue.size'), [
    [1, 4],
    [2, 4],
    [3, 4],
  ]);
});

test('observeIntervalMs: observables are read at the end of a step once the interval has passed, counters as deltas over the steps between, and at flush', async () => {
  let clock = 0;
  const { exporter, sink, meter } = setup({ observeIntervalMs: 1000, now: () => clock });
  let total = 0;
  let reads = 0;
  meter.createObservableCounter('grpo.sdk.record.dropped').addCallback((r) => r.observe(total));
  meter.createObservableGauge('process.memory.usage').addCallback((r) => {
    reads++;
    r.observe(100 + reads);
  });
  // Steps of 400 ms: step k ends at clock 400 * k.
  for (let step = 1; step <= 7; step++) {
    sink.advance(step);
    clock += 400;
    total += 1;
  }
  await sink.flush();
  // Read when step 1 ends (t=400, the first reading), then at the end of the first step ending 1000 ms
  // or more later: step 4 (t=1600); step 7 ends at t=2800 but the loop stops before, so flush reads it.
  assert.equal(reads, 3);
  assert.deepEqual(exporter.series('process.memory.usage'), [
    [1, 101],
    [4, 102],
    [7, 103],
  ]);
  // Deltas: 1 by the end of step 1, 3 more over steps 2-4, 3 more over steps 5-7.
  assert.deepEqual(exporter.series('grpo.sdk.record.dropped'), [
    [1, 1],
    [4, 3],
    [7, 3],
  ]);
});

test('memory stays bounded: past maxBufferedSteps the oldest waiting step is written', async () => {
  const analysis = new ManualAnalysis();
  const { exporter, sink, meter } = setup({ analysis, maxBufferedSteps: 4 });
  const g = meter.createGauge('g');
  analysis.pending.add(1);
  for (let step = 1; step <= 10; step++) {
    sink.advance(step);
    g.record(step);
  }
  // Written synchronously as the buffer count passed 4, while step 1's analysis is still unanswered.
  assert.deepEqual(
    exporter.exports.map((e) => e.step),
    [1, 2, 3, 4, 5, 6],
  );
  analysis.answer(1);
  await sink.flush();
  assert.deepEqual(
    exporter.series('g').map(([s]) => s),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
});

/** The attributes objects of every point of `name`, in export order. */
function attributesOf(exporter: StepRecorder, name: string): Record<string, unknown>[] {
  return exporter.exports.flatMap((e) =>
    e.metrics.scopeMetrics
      .flatMap((s) => s.metrics)
      .filter((m) => m.descriptor.name === name)
      .flatMap((m) => (m.dataPoints as DataPoint<unknown>[]).map((p) => p.attributes)),
  );
}

test('a series carries one frozen copy of its attributes at every step (exporters can keep what they derive from it)', async () => {
  const { exporter, sink, meter } = setup();
  const mean = meter.createGauge('grpo.reward.mean');
  const samples = meter.createHistogram('h', { advice: { explicitBucketBoundaries: [1] } });
  const reused = { 'grpo.reward.function': 'total', list: ['a', 'b'] };
  for (let step = 1; step <= 3; step++) {
    sink.advance(step);
    // A new object every step, as the facade builds them; its keys in another order from step 2 on.
    mean.record(step, step === 1 ? { f: 'total', n: 1 } : { n: 1, f: 'total' });
    samples.record(step, reused);
  }
  // The caller changes its object after recording: the series keeps what was recorded.
  reused.list.push('c');
  (reused as Record<string, unknown>)['grpo.reward.function'] = 'other';
  await sink.flush();
  const means = attributesOf(exporter, 'grpo.reward.mean');
  assert.equal(means.length, 3);
  assert.ok(means.every((a) => a === means[0]));
  assert.ok(Object.isFrozen(means[0]));
  assert.deepEqual(means[0], { f: 'total', n: 1 });
  const hs = attributesOf(exporter, 'h');
  assert.equal(hs.length, 3);
  assert.ok(hs.every((a) => a === hs[0]));
  assert.deepEqual(hs[0], { 'grpo.reward.function': 'total', list: ['a', 'b'] });
  assert.throws(() => {
    (hs[0]!.list as string[]).push('d');
  }, TypeError);
});

test("attributes the series key does not fix (NaN, Infinity) stay each step's own, as recorded", async () => {
  const { exporter, sink, meter } = setup();
  const g = meter.createGauge('g');
  // Infinity and null have one key (JSON writes both as null): one series, whose points keep the
  // attributes recorded at their own step.
  sink.advance(1);
  g.record(1, { x: Number.POSITIVE_INFINITY });
  sink.advance(2);
  g.record(2, { x: null as unknown as string });
  sink.advance(3);
  g.record(3, { x: Number.NaN });
  await sink.flush();
  assert.deepEqual(exporter.series('g'), [
    [1, 1],
    [2, 2],
    [3, 3],
  ]);
  assert.deepEqual(attributesOf(exporter, 'g'), [
    { x: Number.POSITIVE_INFINITY },
    { x: null },
    { x: Number.NaN },
  ]);
});

test('keyTellsAttributes: strings without separators, booleans, finite numbers, null/undefined and arrays of them', () => {
  assert.equal(keyTellsAttributes({}), true);
  assert.equal(keyTellsAttributes({ a: 'x', b: 1.5, c: true, d: undefined, e: ['y', null, 'z'] }), true);
  assert.equal(keyTellsAttributes({ e: [2, 3.5], f: [false] }), true);
  assert.equal(keyTellsAttributes({ a: null as unknown as string }), true);
  assert.equal(keyTellsAttributes({ a: Number.NaN }), false);
  assert.equal(keyTellsAttributes({ a: -0 }), false);
  assert.equal(keyTellsAttributes({ a: [1, Number.POSITIVE_INFINITY] }), false);
  assert.equal(keyTellsAttributes({ a: 'x\u0000b' }), false);
  assert.equal(keyTellsAttributes({ 'a\u0001': 'x' }), false);
  assert.equal(keyTellsAttributes({ a: { nested: 1 } as unknown as string }), false);
  assert.equal(keyTellsAttributes(Object.assign(Object.create(null), { a: 'x' })), false);
});

test('an observable result kept past its callback is closed: a later reading goes nowhere', async () => {
  const { exporter, sink, meter } = setup();
  let late: ((v: number) => void) | undefined;
  meter.createObservableGauge('late').addCallback((r) => {
    late ??= (v) => r.observe(v);
  });
  sink.advance(1);
  sink.advance(2);
  // Step 1 ended (its callback ran) but is not written yet: the kept result must not reach it.
  late?.(99);
  await sink.flush();
  assert.deepEqual(exporter.series('late'), []);
});

test('a frozen attributes object is keyed once; one whose arrays can still change is keyed at every value', async () => {
  const { exporter, sink, meter } = setup();
  const mean = meter.createGauge('mean');
  const std = meter.createGauge('std');
  const total = Object.freeze({ f: 'total' });
  const list = ['x'];
  const open = Object.freeze({ l: list });
  for (let step = 1; step <= 2; step++) {
    sink.advance(step);
    mean.record(step, total);
    std.record(step * 10, total);
    mean.record(step * 100, open);
    list.push(`y${step}`);
  }
  await sink.flush();
  assert.deepEqual(exporter.series('mean', { f: 'total' }), [
    [1, 1],
    [2, 2],
  ]);
  assert.deepEqual(exporter.series('std', { f: 'total' }), [
    [1, 10],
    [2, 20],
  ]);
  // The array changed between the steps: two series, each with the contents it was recorded with.
  assert.deepEqual(
    attributesOf(exporter, 'mean').filter((a) => 'l' in a),
    [{ l: ['x'] }, { l: ['x', 'y1'] }],
  );
});
