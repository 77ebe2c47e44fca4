import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { METRICS } from '@grpo-otel/semconv';
import { context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { AnalysisResult } from '../src/analysis/AnalysisResult.js';
import { AnalysisWorker } from '../src/analysis/AnalysisWorker.js';

const settings = {
  historyWindow: 10,
  startedAtMs: Date.now(),
  cpuAtStartUs: 0,
  plateau: { window: 5, minDelta: 0.01, patience: 2, objective: 'total' },
  collapse: { window: 5 },
};

/** The gauges of a result, read through its worker's series table: metric -> values. */
function gauges(r: AnalysisResult): Map<string, number[]> {
  const out = new Map<string, number[]>();
  r.gaugeTable!.forEach(
    r.gauges,
    (_k, a) => a,
    (def, value) => out.set(def.name, [...(out.get(def.name) ?? []), value]),
  );
  return out;
}

test("a step's jobs go as one message and come back as one, each result in order", async () => {
  const results: AnalysisResult[] = [];
  const errors: string[] = [];
  const worker = new AnalysisWorker({
    settings,
    onResult: (r) => results.push(r),
    onError: (m) => errors.push(m),
  });
  try {
    for (let step = 1; step <= 3; step++) {
      // One synchronous stretch: rewards, then generations.
      assert.equal(
        worker.submit({ kind: 'rewards', step, rewards: { a: Float64Array.from([step, 0, 1, 1]) } }),
        true,
      );
      const texts = ['<answer>4</answer>', 'four'];
      assert.equal(
        worker.submit({
          kind: 'generations',
          step,
          textBlob: texts.join(''),
          textLengths: Int32Array.from(texts, (t) => t.length),
        }),
        true,
      );
      await worker.settled(step, 10_000);
    }
    assert.deepEqual(errors, []);
    assert.deepEqual(
      results.map((r) => [r.kind, r.step]),
      [
        ['rewards', 1],
        ['generations', 1],
        ['rewards', 2],
        ['generations', 2],
        ['rewards', 3],
        ['generations', 3],
      ],
    );
    // init + one message per step; one reply per step.
    assert.deepEqual(worker.messages, { sent: 4, received: 3 });
    // Figures written out: the reward means of steps 1..3 are (s + 0 + 1 + 1) / 4.
    assert.deepEqual(
      results.filter((r) => r.kind === 'rewards').map((r) => gauges(r).get(METRICS.rewardMean.name)),
      [[0.75], [1], [1.25]],
    );
    assert.deepEqual(
      results
        .filter((r) => r.kind === 'generations')
        .map((r) => gauges(r).get(METRICS.completionMeanCharLength.name)),
      // '<answer>4</answer>' (18 characters) and 'four' (4).
      [[11], [11], [11]],
    );
  } finally {
    await worker.close(5_000);
  }
});

test('a job that fails in the worker reports an error; the others of its message still get results', async () => {
  const results: AnalysisResult[] = [];
  const errors: string[] = [];
  const worker = new AnalysisWorker({
    settings,
    onResult: (r) => results.push(r),
    onError: (m) => errors.push(m),
  });
  try {
    worker.submit({ kind: 'rewards', step: 1, rewards: { a: Float64Array.from([1, 0]) } });
    // textLengths missing: the analysis throws in the worker.
    worker.submit({ kind: 'generations', step: 1, textBlob: 'x' } as never);
    worker.submit({ kind: 'rewards', step: 1, rewards: { a: Float64Array.from([1, 1]) } });
    await worker.drain(10_000);
    assert.equal(errors.length, 1);
    assert.deepEqual(
      results.map((r) => gauges(r).get(METRICS.rewardMean.name)),
      [[0.5], [1]],
    );
    assert.equal(worker.pendingJobs, 0);
  } finally {
    await worker.close(5_000);
  }
});

/** Resolves once `cond()` holds, checking at every turn of the event loop (not a timer: those are mocked below). */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setImmediate(r));
}

/** A job of a million rewards: about 0.2 s of the worker's computing here, so no answer comes within a turn. */
const big = (step: number) =>
  ({
    kind: 'rewards',
    step,
    rewards: { a: Float64Array.from({ length: 1_000_000 }, (_, i) => ((i * 7919) % 1000) / 1000) },
  }) as const;

// The clock is mocked (setTimeout only): the worker answers in real time, the waits run on the mock
// clock, so "no answer for the stall time" happens exactly when the test advances it.
test('drain waits for a backlog the worker keeps answering, past the stall time', async () => {
  const results: AnalysisResult[] = [];
  const worker = new AnalysisWorker({ settings, onResult: (r) => results.push(r), onError: () => {} });
  // Two big jobs sent as two messages: the worker answers the first while the second is still queued.
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    worker.submit(big(1));
    await new Promise((r) => setImmediate(r));
    worker.submit(big(2));
    await new Promise((r) => setImmediate(r));
    let pendingWhenDrained: number | undefined;
    const drained = worker.drain(10_000, 1_000).then(() => {
      pendingWhenDrained = worker.pendingJobs;
    });
    mock.timers.tick(900);
    await until(() => worker.messages.received >= 1);
    // 1,800 ms after the drain began, more than the stall time, but the last answer came 900 ms ago;
    // the second job cannot be answered meanwhile (no turn of the event loop between here and the check).
    mock.timers.tick(900);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    assert.equal(pendingWhenDrained, undefined, 'the drain gave up on a worker that was answering');
    await drained;
    assert.equal(pendingWhenDrained, 0);
    assert.deepEqual(
      results.map((r) => r.step),
      [1, 2],
    );
  } finally {
    mock.timers.reset();
    await worker.close(5_000);
  }
});

test('drain gives up on a worker that has not answered for the stall time, leaving its jobs pending', async () => {
  const worker = new AnalysisWorker({ settings, onResult: () => {}, onError: () => {} });
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    worker.submit(big(1));
    const drained = worker.drain(10_000, 1_000);
    // The job's answer needs the event loop: none can come before this tick, so the worker looks stalled.
    mock.timers.tick(999);
    let done = false;
    void drained.then(() => {
      done = true;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(done, false);
    mock.timers.tick(1);
    await drained;
    assert.equal(worker.pendingJobs, 1);
  } finally {
    mock.timers.reset();
    await worker.close(5_000);
  }
});

test("a job's result is recorded in the context the job was submitted in, not the one that spawned the worker", async () => {
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  const key = createContextKey('which');
  const seen: unknown[] = [];
  try {
    // Spawned inside one context (as the SDK spawns it inside the first step that submits a job)...
    const worker = context.with(
      ROOT_CONTEXT.setValue(key, 'spawn'),
      () =>
        new AnalysisWorker({
          settings,
          onResult: (r) => seen.push(`${r.step}: ${String(context.active().getValue(key))}`),
          onError: () => undefined,
        }),
    );
    try {
      // ...each job submitted inside its own step's.
      for (const step of [1, 2]) {
        context.with(ROOT_CONTEXT.setValue(key, `step ${step}`), () =>
          worker.submit({ kind: 'rewards', step, rewards: { a: Float64Array.from([step, 0]) } }),
        );
      }
      await worker.settled(2, 10_000);
      assert.deepEqual(seen, ['1: step 1', '2: step 2']);
    } finally {
      await worker.close();
    }
  } finally {
    context.disable();
  }
});
