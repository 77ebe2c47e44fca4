// Training-thread cost of the public API calls the demo trainer makes every step, and of recording an
// analysis result when the worker answers, with the demo's own telemetry config (file, CSV and
// TensorBoard handlers; the console handler left out) and a metric reader collecting every
// COLLECT_EVERY steps into an exporter that keeps nothing (an OTLP reader's collection, without the
// network). The collection is timed too: values aggregated by the SDK are handed to OTel there.
// Part 1 compares, side by side in this process, a gauge value recorded the SDK's way (Instruments) with
// the same value recorded on OTel's synchronous gauge directly (what the SDK did before). Part 3 times
// logRewardMetrics and logGenerationMetrics on the training thread, and the post of their jobs at the
// end of the step (the worker runs; its results are recorded outside the timed code).
// Runs the sources through tsx (its keepNames wrappers included): compare runs with each other, not
// with bench/overhead, which runs the built packages.
//
// Run: node --conditions=source --import tsx bench/facade/run.ts   (BENCH_STEPS, default 400;
// BENCH_WARMUP, default 50: BENCH_WARMUP=0 BENCH_STEPS=45 measures cold code, as in a 45-step demo run;
// BENCH_EVICT=1: every other step of part 2 first writes through 64 MiB, evicting the caches as a
// trainer's kernels do between two steps' telemetry, and part 2 reports those steps beside the warm ones;
// BENCH_GAP_MS=20: every other step of part 2 first lets 20 ms pass on the clock, touching no memory, as
// a step's kernels take that long between two of its telemetry calls; both may be given)
//
// Figures, 2 shared cores under load (load average 7-12), medians of per-step sums in µs, the SDK as of
// 552cb3b (before) and after the changes to Instruments, the analysis messages and the facade (this
// tree also has the step sink's own speed-ups, which show in setStep and onResult):
//   part 1, one gauge value with 2 attributes: OTel's sync gauge 760-1400 ns; Instruments 550-850 ns
//     with a fresh attribute object (x1.3-2), 35-115 ns with a frozen one (x8-40).
//   part 2, warm (300 steps after 50):   before            after
//     setStep                             64-70             59-64
//     logReward x4                        92-98             50-53
//     logStepTiming                       19-21             19
//     logTrainingProgress                 16-17             16-17
//     clone (2 results, both halves)      94-104            59-61
//     onResult (2 results)                139-162           50-53
//     collect (share per step)            35-44             60-76  (aggregated values handed to OTel here)
//     total                               410-488           327-331
//   part 2, cold (45 steps, no warm-up): logReward 157-174 -> 140-146, clone 106-113 -> 75-77,
//     onResult 197-217 -> 125-142; total 685-1127 -> 672-960 (collect's 4 samples are noisy).
//   part 3 (after): logRewardMetrics 8-16, logGenerationMetrics 49-80, posting both jobs 16-26.
// The demo run's CPU profile (bench/overhead's trainer, built packages, 3 runs each, load 11-12, ms
// summed over the runs), before -> after: logReward 92 -> 71, analysis results (onMessage) 88 -> 69,
// logRewardMetrics + logGenerationMetrics + their post 148 -> 92, logTrainingProgress 21 -> 17,
// logStepTiming 18 -> 17.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ATTR_GRPO_REWARD_FUNCTION, ATTR_GRPO_SPLIT, METRICS } from '@grpo-otel/semconv';
import { parse, stringify } from 'yaml';
import { Analyzer } from '../../packages/sdk/src/analysis/Analyzer.js';
import { GaugeTable } from '../../packages/sdk/src/analysis/GaugeTable.js';
import {
  getTelemetry,
  initialize,
  logGenerationMetrics,
  logReward,
  logRewardMetrics,
  logStepTiming,
  logTrainingProgress,
  parseConfig,
  shutdown,
} from '../../packages/sdk/src/index.js';
import { DropCounter } from '../../packages/sdk/src/internal/DropCounter.js';
import { Instruments } from '../../packages/sdk/src/step-metrics/Instruments.js';
import {
  AggregationTemporality,
  ExportResultCode,
  MeterProvider,
  MetricReader,
  metrics as otelMetrics,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '../../packages/sdk/test/helpers/otelMetrics.js';

const STEPS = Number(process.env.BENCH_STEPS ?? 400);
/** Every other step of part 2 first evicts the caches (BENCH_EVICT=1), as a trainer's kernels do. */
const EVICT = process.env.BENCH_EVICT === '1';
/** Every other step of part 2 first waits this long, spinning on the clock (BENCH_GAP_MS, default 0). */
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 0);
if (!(GAP_MS >= 0))
  throw new RangeError(`BENCH_GAP_MS must be a number of milliseconds, got ${process.env.BENCH_GAP_MS}`);
