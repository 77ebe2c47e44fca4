// Telemetry overhead on a real training loop: the demo GRPO trainer (packages/demo-trainer, tfjs wasm)
// with telemetry on, vs the same run with OTEL_SDK_DISABLED=true. Runs in pairs of child processes
// (same seed, so the same work), the order alternating within pairs: pairs 2k (on, off) and 2k+1
// (off, on) make one ABBA block. Reported per order (the pairs that ran telemetry first, those that ran
// it second), every pair together, and per ABBA block, where the order effect cancels (the geometric
// mean of the block's two ratios; pairs.ts summarizeOrders): each as the median of the ratio of mean
// step times, with its spread and a distribution-free 95% confidence interval (pairs.ts medianInterval).
// Usage: pnpm bench:overhead [--config full|default|seed|<file.yaml>] [--pairs 10] [--steps 30]
//   [--skip 5] [--warmup-steps 5] [--hidden-size 96] [--control | --with-control] [--check] [--keep]
//   --config: the telemetry config of the "on" runs (bench/overhead/trainRuns.ts benchConfig): `full`
//   (the default: every step logged and analysed, sampling_ratio 1), `default` (the demo's shipped
//   config, unedited), `seed` (the seed plan's own: logging every 50 steps, sampling_ratio 0.1), or a
//   YAML file. OTLP goes to a collector started for the run in every case.
//   --control: an A/A run, telemetry disabled in both runs of every pair: the spread of its ratios is
//   the bench's own resolution on this machine (what two identical runs differ by).
//   --with-control: both in one command: after each ABBA block of the real comparison, an ABBA block
//   of the A/A one, so the two meet the same machine state; reported side by side.
//   (= pnpm build, then node --conditions=source --import tsx bench/overhead/run.ts ...; the training
//   runs themselves use the built packages, see trainRun.mjs)
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '@grpo-otel/testkit/collector';
import { tempDirs } from '@grpo-otel/testkit/exitCleanup';
import { exportedLogRecords, exportedMetrics, exportedSpans } from '@grpo-otel/testkit/otlpJson';
import { DEFAULT_TRAINER_OPTIONS } from '../../packages/demo-trainer/src/TrainerOptions.js';
import {
  type Mode,
  mean,
  measuredSteps,
  type OrderedSummary,
  type PairSteps,
  pairOrder,
  runOrder,
  type Spread,
  summarize,
  summarizeOrders,
} from './pairs.js';
import { benchConfig, exitOnSignals, intArg, stringArg, trainingEnv, trainOnce } from './trainRuns.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number): number => intArg(args, name, dflt);
const PAIRS = arg('pairs', 10);
const STEPS = arg('steps', 30);
const SKIP = arg('skip', 5);
const WARMUP_STEPS = arg('warmup-steps', 5);
const SEED = arg('seed', 1);
// The policy's GRU width (default: the trainer's): a wider policy makes each step longer while the
// telemetry per step stays the same (same completions, tokens and records), which shows the overhead
// of a longer step without another trainer.
const HIDDEN_SIZE = arg('hidden-size', DEFAULT_TRAINER_OPTIONS.hiddenSize);
const CONFIG = stringArg(args, 'config', 'full');
const CHECK = args.includes('--check');
const KEEP = args.includes('--keep');
const CONTROL = args.includes('--control');
const WITH_CONTROL = args.includes('--with-control');
const TARGET = 1.01;

/** A comparison the command runs: telemetry on vs off, or the A/A control (off vs off). */
type Series = 'telemetry' | 'control';

const pct = (ratio: number): string => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(2)}%`;
const ms = (s: number): string => (s * 1000).toFixed(1);
const interval = (x: Spread, f: (v: number) => string = pct): string =>
  Number.isNaN(x.ci.low)
    ? 'n/a (6 or more)'
    : `${f(x.ci.low)} .. ${f(x.ci.high)} (${(x.ci.coverage * 100).toFixed(1)}%)`;
const line = (what: string, x: Spread | undefined, n: number | string, bold = false): string =>
  x === undefined
    ? `| ${what} | ${n} | n/a | | | |`
    : `| ${what} | ${n} | ${bold ? '**' : ''}${pct(x.median)}${bold ? '**' : ''} | ${interval(x)} | ` +
      `${pct(x.q1)} .. ${pct(x.q3)} | ${pct(x.min)} .. ${pct(x.max)} |`;

/** Per series, per pair, per mode: the measured steps' wall times, process CPU times, thread CPU. */
interface Measured {
  steps: { on?: number[]; off?: number[] }[];
  cpu: { on?: number[]; off?: number[] }[];
  thread: { on?: number[]; off?: number[] }[];
}

const pairsOf = (xs: Measured['steps']): PairSteps[] => xs.map((p) => ({ on: p.on!, off: p.off! }));

/** The order table of one measure: each order, every pair, the ABBA blocks, the order effect. */
function orderRows(what: string, o: OrderedSummary): string[] {
  const first = o.byOrder['on-off'];
  const second = o.byOrder['off-on'];
  return [
    line(`${what}: pairs that ran "on" first`, first?.meanRatio, first?.pairs ?? 0),
    line(`${what}: pairs that ran "on" second`, second?.meanRatio, second?.pairs ?? 0),
    line(`${what}: every pair`, o.all.meanRatio, o.all.pairs),
    line(`${what}: **ABBA blocks, order effect removed**`, o.meanRatio, `${o.blocks} blocks`, true),
    `| ${what}: geometric mean of the two orders' medians | | ${Number.isNaN(o.combinedMedians) ? 'n/a' : pct(o.combinedMedians)} | | | |`,
    line(`${what}: order effect (a run's cost of running first)`, o.orderEffect, `${o.blocks} blocks`),
  ];
}

