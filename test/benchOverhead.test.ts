// The overhead benchmark's pairing and statistics (bench/overhead/pairs.ts), its configs
// (trainRuns.ts benchConfig) and its profile attribution (attribution.ts) on fixed inputs; the
// expected values are worked out by hand or come from scipy (the gen-*-fixture.py scripts). One run
// of the command itself with a few steps checks that its options and report hold together; no
// timing is asserted anywhere here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { attribute, type CpuProfile, classify } from '../bench/overhead/attribution.js';
import {
  abbaBlocks,
  measuredSteps,
  medianInterval,
  orderEffects,
  type PairSteps,
  pairOrder,
  quantile,
  runOrder,
  type Spread,
  summarize,
  summarizeOrders,
} from '../bench/overhead/pairs.js';
import { benchConfig, repoRoot } from '../bench/overhead/trainRuns.js';

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);

test('runs go pair by pair, the first mode alternating', () => {
  assert.deepEqual(runOrder(3), [
    { pair: 0, mode: 'on' },
    { pair: 0, mode: 'off' },
    { pair: 1, mode: 'off' },
    { pair: 1, mode: 'on' },
    { pair: 2, mode: 'on' },
    { pair: 2, mode: 'off' },
  ]);
  assert.throws(() => runOrder(0), /pairs must be a positive integer/);
  assert.throws(() => runOrder(1.5), /pairs must be a positive integer/);
});

test('quantiles interpolate linearly between order statistics (numpy default)', () => {
  const xs = [4, 1, 3, 2]; // sorted 1 2 3 4
  close(quantile(xs, 0.5), 2.5, 'median');
  close(quantile(xs, 0.25), 1.75, 'q1');
  close(quantile(xs, 0.75), 3.25, 'q3');
  close(quantile(xs, 0), 1, 'min');
  close(quantile(xs, 1), 4, 'max');
  close(quantile([7], 0.25), 7, 'single value');
  assert.ok(Number.isNaN(quantile([], 0.5)));
  assert.deepEqual(xs, [4, 1, 3, 2], 'the input is not sorted in place');
});

// Reference intervals from scipy.stats.quantile_test (bench/overhead/gen-median-interval-fixture.py).
const intervals = JSON.parse(
  readFileSync(new URL('./fixtures/medianInterval.json', import.meta.url), 'utf8'),
) as {
  cases: {
    level: number;
    values: number[];
    low: number | null;
    high: number | null;
    coverage?: number | null;
  }[];
};

test("the median interval is scipy's distribution-free one, with its exact coverage", () => {
  assert.ok(intervals.cases.length > 200);
  let withCoverage = 0;
  for (const c of intervals.cases) {
    const what = `n=${c.values.length} at ${c.level}`;
    const r = medianInterval(c.values, c.level);
    if (c.low === null || c.high === null) {
      assert.ok(
        Number.isNaN(r.low) && Number.isNaN(r.high) && Number.isNaN(r.coverage),
        `${what}: no interval`,
      );
      continue;
    }
    assert.equal(r.low, c.low, `${what}: low`);
    assert.equal(r.high, c.high, `${what}: high`);
    assert.ok(r.coverage >= c.level, `${what}: coverage ${r.coverage} below ${c.level}`);
    if (typeof c.coverage === 'number') {
      assert.ok(
        Math.abs(r.coverage - c.coverage) < 1e-12,
        `${what}: coverage ${r.coverage} != ${c.coverage}`,
      );
      withCoverage++;
    }
  }
  assert.ok(withCoverage > 100);
  assert.throws(() => medianInterval([1, 2, 3], 1), /confidence must be in \(0, 1\)/);
  assert.throws(() => medianInterval([1, 2, 3], Number.NaN), /confidence must be in/);
});

test('the warm-up steps of a run are dropped, and a run with nothing left is an error', () => {
  assert.deepEqual(measuredSteps([9, 8, 1, 2], 2), [1, 2]);
  assert.throws(() => measuredSteps([1, 2], 2), /2 steps, not more than the 2 skipped/);
});

