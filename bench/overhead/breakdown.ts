// Where the overhead goes, handler by handler: the demo trainer with full telemetry, with one part of
// it left out at a time, and with telemetry disabled; round-robin over rounds (the order rotating),
// each run in its own process. Reports per variant the median over rounds of the training thread's CPU
// time per step, of the process's (every thread) and of the wall time per step; CPU times are far
// steadier than wall time on a shared machine.
// Usage (after `pnpm build`; the runs use the built packages): node --conditions=source --import tsx
//   bench/overhead/breakdown.ts [--rounds 3] [--steps 30] [--skip 5] [--only 'off,full,no analyses']
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '@grpo-otel/testkit/collector';
import { tempDirs } from '@grpo-otel/testkit/exitCleanup';
import { mean, measuredSteps, median } from './pairs.js';
import { exitOnSignals, intArg, trainingEnv, trainOnce, writeBenchConfig } from './trainRuns.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number): number => intArg(args, name, dflt);
const ROUNDS = arg('rounds', 3);
const STEPS = arg('steps', 30);
const SKIP = arg('skip', 5);
const WARMUP_STEPS = arg('warmup-steps', 5);

// biome-ignore lint/suspicious/noExplicitAny: the YAML document as parsed
type Doc = any;
const withoutHandler = (name: string) => (c: Doc) => {
  delete c.handlers[name];
  for (const l of [c.root, ...Object.values(c.loggers ?? {})] as Doc[])
    l.handlers = (l.handlers ?? []).filter((h: string) => h !== name);
};

interface Variant {
  name: string;
  what: string;
  edit?: (c: Doc) => void;
  otlp: boolean;
  disabled?: boolean;
  /** More environment for the run. */
  env?: Record<string, string>;
}

const ALL_VARIANTS: Variant[] = [
  { name: 'off', what: 'OTEL_SDK_DISABLED=true', otlp: true, disabled: true },
  { name: 'full', what: 'every handler, every step, sampling_ratio 1, OTLP', otlp: true },
  { name: 'no OTLP', what: 'full without OTEL_EXPORTER_OTLP_ENDPOINT', otlp: false },
  {
    name: 'no TensorBoard',
    what: 'full without the tensorboard handler',
    edit: withoutHandler('tensorboard'),
    otlp: true,
  },
  {
    name: 'no log files',
    what: 'full without the console, file and csv handlers',
    edit: (c) => {
      for (const h of ['console', 'file', 'csv']) withoutHandler(h)(c);
    },
    otlp: true,
  },
  {
    name: 'no analyses',
    what: 'full with reward_metrics and generation_metrics off',
    edit: (c) => {
      c.metrics.enable.reward_metrics = false;
      c.metrics.enable.generation_metrics = false;
    },
    otlp: true,
  },
  {
    name: 'shipped frequencies',
    what: 'full with the shipped logging_frequency 10, sampling_ratio 0.25',
    edit: (c) => {
      c.metrics.logging_frequency = 10;
      c.metrics.full_metrics_frequency = 10;
      c.metrics.sampling_ratio = 0.25;
    },
    otlp: true,
  },
  {
    name: 'worker floor',
    what: 'off, plus what a telemetry worker would leave on the training thread (workerFloor.mjs)',
    otlp: true,
    disabled: true,
    env: { GRPO_BENCH_WORKER_FLOOR: '0' },
  },
  {
    name: 'busy worker floor',
    what: 'the same, the worker busy 5 ms per step on the other vCPU',
    otlp: true,
    disabled: true,
    env: { GRPO_BENCH_WORKER_FLOOR: '5' },
  },
];

// `--only off,full,no analyses`: those variants alone (names as in the table).
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',').map((x) => x.trim())) : undefined;
const VARIANTS = only ? ALL_VARIANTS.filter((v) => only.has(v.name)) : ALL_VARIANTS;
if (VARIANTS.length === 0)
  throw new RangeError(`--only names none of: ${ALL_VARIANTS.map((v) => v.name).join(', ')}`);

const work = mkdtempSync(join(tmpdir(), 'grpo-bench-overhead-breakdown-'));
const collector = await startCollector();
exitOnSignals();
tempDirs.add(work);
const load: number[] = [loadavg()[0]!];
try {
  const configs = VARIANTS.map((v, i) => {
    const path = join(work, `config${i}.yaml`);
    writeBenchConfig(path, STEPS, v.edit);
    return path;
  });
  const cpu: number[][] = VARIANTS.map(() => []);
  const wall: number[][] = VARIANTS.map(() => []);
  const thread: number[][] = VARIANTS.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < VARIANTS.length; k++) {
      const i = (k + round) % VARIANTS.length;
      const v = VARIANTS[i]!;
      const env = trainingEnv({
        ...(v.otlp ? { OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpEndpoint } : {}),
        ...(v.disabled ? { OTEL_SDK_DISABLED: 'true' } : {}),
        ...v.env,
      });
      const r = await trainOnce(
        join(work, `r${round}-v${i}`),
        configs[i]!,
        env,
        {
          steps: STEPS,
          warmupSteps: WARMUP_STEPS,
          seed: 1,
        },
        SKIP,
      );
      cpu[i]!.push(mean(measuredSteps(r.stepCpuSeconds, SKIP)));
      wall[i]!.push(mean(measuredSteps(r.stepSeconds, SKIP)));
      thread[i]!.push(r.trainingThreadCpuPerStep ?? Number.NaN);
      load.push(loadavg()[0]!);
      process.stdout.write(
        `  round ${round + 1} ${v.name.padEnd(20)} CPU ${(cpu[i]!.at(-1)! * 1000).toFixed(1)} ms/step ` +
          `(training thread ${(thread[i]!.at(-1)! * 1000).toFixed(1)}), ` +
          `wall ${(wall[i]!.at(-1)! * 1000).toFixed(1)} ms/step\n`,
      );
    }
  }
  const offCpu = median(cpu[0]!);
  const offWall = median(wall[0]!);
  const offThread = median(thread[0]!);
  const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
  process.stdout.write(
    `\n| variant | training thread CPU ms/step | vs off | process CPU ms/step | vs off | wall ms/step | vs off |\n` +
      `|---|---:|---:|---:|---:|---:|---:|\n${VARIANTS.map(
        (v, i) =>
          `| ${v.name} (${v.what}) | ${(median(thread[i]!) * 1000).toFixed(1)} | ${pct(median(thread[i]!) / offThread - 1)} | ` +
          `${(median(cpu[i]!) * 1000).toFixed(1)} | ${pct(median(cpu[i]!) / offCpu - 1)} | ` +
          `${(median(wall[i]!) * 1000).toFixed(1)} | ${pct(median(wall[i]!) / offWall - 1)} |`,
      ).join(
        '\n',
      )}\n\n${ROUNDS} rounds x ${STEPS - SKIP} measured steps; ${cpus().length} CPUs, Node ${process.version}; ` +
      `load average ${Math.min(...load).toFixed(1)}..${Math.max(...load).toFixed(1)}\n`,
  );
} finally {
  await collector.stop();
  rmSync(work, { recursive: true, force: true });
}