const COLD = EVICT || GAP_MS > 0;
const COLD_WHAT = [EVICT ? 'a cache eviction' : '', GAP_MS > 0 ? `a ${GAP_MS} ms gap` : '']
  .filter(Boolean)
  .join(' and ');
const WARMUP = Number(process.env.BENCH_WARMUP ?? 50);
const COLLECT_EVERY = 10;
const GROUP = 8;
const COMPLETIONS = 32;
const REWARDS = ['correctness', 'format', 'repetition', 'topic'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const nullExporter: PushMetricExporter = {
  export: (_m, done) => done({ code: ExportResultCode.SUCCESS }),
  forceFlush: async () => {},
  shutdown: async () => {},
  selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
};

class ManualReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** Part 1: one gauge value with 2 attributes, OTel's sync gauge vs Instruments, ns per value. */
async function part1(): Promise<void> {
  const rounds = 5;
  const n = 20_000;
  const reader = new ManualReader();
  const provider = new MeterProvider({ readers: [reader] });
  const meter = provider.getMeter('bench');
  const gauge = meter.createGauge(`${METRICS.rewardMean.name}.direct`);
  const instruments = new Instruments(meter, new DropCounter());
  const names = REWARDS;
  const frozen = new Map(
    names.map((f) => [f, Object.freeze({ [ATTR_GRPO_REWARD_FUNCTION]: f, [ATTR_GRPO_SPLIT]: 'train' })]),
  );
  const time = (fn: (i: number) => void) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn(i);
    return Number(process.hrtime.bigint() - t0) / n;
  };
  const direct: number[] = [];
  const fresh: number[] = [];
  const cached: number[] = [];
  for (let r = 0; r < rounds; r++) {
    direct.push(
      time((i) =>
        gauge.record(i, { [ATTR_GRPO_REWARD_FUNCTION]: names[i & 3]!, [ATTR_GRPO_SPLIT]: 'train' }),
      ),
    );
    fresh.push(
      time((i) =>
        instruments.record(METRICS.rewardMean, i, {
          [ATTR_GRPO_REWARD_FUNCTION]: names[i & 3]!,
          [ATTR_GRPO_SPLIT]: 'train',
        }),
      ),
    );
    cached.push(time((i) => instruments.record(METRICS.rewardMean, i, frozen.get(names[i & 3]!)!)));
    await reader.collect();
  }
  const d = median(direct);
  console.log(
    `part 1, ns per gauge value: OTel sync gauge ${d.toFixed(0)}, Instruments ${median(fresh).toFixed(0)} ` +
      `(x${(d / median(fresh)).toFixed(1)} cheaper), with a frozen attribute object ${median(cached).toFixed(0)} ` +
      `(x${(d / median(cached)).toFixed(1)})`,
  );
  await provider.shutdown();
}

/**
 * Writes one double per 64-byte line of a 64 MiB buffer (twice the L3 cache of the machines measured),
 * pushing the SDK's code and data out of the caches as a training step's kernels do.
 */
const sweep = EVICT ? new Float64Array(8 << 20) : new Float64Array(0);
function evictCaches(): void {
  for (let i = 0; i < sweep.length; i += 8) sweep[i]! += 1;
}