test('summary: per-pair ratios of mean and median step time, their median and spread', () => {
  const s = summarize([
    // means 1.1 / 1.0, medians 1.0 / 1.0
    { on: [1.0, 1.0, 1.3], off: [1.0, 1.0, 1.0] },
    // means 2.0 / 2.5 = 0.8, medians 2 / 2.5 = 0.8
    { on: [2, 2, 2], off: [2.5, 2.5, 2.5] },
    // means 1.02 / 1.0, medians 1.02 / 1.0
    { on: [1.02, 1.02], off: [1.0, 1.0] },
    // means 3.3 / 3.0 = 1.1, medians 3.3 / 3.0
    { on: [3.3], off: [3.0] },
  ]);
  assert.equal(s.pairs, 4);
  const means = s.ratios.map((r) => r.meanRatio);
  for (const [i, v] of [1.1, 0.8, 1.02, 1.1].entries()) close(means[i]!, v, `pair ${i} mean ratio`);
  for (const [i, v] of [1.0, 0.8, 1.02, 1.1].entries())
    close(s.ratios[i]!.medianRatio, v, `pair ${i} median ratio`);
  // mean ratios sorted: 0.8 1.02 1.1 1.1
  close(s.meanRatio.median, 1.06, 'median of mean ratios');
  close(s.meanRatio.q1, 0.8 + 0.75 * 0.22, 'q1');
  close(s.meanRatio.q3, 1.1, 'q3');
  close(s.meanRatio.min, 0.8, 'min');
  close(s.meanRatio.max, 1.1, 'max');
  // 4 pairs are too few for a 95% interval of the median (5 or fewer are: 2 / 2^5 > 0.05).
  assert.ok(Number.isNaN(s.meanRatio.ci.low) && Number.isNaN(s.meanRatio.ci.high));
  // median ratios sorted: 0.8 1.0 1.02 1.1
  close(s.medianRatio.median, 1.01, 'median of median ratios');
  assert.equal(s.slowerWithTelemetry, 3);
  // mean differences: 0.1, -0.5, 0.02, 0.3 -> sorted -0.5 0.02 0.1 0.3
  for (const [i, v] of [0.1, -0.5, 0.02, 0.3].entries())
    close(s.ratios[i]!.meanDifference, v, `pair ${i} mean difference`);
  close(s.meanDifference.median, 0.06, 'median of mean differences');
  close(s.meanDifference.min, -0.5, 'smallest difference');
  close(s.meanDifference.max, 0.3, 'largest difference');
  // every step pooled: on 1 1 1.3 2 2 2 1.02 1.02 3.3 -> 1.3; off 1 1 1 2.5 2.5 2.5 1 1 3 -> 1
  close(s.pooledMedianSeconds.on, 1.3, 'pooled on');
  close(s.pooledMedianSeconds.off, 1, 'pooled off');
  assert.throws(() => summarize([]), /no pairs/);
});

test('summary: with 8 pairs the median ratio comes with its 95% interval, the extremes (99.2%)', () => {
  const offs = [1, 1, 1, 1, 1, 1, 1, 1];
  const ons = [1.05, 0.98, 1.02, 1.04, 1.01, 1.03, 1.0, 1.06];
  const s = summarize(ons.map((on, i) => ({ on: [on], off: [offs[i]!] })));
  close(s.meanRatio.ci.low, 0.98, 'low');
  close(s.meanRatio.ci.high, 1.06, 'high');
  // 1 - 2 * P(Binomial(8, 1/2) = 0) = 1 - 2/256
  close(s.meanRatio.ci.coverage, 1 - 2 / 256, 'coverage');
});

// A hand-made profile: root > runDemo (trainer) > logReward (SDK) > emit (OTel), runDemo > kernel
// (wasm), the GC, idle, and an SDK timer callback with no trainer frame below it.
const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber });
const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 6, 7, 8, 10] },
    {
      id: 2,
      callFrame: frame('runDemo', 'file:///r/packages/demo-trainer/dist/runDemo.js', 9),
      children: [3, 5],
    },
    {
      id: 3,
      callFrame: frame('logReward', 'file:///r/packages/sdk/dist/facade/logReward.js', 45),
      children: [4],
    },
    {
      id: 4,
      callFrame: frame(
        'emit',
        'file:///r/node_modules/.pnpm/@opentelemetry+sdk-logs@0.223.0/node_modules/@opentelemetry/sdk-logs/build/src/Logger.js',
      ),
    },
    { id: 5, callFrame: frame('wasm-function[268]', 'wasm://wasm/0019ea4a') },
    { id: 6, callFrame: frame('(garbage collector)', '') },
    { id: 7, callFrame: frame('(idle)', '') },
    { id: 8, callFrame: frame('listOnTimeout', 'node:internal/timers'), children: [9] },
    { id: 9, callFrame: frame('drain', 'file:///r/packages/sdk/dist/processors/StepMetricSink.js', 204) },
    { id: 10, callFrame: frame('processTicksAndRejections', 'node:internal/process/task_queues') },
  ],
  // Each sample counts the time to the next one (the first delta is from the start, the last sample
  // counts nothing).
  samples: [4, 3, 5, 5, 6, 7, 9, 10, 5],
  timeDeltas: [100, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000],
};

