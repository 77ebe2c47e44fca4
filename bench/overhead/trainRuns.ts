// Shared by the overhead benchmark's scripts: the telemetry config they train with and one training
// run in its own child process (bench/overhead/trainRun.mjs, on the built packages).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { live } from '@grpo-otel/testkit/exitCleanup';
import { parse, stringify } from 'yaml';

const here = fileURLToPath(new URL('.', import.meta.url));
export const repoRoot: string = join(here, '..', '..');
const shippedConfig = join(repoRoot, 'packages', 'demo-trainer', 'config', 'logging_config.yaml');

// biome-ignore lint/suspicious/noExplicitAny: the YAML document as parsed, edited in place
type ConfigDocument = any;

/**
 * Writes the demo's shipped telemetry config to `path`, changed so that every step is logged and every
 * completion analysed (logging_frequency 1, sampling_ratio 1) and validation runs only at the start
 * and the end (its passes are not part of a step's time anyway); `edit` may change it further.
 * `shipped` is the config to start from (default: this checkout's; another build's for its own runs).
 */
export function writeBenchConfig(
  path: string,
  steps: number,
  edit?: (config: ConfigDocument) => void,
  shipped: string = shippedConfig,
): void {
  const config = parse(readFileSync(shipped, 'utf8'));
  config.metrics.logging_frequency = 1;
  config.metrics.full_metrics_frequency = 1;
  config.metrics.sampling_ratio = 1;
  config.metrics.validation_frequency = steps + 1;
  edit?.(config);
  writeFileSync(path, stringify(config));
}

/** The configs `--config` names; anything else is the path of a YAML file. */
export const BENCH_CONFIGS = ['seed', 'default', 'full'] as const;
export type BenchConfigName = (typeof BENCH_CONFIGS)[number];

export interface BenchConfig {
  /** `seed`, `default`, `full`, or `file` (a path given). */
  name: BenchConfigName | 'file';
  /** The YAML file the runs train with. */
  path: string;
  /** What it is, for the report. */
  description: string;
  /** Its `metrics:` frequencies and sampling ratio as written (undefined: unset, the SDK's default). */
  metrics: {
    loggingFrequency: number | undefined;
    fullMetricsFrequency: number | undefined;
    samplingRatio: number | undefined;
  };
}

/**
 * The telemetry config of `--config <choice>`:
 * - `seed`: the seed plan's own config (bench/overhead/configs/seed.yaml: logging every 50 steps,
 *   `sampling_ratio: 0.1`), as a user who follows the plan runs it;
 * - `default`: the demo's shipped config (packages/demo-trainer/config/logging_config.yaml), unedited;
 * - `full`: every step logged and analysed (`writeBenchConfig`, written into `dir`);
 * - anything else: the path of a YAML file (relative to the working directory), used as it is.
 */
export function benchConfig(choice: string, dir: string, steps: number): BenchConfig {
  let name: BenchConfig['name'];
  let path: string;
  let description: string;
  if (choice === 'full') {
    name = 'full';
    path = join(dir, 'telemetry-full.yaml');
    writeBenchConfig(path, steps);
    description =
      "full: the demo's shipped config with every step logged and analysed (logging_frequency 1, " +
      'full_metrics_frequency 1, sampling_ratio 1), validation at the start and the end only';
  } else if (choice === 'default') {
    name = 'default';
    path = shippedConfig;
    description =
      "default: the demo's shipped config, unedited (packages/demo-trainer/config/logging_config.yaml)";
  } else if (choice === 'seed') {
    name = 'seed';
    path = join(here, 'configs', 'seed.yaml');
    description = "seed: the seed plan's own config (bench/overhead/configs/seed.yaml)";
  } else {
    name = 'file';
    path = resolve(choice);
    if (!existsSync(path))
      throw new RangeError(`--config: ${choice} is neither ${BENCH_CONFIGS.join(', ')} nor an existing file`);
    description = `file: ${path}`;
  }
  const metrics = parse(readFileSync(path, 'utf8'))?.metrics ?? {};
  const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
  return {
    name,
    path,
    description,
    metrics: {
      loggingFrequency: num(metrics.logging_frequency),
      fullMetricsFrequency: num(metrics.full_metrics_frequency),
      samplingRatio: num(metrics.sampling_ratio),
    },
  };
}

/** The string after `--<name>` in `args`, else `dflt`. */
export function stringArg(args: readonly string[], name: string, dflt: string): string {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new RangeError(`--${name} needs a value`);
  return v;
}

/**
 * Ctrl-C or SIGTERM: exit through the test harness's exit hook, which kills the collector and the
 * training run in progress (by PID) and removes their temp dirs.
 */
export function exitOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
}

/** The non-negative integer after `--<name>` in `args`, else `dflt`. */
export function intArg(args: readonly string[], name: string, dflt: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : dflt;
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`--${name} must be a non-negative integer`);
  return v;
}

/** The training environment: this process's, without OTEL_* variables, plus `extra`. */
export function trainingEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_') && k !== 'GRPO_OTEL_CONFIG'),
    ),
    ...extra,
  };
}

export interface TrainerRunOptions {
  steps: number;
  warmupSteps: number;
  seed: number;
  /** The policy's GRU width (default: the trainer's). */
  hiddenSize?: number;
}

export interface RunResult {
  /** Wall time of each GRPO step (seconds), as the trainer measured it. */
  stepSeconds: number[];
  /** CPU time of the process (every thread) during each step (seconds). */
  stepCpuSeconds: number[];
  /** CPU time of the training thread alone over the measured steps, per step (seconds), if known. */
  trainingThreadCpuPerStep: number | undefined;
  reward: number[];
  drops: { signal: string; reason: string; where: string; count: number }[];
  wallSeconds: number;
}

/**
 * One training run in a child process, its console output (stderr) going to `<dir>/console.log`.
 * `script` is the run script of the build to measure (default: this checkout's trainRun.mjs).
 */
export function trainOnce(
  dir: string,
  config: string,
  env: NodeJS.ProcessEnv,
  trainer: TrainerRunOptions,
  skip: number,
  script: string = join(here, 'trainRun.mjs'),
): Promise<RunResult> {
  mkdirSync(dir, { recursive: true });
  const console = openSync(join(dir, 'console.log'), 'w');
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [script, join(dir, 'run'), config, JSON.stringify(trainer), String(skip)],
    { cwd: repoRoot, env, stdio: ['ignore', 'ignore', console] },
  );
  closeSync(console);
  live.add(child); // killed at exit if still running (the harness's exit hook)
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      live.delete(child);
      if (code !== 0) {
        const tail = readFileSync(join(dir, 'console.log'), 'utf8').slice(-4000);
        reject(new Error(`training run in ${dir} failed (code ${code}, signal ${signal}):\n${tail}`));
        return;
      }
      const s = JSON.parse(readFileSync(join(dir, 'run', 'summary.json'), 'utf8'));
      const thread = JSON.parse(readFileSync(join(dir, 'run', 'training-thread.json'), 'utf8'));
      resolve({
        trainingThreadCpuPerStep: thread ? thread.seconds / thread.steps : undefined,
        stepSeconds: s.history.stepSeconds,
        stepCpuSeconds: s.history.stepCpuSeconds,
        reward: s.history.reward,
        drops: s.drops,
        wallSeconds: (performance.now() - t0) / 1000,
      });
    });
  });
}