function report(series: Series, m: Measured): { text: string; figure: number } {
  const s = summarizeOrders(pairsOf(m.steps));
  const c = summarize(pairsOf(m.cpu));
  // One figure per run (its training thread's CPU time over the measured steps, per step); none off Linux.
  const t = m.thread[0]!.on!.length > 0 ? summarizeOrders(pairsOf(m.thread)) : undefined;
  const all = s.all;
  const rows = all.ratios.map(
    (r, i) =>
      `| ${i + 1} | ${pairOrder(i) === 'on-off' ? 'on, off' : 'off, on'} | ${pct(r.meanRatio)} | ${pct(r.medianRatio)} | ` +
      `${pct(c.ratios[i]!.meanRatio)} | ${t ? pct(t.all.ratios[i]!.meanRatio) : 'n/a'} |`,
  );
  const d = s.meanDifference ?? all.meanDifference;
  const text =
    `\n### ${series === 'control' ? 'A/A control: off vs off ("on" is a second disabled run)' : 'telemetry: on vs off'}\n\n` +
    `| pair | order | mean step time | median step time | process CPU per step | training thread CPU |\n` +
    `|---:|---|---:|---:|---:|---:|\n${rows.join('\n')}\n\n` +
    `| overhead (on/off - 1) | pairs | median | 95% interval of the median (coverage) | quartiles | min .. max |\n` +
    `|---|---:|---:|---:|---:|---:|\n` +
    `${orderRows('mean step time (wall)', s).join('\n')}\n` +
    `${t ? `${orderRows('training thread CPU time per step', t).join('\n')}\n` : ''}` +
    `${line('median step time (wall), ABBA blocks', s.medianRatio, `${s.blocks} blocks`)}\n` +
    `${line('process CPU time per step (all threads), every pair', c.meanRatio, c.pairs)}\n\n` +
    `added per step (wall, mean on - mean off, ${s.meanDifference ? 'ABBA blocks' : 'every pair'}): median ${ms(d.median)} ms, ` +
    `95% interval ${interval(d, (v) => `${ms(v)} ms`)}, quartiles ${ms(d.q1)} .. ${ms(d.q3)} ms\n` +
    `pooled median step: ${ms(all.pooledMedianSeconds.on)} ms "on", ${ms(all.pooledMedianSeconds.off)} ms "off" ` +
    `(process CPU ${ms(c.pooledMedianSeconds.on)} / ${ms(c.pooledMedianSeconds.off)} ms` +
    `${t ? `, training thread CPU ${ms(t.all.pooledMedianSeconds.on)} / ${ms(t.all.pooledMedianSeconds.off)} ms` : ''}); ` +
    `"on" slower in ${all.slowerWithTelemetry} of ${all.pairs} pairs (CPU: ${c.slowerWithTelemetry})\n`;
  return { text, figure: (s.meanRatio ?? all.meanRatio).median };
}

