// The per-step TensorBoard path of the SDK, old vs new side by side in one process: a step of the
// demo trainer's shape (about 125 scalar series, most with attributes, 18 histograms, observable
// gauges) recorded into a StepMetricSink, the step ended (`advance`: observables read) and written
// (drain: the step handed to the TensorBoardMetricExporter: tags, encoding, TFRecord framing) to a
// real event file. "old" is the code at a git revision, extracted into
// packages/{sdk,exporter-tensorboard}/node_modules/.bench-baseline/<rev>/ (where its dependencies
// resolve); "new" is the working tree. Rounds alternate their order; medians per step. At the end
// both runs' event files are compared record by record: apart from wall times they must be
// byte-identical (exit code 1 otherwise).
//
//   node --conditions=source --import tsx bench/tensorboard/stepSink.ts [--baseline <rev>] [--steps N] [--rounds R]
//        [--cold] [--reverse] [--thrash MiB]
//
// Measured (2 shared cores, load average 6-13, baseline 552cb3b; logReward's and the analysis
// results' attributes frozen and shared, as the facade passes them), median µs per step:
//   phase                         old    new  old/new
//   record (sink.record etc.)    32.5   13.7  2.38x
//   advance (observables)         3.6    1.1  3.47x
//   drain (export + encode)     139.4   31.3  4.45x
//   total                       175.5   46.0  3.82x
//   event files: 1602 vs 1602 records, byte-identical (wall times aside)
// Repeated runs: drain 3.3x-4.8x. With 16 MiB written between steps (--thrash 16: the caches
// evicted, as a trainer's own work does): drain 157.7 -> 44.1 (3.6x), total 202.7 -> 65.5 (3.1x).
// Cold (--cold --rounds 1 --steps 45: the first 45 steps of a process, as in the demo's run; it also
// prints the first step and the mean): drain median 300-435 -> 90-245 µs (1.7x-4.5x); the first step
// (tags computed, code not compiled) ~2.5 ms in both. Means are dominated by a few slow steps (GC,
// the loaded machine) and vary 2-5x between identical runs; identical code measures within +-30% in
// the record and advance rows.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = join(import.meta.dirname, '../..');
const { values: args } = parseArgs({
  options: {
    baseline: { type: 'string', default: '552cb3b' },
    steps: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '7' },
    // No warm-up round: the first steps of a process, as in a short training run (use --rounds 1).
    cold: { type: 'boolean', default: false },
    // Run "new" first in the first round.
    reverse: { type: 'boolean', default: false },
    // MiB of memory written between steps (untimed), as a trainer's own work evicts the CPU caches.
    thrash: { type: 'string', default: '0' },
  },
});
const STEPS = Number(args.steps);
const ROUNDS = Number(args.rounds);

// ------------------------------------------------------------------------------ the two versions

/** Copies the files of `dir` at `rev` into `<pkg>/node_modules/.bench-baseline/<rev>/` (resolvable deps). */
function extract(rev: string, pkg: string, dir: string): string {
  const out = join(repoRoot, pkg, 'node_modules/.bench-baseline', rev);
  const files = execFileSync('git', ['ls-tree', '-r', '--name-only', rev, `${pkg}/${dir}`], {
    cwd: repoRoot,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => f.endsWith('.ts'));
  for (const f of files) {
    const target = join(out, f.slice(pkg.length + 1));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, execFileSync('git', ['show', `${rev}:${f}`], { cwd: repoRoot }));
  }
  return out;
}

interface Impl {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: the two versions' modules, loaded dynamically
  sinkMod: any;
  // biome-ignore lint/suspicious/noExplicitAny: idem
  meterMod: any;
  // biome-ignore lint/suspicious/noExplicitAny: idem
  dropMod: any;
  // biome-ignore lint/suspicious/noExplicitAny: idem
  tbMod: any;
}

async function load(name: string, sdkSrc: string, tbSrc: string): Promise<Impl> {
  const imp = (p: string) => import(pathToFileURL(p).href);
  // The step-keyed path lived in processors/ before it had a folder of its own.
  const stepDir = existsSync(join(sdkSrc, 'step-metrics')) ? 'step-metrics' : 'processors';
  return {
    name,
    sinkMod: await imp(join(sdkSrc, stepDir, 'StepMetricSink.ts')),
    meterMod: await imp(join(sdkSrc, stepDir, 'StepMeter.ts')),
    dropMod: await imp(join(sdkSrc, 'internal/DropCounter.ts')),
    tbMod: await imp(join(tbSrc, 'index.ts')),
  };
}