test('attribution: telemetry is SDK/OTel code below the trainer, or with no trainer frame at all', () => {
  const a = attribute(PROFILE);
  // 9 samples over 1+2+...+8 = 36 ms: 4.5 ms each. Telemetry: emit, logReward, the timer's drain (3);
  // trainer: the kernel (3); GC, idle, other (1 each).
  assert.deepEqual(a.ms, { telemetry: 13.5, trainer: 13.5, gc: 4.5, idle: 4.5, other: 4.5 });
  // Each sample until the next: emit 1 ms + logReward 2 ms + drain 7 ms; kernel 3 + 4 (+ the last, 0).
  assert.deepEqual(a.msToNext, { telemetry: 10, trainer: 7, gc: 5, idle: 6, other: 8 });
  assert.deepEqual(a.entries, [
    ['logReward sdk/dist/facade/logReward.js:46', 9],
    ['drain sdk/dist/processors/StepMetricSink.js:205', 4.5],
  ]);
  assert.deepEqual(classify([]), { part: 'other' });
  // A trainer frame called back from inside the SDK (a withSpan body) is the trainer's time.
  assert.equal(
    classify([
      frame('step', 'file:///r/packages/demo-trainer/dist/GrpoTrainer.js'),
      frame('withSpan', 'file:///r/packages/sdk/dist/facade/withSpan.js'),
      frame('sample', 'file:///r/packages/demo-trainer/dist/GruPolicy.js'),
    ]).part,
    'trainer',
  );
});

test('ABBA blocks: the geometric mean of the two orders cancels a multiplicative order effect', () => {
  // True overhead 1.03; running first makes a run 1.1 times as slow.
  const t = 1.03;
  const e = 1.1;
  const ratios = [t * e, t / e, t * e, t / e, t * e];
  for (const b of abbaBlocks(ratios, 'geometric')) close(b, t, 'block');
  assert.equal(abbaBlocks(ratios, 'geometric').length, 2, 'the odd last pair has no partner');
  for (const o of orderEffects(ratios)) close(o, e, 'order effect');
  assert.deepEqual(abbaBlocks([0.003, 0.001, 0.004, 0], 'arithmetic'), [0.002, 0.002]);
  assert.deepEqual(abbaBlocks([1.1], 'geometric'), []);
  assert.deepEqual(
    [0, 1, 2, 3].map(pairOrder),
    ['on-off', 'off-on', 'on-off', 'off-on'],
    "runOrder's orders",
  );
  // Step times with that order effect: per order the figures are biased, per block they are not.
  const pairs: PairSteps[] = [0, 1, 2, 3].map((i) =>
    i % 2 === 0 ? { on: [t * e, t * e], off: [1, 1] } : { on: [t, t], off: [e, e] },
  );
  const s = summarizeOrders(pairs);
  close(s.byOrder['on-off']!.meanRatio.median, t * e, 'on first');
  close(s.byOrder['off-on']!.meanRatio.median, t / e, 'on second');
  close(s.combinedMedians, t, 'the orders combined');
  assert.equal(s.blocks, 2);
  close(s.meanRatio!.median, t, 'blocks');
  close(s.orderEffect!.median, e, 'order effect');
  // One pair: no block, one order only.
  const one = summarizeOrders(pairs.slice(0, 1));
  assert.equal(one.blocks, 0);
  assert.equal(one.meanRatio, undefined);
  assert.equal(one.byOrder['off-on'], undefined);
  assert.ok(Number.isNaN(one.combinedMedians));
});

// Reference values from numpy and scipy (bench/overhead/gen-abba-fixture.py).
type RefSpread = { median: number; low: number | null; high: number | null } | null;
const abba = JSON.parse(readFileSync(new URL('./fixtures/abbaSummary.json', import.meta.url), 'utf8')) as {
  cases: {
    pairs: PairSteps[];
    byOrder: Record<'on-off' | 'off-on', RefSpread>;
    combinedMedians: number | null;
    blocks: number;
    meanRatio: RefSpread;
    medianRatio: RefSpread;
    meanDifference: RefSpread;
    orderEffect: RefSpread;
  }[];
};