/** Lets `ms` pass on the clock without touching memory (no data of the SDK's is evicted). */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** Part 2: the demo's per-step calls and the recording of analysis results, µs per step. */
async function part2(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-facade-'));
  const config = parse(
    readFileSync(new URL('../../packages/demo-trainer/config/logging_config.yaml', import.meta.url), 'utf8'),
  );
  config.root.handlers = ['file'];
  config.loggers.training.handlers = ['file', 'tensorboard'];
  config.metrics.logging_frequency = 1;
  config.metrics.full_metrics_frequency = 1;
  const reader = new PeriodicExportingMetricReader({
    exporter: nullExporter,
    exportIntervalMillis: 3_600_000,
  });
  initialize({
    config: parseConfig(stringify(config), { source: 'bench.yaml', baseDir: dir, env: {} }),
    env: {},
    handleExit: false,
    registerGlobal: false,
    metricReaders: [reader],
  });
  const t = getTelemetry()!;
  // Analysis results as the worker computes them for a step (computed here, once, untimed).
  const analyzer = new Analyzer({
    historyWindow: 100,
    startedAtMs: Date.now(),
    cpuAtStartUs: 0,
    plateau: { window: 20, minDelta: 0.01, patience: 3, objective: 'total' },
    collapse: { window: 10, maxDrop: 0.5 },
  });
  let seed = 7;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const rewards = Object.fromEntries(
    REWARDS.map((f) => [f, Float64Array.from({ length: COMPLETIONS }, () => (random() > 0.5 ? 1 : 0))]),
  );
  const texts = Array.from(
    { length: COMPLETIONS },
    (_, i) => `<reasoning>${i} plus ${i} is ${2 * i}</reasoning><answer>${2 * i}</answer>`,
  );
  const tokens = Int32Array.from({ length: COMPLETIONS * 16 }, () => Math.floor(random() * 40));
  const logprobs = Float64Array.from({ length: COMPLETIONS * 16 }, () => -random());
  const samples = texts.slice(0, 8);
  const values = Object.fromEntries(REWARDS.map((f) => [f, Array.from(rewards[f]!)]));
  const table = new GaugeTable();
  const cost = { setStep: [] as number[], logReward: [] as number[], logStepTiming: [] as number[] };
  const more = {
    logTrainingProgress: [] as number[],
    clone: [] as number[],
    onResult: [] as number[],
    collect: [] as number[],
  };
  const warm: Record<string, number[]> = { ...cost, firstLogReward: [], ...more };
  const cold: Record<string, number[]> = Object.fromEntries(
    Object.keys(warm)
      .filter((k) => k !== 'collect')
      .map((k) => [k, []]),
  );
  const us = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1000;
  for (let step = 1; step <= WARMUP + STEPS; step++) {
    const rewardResult = analyzer.analyzeRewards({
      kind: 'rewards',
      id: step,
      step,
      rewards,
      groupSize: GROUP,
    });
    const genResult = analyzer.analyzeGenerations({
      kind: 'generations',
      id: step,
      step,
      textBlob: texts.join(''),
      textLengths: Int32Array.from(texts, (x) => x.length),
      tokenCounts: new Int32Array(COMPLETIONS).fill(16),
      groupSize: GROUP,
      referencesJson: JSON.stringify(texts.map((_, i) => ({ answer: String(2 * i), steps: [String(i)] }))),
      sample: {
        indices: Int32Array.from({ length: COMPLETIONS }, (_, i) => i),
        offsets: Int32Array.from({ length: COMPLETIONS + 1 }, (_, i) => i * 16),
        tokens,
        logprobs,
        refLogprobs: logprobs,
      },
    });
    const keep = step > WARMUP;
    const coldStep = COLD && step % 2 === 0;
    if (coldStep && EVICT) evictCaches();
    if (coldStep && GAP_MS > 0) spin(GAP_MS);
    const all = coldStep ? cold : warm;
    let t0 = process.hrtime.bigint();
    t.beginStep(step);
    if (keep) all.setStep!.push(us(t0));
    t0 = process.hrtime.bigint();
    for (const [i, f] of REWARDS.entries()) {
      logReward(f, values[f]!, samples);
      if (i === 0 && keep) all.firstLogReward!.push(us(t0));
    }
    if (keep) all.logReward!.push(us(t0));
    t0 = process.hrtime.bigint();
    logStepTiming(step, {
      seconds: 0.5,
      samples: COMPLETIONS,
      tokens: 512,
      promptTokens: 300,
      phases: { generate: 0.2, reward: 0.01, reference: 0.05, update: 0.24 },
    });
    if (keep) all.logStepTiming!.push(us(t0));
    t0 = process.hrtime.bigint();
    logTrainingProgress(step, {
      loss: 0.01 * random(),
      grad_norm: random(),
      learning_rate: 0.0016,
      'clip_ratio/low_mean': 0,
      'clip_ratio/high_mean': 0,
      'clip_ratio/region_mean': 0,
      epoch: step / 50,
    });
    if (keep) all.logTrainingProgress!.push(us(t0));
    // The message's copy (both its serialisation, on the worker, and its deserialisation, here).
    t0 = process.hrtime.bigint();
    const received = [structuredClone(rewardResult), structuredClone(genResult)];
    if (keep) all.clone!.push(us(t0));
    t0 = process.hrtime.bigint();
    for (const r of received) {
      table.receive(r.gauges);
      r.gaugeTable = table;
      t.analyses.apply(r);
    }
    if (keep) all.onResult!.push(us(t0));
    if (step % COLLECT_EVERY === 0) {
      t0 = process.hrtime.bigint();
      await reader.collect();
      // Every 10th step (a cold one with BENCH_EVICT or BENCH_GAP_MS): reported with the warm steps' figures.
      if (keep) warm.collect!.push(us(t0) / COLLECT_EVERY);
    }
    // Let the sinks write (untimed), as the event loop does between a trainer's steps.
    await new Promise((r) => setImmediate(r));
  }
  const report = (what: string, all: Record<string, number[]>) => {
    const line = Object.entries(all)
      .map(([k, xs]) => `${k} ${median(xs).toFixed(1)}`)
      .join(', ');
    // The first logReward call is part of the four.
    const total = Object.entries(all).reduce(
      (s, [k, xs]) => (k === 'firstLogReward' ? s : s + median(xs)),
      0,
    );
    console.log(`part 2${what}, µs per step (median): ${line}; total ${total.toFixed(0)}`);
  };
  report(COLD ? ', warm steps' : '', warm);
  if (COLD) {
    report(`, steps after ${COLD_WHAT}`, cold);
    const ratio = (k: string) => (median(cold[k]!) / median(warm[k]!)).toFixed(1);
    // Both sides without the collection, which only the cold steps run.
    const sum = (all: Record<string, number[]>) =>
      Object.entries(all).reduce(
        (s, [k, xs]) => (k === 'firstLogReward' || k === 'collect' ? s : s + median(xs)),
        0,
      );
    console.log(
      `part 2, after ${COLD_WHAT} / warm: the step's calls ${(sum(cold) / sum(warm)).toFixed(2)}; logReward x4 ` +
        `${ratio('logReward')}, the first of them ${ratio('firstLogReward')}, onResult ${ratio('onResult')}, ` +
        `logStepTiming ${ratio('logStepTiming')}`,
    );
  }
  await shutdown();
  rmSync(dir, { recursive: true, force: true });
  otelMetrics.disable();
}