const baseSdk = extract(args.baseline, 'packages/sdk', 'src');
const baseTb = extract(args.baseline, 'packages/exporter-tensorboard', 'src');
const impls = [
  await load('old', join(baseSdk, 'src'), join(baseTb, 'src')),
  await load('new', join(repoRoot, 'packages/sdk/src'), join(repoRoot, 'packages/exporter-tensorboard/src')),
];

// ---------------------------------------------------------------------------------- the workload

const FUNCS = [
  'correctness_reward',
  'xml_format_reward',
  'anti_repetition_reward',
  'topic_relevance_reward',
  'total',
];
const REWARD_GAUGES = [
  'grpo.reward.mean',
  'grpo.reward.std',
  'grpo.reward.min',
  'grpo.reward.max',
  'grpo.reward.median',
  'grpo.reward.zero_std_ratio',
  'grpo.reward.mean_group_std',
];
const PLAIN_GAUGES = [
  'grpo.training.current_step',
  'grpo.policy.loss',
  'grpo.policy.grad_norm',
  'grpo.policy.learning_rate',
  'grpo.policy.clip.low_ratio',
  'grpo.policy.clip.high_ratio',
  'grpo.policy.clip.region_ratio',
  'grpo.training.epoch',
  'grpo.advantage.mean',
  'grpo.advantage.std',
  'grpo.advantage.min',
  'grpo.advantage.max',
  'grpo.efficiency.reward_gain',
  'grpo.efficiency.cpu_reward_gain',
  'grpo.completion.mean_length',
  'grpo.completion.min_length',
  'grpo.completion.max_length',
  'grpo.completion.clipped_ratio',
  'grpo.completion.mean_terminated_length',
  'grpo.completion.min_terminated_length',
  'grpo.completion.max_terminated_length',
  'grpo.completion.mean_char_length',
  'grpo.completion.reasoning_answer_ratio',
  'grpo.task.accuracy',
  'grpo.task.answer_extracted_ratio',
  'grpo.task.reasoning_completeness',
  'grpo.task.hallucination_ratio',
  'grpo.policy.entropy',
  'grpo.completion.duplicate_ratio',
  'grpo.throughput.samples',
];
const HEAP_SPACES = ['read_only_space', 'new_space', 'old_space', 'code_space', 'large_object_space'];
const BOUNDS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

interface Harness {
  // biome-ignore lint/suspicious/noExplicitAny: the version's StepMetricSink
  sink: any;
  step(s: number): void;
  // biome-ignore lint/suspicious/noExplicitAny: the version's TensorBoardRun
  run: any;
}

