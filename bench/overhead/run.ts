// Telemetry overhead on a real training loop: the demo GRPO trainer (packages/demo-trainer, tfjs wasm)
// with every handler on and every step logged, vs the same run with OTEL_SDK_DISABLED=true. Runs in
// pairs of child processes (same seed, so the same work), the order alternating within pairs; the
// figure is the median over pairs of the ratio of mean step times, with its spread and a
// distribution-free 95% confidence interval (pairs.ts medianInterval).
// Usage: pnpm bench:overhead [--pairs 10] [--steps 30] [--skip 5] [--warmup-steps 5] [--hidden-size 96]
//   [--control] [--check] [--keep]
//   --control: an A/A run, telemetry disabled in both runs of every pair: the spread of its ratios is
//   the bench's own resolution on this machine (what two identical runs differ by).
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
  type OverheadSummary,
  type PairSteps,
  runOrder,
  summarize,
} from './pairs.js';
import { exitOnSignals, intArg, trainingEnv, trainOnce, writeBenchConfig } from './trainRuns.js';

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
const CHECK = args.includes('--check');
const KEEP = args.includes('--keep');
const CONTROL = args.includes('--control');
const TARGET = 1.01;

const pct = (ratio: number): string => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(2)}%`;
const ms = (s: number): string => (s * 1000).toFixed(1);

async function main(): Promise<void> {
  if (SKIP >= STEPS) throw new RangeError(`--skip (${SKIP}) must be below --steps (${STEPS})`);
  const work = mkdtempSync(join(tmpdir(), 'grpo-bench-overhead-'));
  const collector = await startCollector();
  exitOnSignals();
  if (!KEEP) tempDirs.add(work);
  const started = performance.now();
  const load = [loadavg()[0]!];
  try {
    const config = join(work, 'telemetry.yaml');
    writeBenchConfig(config, STEPS);
    const otlp = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpEndpoint };
    // The same environment but for OTEL_SDK_DISABLED.
    // With --control, both are disabled: the same comparison with nothing to find.
    const envOf: Record<Mode, NodeJS.ProcessEnv> = {
      on: trainingEnv(CONTROL ? { ...otlp, OTEL_SDK_DISABLED: 'true' } : otlp),
      off: trainingEnv({ ...otlp, OTEL_SDK_DISABLED: 'true' }),
    };
    process.stdout.write(
      `${CONTROL ? 'CONTROL (A/A): telemetry disabled in both runs of a pair ("on" below is a second "off")\n' : ''}` +
        `demo trainer: ${STEPS} GRPO steps per run (first ${SKIP} not counted) after ${WARMUP_STEPS} ` +
        `supervised steps, seed ${SEED}, GRU width ${HIDDEN_SIZE}; ${PAIRS} pairs; OTLP to the collector at ${collector.otlpHttpEndpoint}\n`,
    );
    const steps: { on?: number[]; off?: number[] }[] = Array.from({ length: PAIRS }, () => ({}));
    const cpu: { on?: number[]; off?: number[] }[] = Array.from({ length: PAIRS }, () => ({}));
    const thread: { on?: number[]; off?: number[] }[] = Array.from({ length: PAIRS }, () => ({}));
    let reference: number[] | undefined;
    const drops = new Map<string, number>();
    for (const { pair, mode } of runOrder(PAIRS)) {
      const r = await trainOnce(
        join(work, `pair${pair}-${mode}`),
        config,
        envOf[mode],
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
        throw new Error(`pair ${pair} (${mode}): the run's rewards differ from the first run's`);
      if ((mode === 'off' || CONTROL) && r.drops.length > 0)
        throw new Error('telemetry disabled, yet the run counted drops');
      for (const d of r.drops) {
        const key = `${d.signal}/${d.reason}/${d.where}`;
        drops.set(key, (drops.get(key) ?? 0) + d.count);
      }
      steps[pair]![mode] = measuredSteps(r.stepSeconds, SKIP);
      cpu[pair]![mode] = measuredSteps(r.stepCpuSeconds, SKIP);
      thread[pair]![mode] = r.trainingThreadCpuPerStep === undefined ? [] : [r.trainingThreadCpuPerStep];
      process.stdout.write(
        `  pair ${String(pair + 1).padStart(2)} ${mode.padEnd(3)}: mean step ${ms(mean(steps[pair]![mode]!))} ms, ` +
          `CPU ${ms(mean(cpu[pair]![mode]!))} ms (training thread ${ms(mean(thread[pair]![mode]!))} ms), ` +
          `run ${r.wallSeconds.toFixed(1)} s, load ${loadavg()[0]!.toFixed(1)}\n`,
      );
      load.push(loadavg()[0]!);
    }
    const s = summarize(steps.map((p): PairSteps => ({ on: p.on!, off: p.off! })));
    const c = summarize(cpu.map((p): PairSteps => ({ on: p.on!, off: p.off! })));
    // One figure per run (its training thread's CPU time over the measured steps, per step); none off Linux.
    const t =
      thread[0]!.on!.length > 0
        ? summarize(thread.map((p): PairSteps => ({ on: p.on!, off: p.off! })))
        : undefined;
    const exported = await collector.readExported();
    const minutes = (performance.now() - started) / 60_000;

    const rows = s.ratios.map(
      (r, i) =>
        `| ${i + 1} | ${i % 2 === 0 ? 'on, off' : 'off, on'} | ${pct(r.meanRatio)} | ${pct(r.medianRatio)} | ` +
        `${pct(c.ratios[i]!.meanRatio)} | ${t ? pct(t.ratios[i]!.meanRatio) : 'n/a'} |`,
    );
    const interval = (x: OverheadSummary['meanRatio']): string =>
      Number.isNaN(x.ci.low)
        ? 'n/a (6 pairs or more)'
        : `${pct(x.ci.low)} .. ${pct(x.ci.high)} (${(x.ci.coverage * 100).toFixed(1)}%)`;
    const line = (what: string, x: OverheadSummary['meanRatio'], bold = false): string =>
      `| ${what} | ${bold ? '**' : ''}${pct(x.median)}${bold ? '**' : ''} | ${interval(x)} | ${pct(x.q1)} .. ${pct(x.q3)} | ${pct(x.min)} .. ${pct(x.max)} |`;
    process.stdout.write(
      `\n| pair | order | mean step time | median step time | process CPU per step | training thread CPU |\n` +
        `|---:|---|---:|---:|---:|---:|\n${rows.join('\n')}\n\n` +
        `| overhead (on/off - 1) | median over pairs | 95% interval of the median (coverage) | quartiles | min .. max |\n` +
        `|---|---:|---:|---:|---:|\n` +
        `${line('mean step time (wall)', s.meanRatio, true)}\n` +
        `${line('median step time (wall)', s.medianRatio)}\n` +
        `${line('process CPU time per step (all threads)', c.meanRatio)}\n` +
        `${t ? `${line('training thread CPU time per step', t.meanRatio)}\n` : ''}\n` +
        `added per step (wall, mean on - mean off): median ${ms(s.meanDifference.median)} ms, 95% interval ` +
        `${Number.isNaN(s.meanDifference.ci.low) ? 'n/a' : `${ms(s.meanDifference.ci.low)} .. ${ms(s.meanDifference.ci.high)} ms`}, ` +
        `quartiles ${ms(s.meanDifference.q1)} .. ${ms(s.meanDifference.q3)} ms\n` +
        `pooled median step: ${ms(s.pooledMedianSeconds.on)} ms with telemetry, ${ms(s.pooledMedianSeconds.off)} ms without ` +
        `(process CPU ${ms(c.pooledMedianSeconds.on)} / ${ms(c.pooledMedianSeconds.off)} ms` +
        `${t ? `, training thread CPU ${ms(t.pooledMedianSeconds.on)} / ${ms(t.pooledMedianSeconds.off)} ms` : ''}); ` +
        `telemetry slower in ${s.slowerWithTelemetry} of ${s.pairs} pairs (CPU: ${c.slowerWithTelemetry})\n` +
        `${STEPS - SKIP} measured steps x ${PAIRS} pairs x 2 modes in ${minutes.toFixed(1)} min; ` +
        `${cpus().length} CPUs (${cpus()[0]?.model.trim()}), Node ${process.version}; ` +
        `load average ${Math.min(...load).toFixed(1)}..${Math.max(...load).toFixed(1)}\n` +
        `collector received ${exportedLogRecords(exported).length} log records, ` +
        `${exportedMetrics(exported).length} metric batches, ${exportedSpans(exported).length} spans` +
        `${drops.size > 0 ? `; drops counted by the SDK: ${[...drops].map(([k, n]) => `${k} x${n}`).join(', ')}` : ''}\n`,
    );
    if (CHECK && s.meanRatio.median > TARGET) {
      process.stdout.write(`overhead ${pct(s.meanRatio.median)} is above the ${pct(TARGET)} target\n`);
      process.exitCode = 1;
    }
  } finally {
    await collector.stop();
    if (KEEP) process.stdout.write(`runs kept in ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
}

await main();