/** Part 3: logRewardMetrics + logGenerationMetrics (the training thread's side: copying and posting), µs per step. */
async function part3(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-facade-'));
  initialize({
    config: parseConfig(
      // The calling thread's side of the calls (the instance's analysis bridge is read below).
      'handlers:\n  none: { class: logging.NullHandler }\nroot: { level: INFO, handlers: [none] }\nmetrics: { logging_frequency: 1, full_metrics_frequency: 1, sampling_ratio: 1 }\ntelemetry_thread: { enabled: false }\n',
      { source: 'bench.yaml', baseDir: dir, env: {} },
    ),
    env: {},
    handleExit: false,
    registerGlobal: false,
  });
  const t = getTelemetry()!;
  let seed = 11;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  // As the demo trainer passes them: number[] tokens and logprobs, a Float32Array distribution.
  const completions = Array.from({ length: COMPLETIONS }, (_, i) => ({
    text: `<reasoning>${i} plus ${i} is ${2 * i}</reasoning><answer>${2 * i}</answer>`,
    tokens: Array.from({ length: 16 }, () => Math.floor(random() * 40)),
    logprobs: Array.from({ length: 16 }, () => -random()),
    refLogprobs: Array.from({ length: 16 }, () => -random()),
    truncated: false,
    distribution: { data: Float32Array.from({ length: 16 * 40 }, () => -random() * 4), width: 40 },
  }));
  const references = completions.map((_, i) => ({
    answer: 2 * i,
    steps: [i, i, 2 * i],
    question: `What is ${i} plus ${i}?`,
  }));
  const rewards = Object.fromEntries(
    REWARDS.map((f) => [f, Array.from({ length: COMPLETIONS }, () => random())]),
  );
  const rewardUs: number[] = [];
  const genUs: number[] = [];
  const postUs: number[] = [];
  for (let step = 1; step <= WARMUP + STEPS; step++) {
    let t0 = process.hrtime.bigint();
    logRewardMetrics(step, rewards, { groupSize: GROUP });
    const r = Number(process.hrtime.bigint() - t0) / 1000;
    t0 = process.hrtime.bigint();
    logGenerationMetrics(step, completions, references, { groupSize: GROUP, maxTokens: 16 });
    const g = Number(process.hrtime.bigint() - t0) / 1000;
    // The jobs are posted at the end of the synchronous stretch (a microtask): part of the cost.
    t0 = process.hrtime.bigint();
    await Promise.resolve();
    const post = Number(process.hrtime.bigint() - t0) / 1000;
    if (step > WARMUP) {
      rewardUs.push(r);
      genUs.push(g);
      postUs.push(post);
    }
    await t.analyses.running!.settled(step, 10_000);
  }
  console.log(
    `part 3, µs per step (median): logRewardMetrics ${median(rewardUs).toFixed(1)}, logGenerationMetrics ${median(genUs).toFixed(1)}, posting both ${median(postUs).toFixed(1)}`,
  );
  await shutdown();
  rmSync(dir, { recursive: true, force: true });
}

await part1();
await part2();
await part3();