function harness(impl: Impl, logDir: string): Harness {
  const { StepMetricSink } = impl.sinkMod;
  const { stepInstrument } = impl.meterMod;
  const { TensorBoardRun, TensorBoardMetricExporter } = impl.tbMod;
  const run = new TensorBoardRun({ logDir, runName: impl.name });
  let exportStep = 0;
  const sink = new StepMetricSink({
    exporters: [{ name: 'tb', exporter: new TensorBoardMetricExporter({ run, getStep: () => exportStep }) }],
    resource: { attributes: {} }, // the TensorBoard exporter does not read it
    drops: new impl.dropMod.DropCounter(),
    setExportStep: (s: number) => {
      exportStep = s;
    },
  });
  const scope = { name: '@grpo-otel/sdk', version: '0.0.0' };
  const gauge = (name: string) => stepInstrument(scope, 'gauge', name, {});
  const counter = (name: string) => stepInstrument(scope, 'counter', name, {});
  const rewardGauges = REWARD_GAUGES.map(gauge);
  const movingAverage = gauge('grpo.reward.moving_average');
  const correlation = gauge('grpo.reward.correlation');
  const signal = gauge('grpo.signal.active');
  const plain = PLAIN_GAUGES.map(gauge);
  const kl = gauge('grpo.policy.kl');
  const ngram = gauge('grpo.completion.distinct_ngram_ratio');
  const format = gauge('grpo.completion.format_adherence');
  const samples = counter('grpo.training.samples');
  const tokens = counter('grpo.training.tokens');
  const duration = stepInstrument(scope, 'histogram', 'grpo.phase.duration', {
    advice: { explicitBucketBoundaries: [0, 5, 10, 25, 50, 100, 250, 500, 1000] },
  });
  const analysisScope = { name: '@grpo-otel/sdk/analysis', version: '0.0.0' };
  const heap = stepInstrument(scope, 'observable_gauge', 'v8js.memory.heap.used', {});
  const queue = stepInstrument(scope, 'observable_gauge', 'grpo.sdk.queue.size', {});
  sink.addObserver(heap, (r: { observe(v: number, a?: object): void }) => {
    for (const s of HEAP_SPACES) r.observe(1e6, { 'v8js.heap.space.name': s });
  });
  sink.addObserver(queue, (r: { observe(v: number, a?: object): void }) => {
    for (const s of ['metrics', 'logs', 'traces'])
      r.observe(3, { 'grpo.sdk.signal': s, 'grpo.sdk.exporter': 'otlp' });
  });
  const rewardAttrs = FUNCS.map((f) => Object.freeze({ 'grpo.reward.function': f, 'grpo.split': 'train' }));
  const correlationAttrs = [0, 1, 2].map((a) =>
    ['pearson', 'spearman'].map((m) =>
      Object.freeze({
        'grpo.reward.function': FUNCS[a + 1]!,
        'grpo.reward.other_function': FUNCS[(a + 2) % 4]!,
        'grpo.correlation.method': m,
      }),
    ),
  );
  const step = (s: number) => {
    const x = (s % 97) / 97;
    for (let f = 0; f < FUNCS.length; f++) {
      // logReward and the analysis results pass one frozen object per series, the rest new ones.
      const attrs = rewardAttrs[f]!;
      for (let g = 0; g < rewardGauges.length; g++) sink.record(rewardGauges[g], x + f + g / 10, attrs);
      sink.record(movingAverage, x * f, { ...attrs, 'grpo.window.size': 10 });
      sink.record(signal, 0, { 'grpo.signal.kind': 'reward_plateau', 'grpo.reward.function': FUNCS[f]! });
    }
    for (let a = 0; a < 3; a++)
      for (let m = 0; m < 2; m++) sink.record(correlation, x - a / 10 + m, correlationAttrs[a]![m]);
    for (let g = 0; g < plain.length; g++) sink.record(plain[g], x * g + s);
    sink.record(kl, x, { 'grpo.kl.estimator': 'k1' });
    sink.record(kl, x / 2, { 'grpo.kl.estimator': 'k3' });
    for (const n of [1, 2, 3]) sink.record(ngram, x / n, { 'grpo.ngram.n': n });
    sink.record(format, x, { 'grpo.format.mode': 'strict' });
    sink.record(format, x, { 'grpo.format.mode': 'lenient' });
    sink.record(samples, 64);
    sink.record(tokens, 900 + s, { 'gen_ai.token.type': 'output' });
    sink.record(tokens, 1200, { 'gen_ai.token.type': 'input' });
    for (const phase of ['generate', 'reward', 'reference', 'update'])
      for (let i = 0; i < 3; i++) sink.record(duration, 20 + i * 30 + s, { 'grpo.phase': phase });
    // Analysis results: bucket counts for the step, as the worker sends them.
    sink.at(s, () => {
      for (let h = 0; h < 13; h++) {
        const name =
          h < 5 ? 'grpo.reward.value' : h < 10 ? 'grpo.reward.group_std' : 'grpo.completion.length';
        const inst = stepInstrument(analysisScope, 'histogram', name, {});
        const attrs: Record<string, string> = h < 10 ? { 'grpo.reward.function': FUNCS[h % 5]! } : {};
        if (h === 11) attrs['grpo.split'] = 'validation';
        const counts = BOUNDS.map((_, i) => ((i + s + h) % 4) + 1);
        counts.push(1);
        sink.addBuckets(
          inst,
          {
            boundaries: BOUNDS,
            counts,
            count: counts.reduce((a, b) => a + b, 0),
            sum: 5 + x,
            min: -0.05,
            max: 1.3,
          },
          attrs,
        );
      }
    });
  };
  return { sink, step, run };
}

// ------------------------------------------------------------------------------------- measuring