test('per order and per ABBA block, the summary is numpy and scipy on the same pairs', () => {
  assert.ok(abba.cases.length > 15);
  const near = (a: number, b: number, what: string) =>
    assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} != ${b}`);
  const same = (actual: Spread | undefined, ref: RefSpread, what: string) => {
    if (ref === null) return assert.equal(actual, undefined, what);
    assert.ok(actual, what);
    near(actual.median, ref.median, `${what} median`);
    if (ref.low === null || ref.high === null)
      return assert.ok(Number.isNaN(actual.ci.low) && Number.isNaN(actual.ci.high), `${what}: no interval`);
    near(actual.ci.low, ref.low, `${what} low`);
    near(actual.ci.high, ref.high, `${what} high`);
  };
  for (const c of abba.cases) {
    const what = `${c.pairs.length} pairs`;
    const s = summarizeOrders(c.pairs);
    assert.equal(s.blocks, c.blocks, what);
    same(s.byOrder['on-off']?.meanRatio, c.byOrder['on-off'], `${what}, on first`);
    same(s.byOrder['off-on']?.meanRatio, c.byOrder['off-on'], `${what}, on second`);
    if (c.combinedMedians === null) assert.ok(Number.isNaN(s.combinedMedians), what);
    else near(s.combinedMedians, c.combinedMedians, `${what}, orders combined`);
    same(s.meanRatio, c.meanRatio, `${what}, blocks`);
    same(s.medianRatio, c.medianRatio, `${what}, blocks of median ratios`);
    same(s.meanDifference, c.meanDifference, `${what}, blocks of differences`);
    same(s.orderEffect, c.orderEffect, `${what}, order effect`);
  }
});

test('--config: seed, the shipped default unedited, full, or a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-bench-config-'));
  try {
    const shipped = join(repoRoot, 'packages/demo-trainer/config/logging_config.yaml');
    const d = benchConfig('default', dir, 30);
    assert.equal(d.path, shipped, 'the shipped file itself, not a copy');
    const shippedMetrics = parse(readFileSync(shipped, 'utf8')).metrics;
    assert.deepEqual(d.metrics, {
      loggingFrequency: shippedMetrics.logging_frequency,
      fullMetricsFrequency: shippedMetrics.full_metrics_frequency,
      samplingRatio: shippedMetrics.sampling_ratio,
    });
    // The seed plan's own settings (seed/logging-consolidation-plan.md).
    const seed = benchConfig('seed', dir, 30);
    assert.deepEqual(seed.metrics, {
      loggingFrequency: 50,
      fullMetricsFrequency: undefined,
      samplingRatio: 0.1,
    });
    assert.equal(parse(readFileSync(seed.path, 'utf8')).metrics.validation_frequency, 250);
    const full = benchConfig('full', dir, 30);
    assert.deepEqual(full.metrics, { loggingFrequency: 1, fullMetricsFrequency: 1, samplingRatio: 1 });
    assert.equal(parse(readFileSync(full.path, 'utf8')).metrics.validation_frequency, 31);
    const file = benchConfig(seed.path, dir, 30);
    assert.equal(file.name, 'file');
    assert.equal(file.path, seed.path);
    assert.throws(() => benchConfig(join(dir, 'absent.yaml'), dir, 30), /neither seed, default, full nor/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the command: --config seed --with-control reports both series per order and per ABBA block', () => {
  // Training runs use the built packages (bench/overhead/trainRun.mjs): `pnpm build` first.
  assert.ok(
    existsSync(join(repoRoot, 'packages/demo-trainer/dist/index.js')),
    'packages/demo-trainer/dist is missing: run pnpm build first',
  );
  const r = spawnSync(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      join(repoRoot, 'bench/overhead/run.ts'),
      ...['--config', 'seed', '--pairs', '2', '--steps', '3', '--skip', '1', '--warmup-steps', '1'],
      '--with-control',
    ],
    { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 },
  );
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  const out = r.stdout;
  assert.match(out, /config seed: the seed plan's own config/);
  assert.match(
    out,
    /logging_frequency 50, full_metrics_frequency \(unset: the SDK default\), sampling_ratio 0\.1/,
  );
  // Runs: per ABBA block, the telemetry block, then the control block.
  const runs = [...out.matchAll(/^ {2}(telemetry|control) +pair +(\d+) (on|off)/gm)].map(
    (m) => `${m[1]} ${m[2]} ${m[3]}`,
  );
  assert.deepEqual(runs, [
    'telemetry 1 on',
    'telemetry 1 off',
    'telemetry 2 off',
    'telemetry 2 on',
    'control 1 on',
    'control 1 off',
    'control 2 off',
    'control 2 on',
  ]);
  for (const heading of ['### telemetry: on vs off', '### A/A control: off vs off'])
    assert.ok(out.includes(heading), heading);
  for (const row of [
    'pairs that ran "on" first | 1 |',
    'pairs that ran "on" second | 1 |',
    ': every pair | 2 |',
    '**ABBA blocks, order effect removed** | 1 blocks |',
    "geometric mean of the two orders' medians",
    "order effect (a run's cost of running first) | 1 blocks |",
  ])
    assert.equal(out.split(row).length - 1, 4, `${row}: wall and thread CPU, in both series`);
});