async function main(): Promise<void> {
  if (SKIP >= STEPS) throw new RangeError(`--skip (${SKIP}) must be below --steps (${STEPS})`);
  if (CONTROL && WITH_CONTROL) throw new RangeError('--control and --with-control: pick one');
  const work = mkdtempSync(join(tmpdir(), 'grpo-bench-overhead-'));
  const config = benchConfig(CONFIG, work, STEPS);
  const collector = await startCollector();
  exitOnSignals();
  if (!KEEP) tempDirs.add(work);
  const started = performance.now();
  const load = [loadavg()[0]!];
  try {
    const otlp = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpEndpoint };
    const off = trainingEnv({ ...otlp, OTEL_SDK_DISABLED: 'true' });
    // The same environment but for OTEL_SDK_DISABLED; the control's "on" is a second disabled run.
    const envOf: Record<Series, Record<Mode, NodeJS.ProcessEnv>> = {
      telemetry: { on: trainingEnv(otlp), off },
      control: { on: off, off },
    };
    const series: Series[] = CONTROL ? ['control'] : WITH_CONTROL ? ['telemetry', 'control'] : ['telemetry'];
    const measured = STEPS - SKIP;
    const { loggingFrequency: lf, fullMetricsFrequency: ff, samplingRatio: sr } = config.metrics;
    const unset = '(unset: the SDK default)';
    process.stdout.write(
      `${CONTROL ? 'CONTROL (A/A): telemetry disabled in both runs of a pair ("on" below is a second "off")\n' : ''}` +
        `config ${config.description}\n` +
        `  logging_frequency ${lf ?? unset}, full_metrics_frequency ${ff ?? unset}, sampling_ratio ${sr ?? unset}\n` +
        `demo trainer: ${STEPS} GRPO steps per run (first ${SKIP} not counted) after ${WARMUP_STEPS} ` +
        `supervised steps, seed ${SEED}, GRU width ${HIDDEN_SIZE}; ${PAIRS} pairs (${Math.floor(PAIRS / 2)} ABBA blocks)` +
        `${WITH_CONTROL ? ', each ABBA block followed by one of the A/A control' : ''}; ` +
        `OTLP to the collector at ${collector.otlpHttpEndpoint}\n` +
        `${lf !== undefined && measured < lf ? `note: the ${measured} measured steps are fewer than logging_frequency (${lf}): the window holds at most one logging step; measure whole periods (e.g. --steps ${SKIP + 2 * lf}) for the cost averaged over logging and other steps\n` : ''}` +
        `${PAIRS % 2 === 1 ? `note: an odd number of pairs: the last pair has no ABBA partner and counts only in the per-order and every-pair rows\n` : ''}`,
    );
    const empty = (): Measured => ({
      steps: Array.from({ length: PAIRS }, () => ({})),
      cpu: Array.from({ length: PAIRS }, () => ({})),
      thread: Array.from({ length: PAIRS }, () => ({})),
    });
    const data: Record<Series, Measured> = { telemetry: empty(), control: empty() };
    const order = runOrder(PAIRS);
    // One ABBA block (4 runs) of each series in turn.
    const schedule: { series: Series; pair: number; mode: Mode }[] = [];
    for (let i = 0; i < order.length; i += 4)
      for (const s of series) for (const r of order.slice(i, i + 4)) schedule.push({ series: s, ...r });
    let reference: number[] | undefined;
    const drops = new Map<string, number>();
    for (const { series: s, pair, mode } of schedule) {
      const disabled = mode === 'off' || s === 'control';
      const r = await trainOnce(
        join(work, `${s}-pair${pair}-${mode}`),
        config.path,
        envOf[s][mode],
        {
          steps: STEPS,
          warmupSteps: WARMUP_STEPS,
          seed: SEED,
          hiddenSize: HIDDEN_SIZE,
        },
        SKIP,
      );
      // Same seed, same work: the rewards of every step must match run for run.
      reference ??= r.reward;
      if (JSON.stringify(r.reward) !== JSON.stringify(reference))
        throw new Error(`${s} pair ${pair} (${mode}): the run's rewards differ from the first run's`);
      if (disabled && r.drops.length > 0) throw new Error('telemetry disabled, yet the run counted drops');
      for (const d of r.drops) {
        const key = `${d.signal}/${d.reason}/${d.where}`;
        drops.set(key, (drops.get(key) ?? 0) + d.count);
      }
      const m = data[s];
      m.steps[pair]![mode] = measuredSteps(r.stepSeconds, SKIP);
      m.cpu[pair]![mode] = measuredSteps(r.stepCpuSeconds, SKIP);
      m.thread[pair]![mode] = r.trainingThreadCpuPerStep === undefined ? [] : [r.trainingThreadCpuPerStep];
      process.stdout.write(
        `  ${series.length > 1 ? `${s.padEnd(9)} ` : ''}pair ${String(pair + 1).padStart(2)} ${mode.padEnd(3)}: ` +
          `mean step ${ms(mean(m.steps[pair]![mode]!))} ms, CPU ${ms(mean(m.cpu[pair]![mode]!))} ms ` +
          `(training thread ${ms(mean(m.thread[pair]![mode]!))} ms), run ${r.wallSeconds.toFixed(1)} s, ` +
          `load ${loadavg()[0]!.toFixed(1)}\n`,
      );
      load.push(loadavg()[0]!);
    }
    const reports = series.map((s) => ({ series: s, ...report(s, data[s]) }));
    const exported = await collector.readExported();
    const minutes = (performance.now() - started) / 60_000;
    process.stdout.write(
      `${reports.map((r) => r.text).join('')}\n` +
        `${measured} measured steps x ${PAIRS} pairs x 2 modes${series.length > 1 ? ' x 2 series' : ''} in ${minutes.toFixed(1)} min; ` +
        `${cpus().length} CPUs (${cpus()[0]?.model.trim()}), Node ${process.version}; ` +
        `load average ${Math.min(...load).toFixed(1)}..${Math.max(...load).toFixed(1)}\n` +
        `collector received ${exportedLogRecords(exported).length} log records, ` +
        `${exportedMetrics(exported).length} metric batches, ${exportedSpans(exported).length} spans` +
        `${drops.size > 0 ? `; drops counted by the SDK: ${[...drops].map(([k, n]) => `${k} x${n}`).join(', ')}` : ''}\n`,
    );
    const first = reports[0]!;
    if (CHECK && first.figure > TARGET) {
      process.stdout.write(`overhead ${pct(first.figure)} is above the ${pct(TARGET)} target\n`);
      process.exitCode = 1;
    }
  } finally {
    await collector.stop();
    if (KEEP) process.stdout.write(`runs kept in ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
}

await main();