const now = () => process.hrtime.bigint();
const root = mkdtempSync(join(tmpdir(), 'grpo-bench-stepsink-'));
const hs = impls.map((impl) => ({ impl, h: harness(impl, root) }));
const results = new Map<string, { record: number[]; advance: number[]; drain: number[] }>();
for (const { impl } of hs) results.set(impl.name, { record: [], advance: [], drain: [] });
const nextStep = new Map<string, number>(hs.map(({ impl }) => [impl.name, 0]));

const thrash = new Float64Array((Number(args.thrash) * 1024 * 1024) / 8);
function evictCaches(): void {
  for (let i = 0; i < thrash.length; i += 8) thrash[i] = thrash[i]! + 1;
}

async function round(entry: (typeof hs)[number], measure: boolean): Promise<void> {
  const { h, impl } = entry;
  const r = results.get(impl.name)!;
  for (let i = 0; i < STEPS; i++) {
    const s = nextStep.get(impl.name)!;
    nextStep.set(impl.name, s + 1);
    if (thrash.length > 0) evictCaches();
    const t0 = now();
    h.step(s);
    const t1 = now();
    h.sink.advance(s + 1);
    const t2 = now();
    if (thrash.length > 0) evictCaches();
    const t2b = now();
    h.sink.drain(false);
    const t3 = now();
    if (measure) {
      r.record.push(Number(t1 - t0) / 1000);
      r.advance.push(Number(t2 - t1) / 1000);
      r.drain.push(Number(t3 - t2b) / 1000);
    }
    if (i % 20 === 19) await yieldToLoop();
  }
  await yieldToLoop();
}

if (!args.cold) for (const e of hs) await round(e, false); // warm-up
for (let r = 0; r < ROUNDS; r++) {
  const order = (r % 2 === 0) !== args.reverse ? hs : [...hs].reverse();
  for (const e of order) await round(e, true);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const fmt = (n: number) => n.toFixed(1).padStart(7);
const [oldR, newR] = [results.get('old')!, results.get('new')!];
const lines = [
  `µs per step (median step of ${ROUNDS} rounds x ${STEPS} steps${args.cold ? ', cold' : ''}${thrash.length > 0 ? `, caches evicted (${args.thrash} MiB)` : ''}), baseline ${args.baseline}`,
];
lines.push(`${'phase'.padEnd(26)}${'old'.padStart(7)}${'new'.padStart(7)}  old/new`);
let to = 0;
let tn = 0;
for (const [label, key] of [
  ['record (sink.record etc.)', 'record'],
  ['advance (observables)', 'advance'],
  ['drain (export + encode)', 'drain'],
] as const) {
  const o = median(oldR[key]);
  const n = median(newR[key]);
  to += o;
  tn += n;
  lines.push(`${label.padEnd(26)}${fmt(o)}${fmt(n)}  ${(o / n).toFixed(2)}x`);
}
lines.push(`${'total'.padEnd(26)}${fmt(to)}${fmt(tn)}  ${(to / tn).toFixed(2)}x`);
if (args.cold) {
  // What a median hides: the first step (tags computed, code not compiled yet) and the mean.
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  lines.push(`${'drain, first step'.padEnd(26)}${fmt(oldR.drain[0]!)}${fmt(newR.drain[0]!)}`);
  lines.push(`${'drain, mean step'.padEnd(26)}${fmt(mean(oldR.drain))}${fmt(mean(newR.drain))}`);
}
process.stdout.write(`${lines.join('\n')}\n`);

// ------------------------------------------------------------------ both wrote the same content
for (const { h } of hs) {
  h.sink.flushSync();
  await h.sink.shutdown();
}
const { scanRecords } = impls[1]!.tbMod;
/** Every record of the run's event files, its wall time (the first 9 bytes) left out: the rest must match byte for byte. */
const contents = (name: string) => {
  const out: string[] = [];
  for (const f of readdirSync(join(root, name)).sort())
    for (const r of scanRecords(readFileSync(join(root, name, f))))
      if (r.kind === 'record') out.push(Buffer.from(r.data.subarray(9)).toString('hex'));
  return out;
};
const [a, b] = [contents('old'), contents('new')];
const same = a.length === b.length && a.every((x, i) => x === b[i]);
process.stdout.write(
  `event files: ${a.length} vs ${b.length} records, ${same ? 'byte-identical (wall times aside)' : 'DIFFERENT'}\n`,
);
rmSync(root, { recursive: true, force: true });
if (!same) process.exitCode = 1;
