// Where the overhead goes, by kind of work rather than by handler (for that, breakdown.ts): the demo
// trainer with full telemetry and with telemetry disabled, in pairs as in run.ts, each run profiling
// its measured steps only (trainRun.mjs with GRPO_BENCH_PROFILE): V8's sampling profiler on the
// training thread at 250 us, and Linux's counters of the training thread (CPU time, involuntary context
// switches) and of the process's other threads (V8's GC and compiler helpers, the analysis worker,
// libuv's pool). Each sample is attributed by attribution.ts: the SDK's and OpenTelemetry's code
// below the trainer's last frame (telemetry), the trainer's own code (tfjs, wasm kernels), garbage
// collection, idle. Prints per mode the median over runs of each part per step, and the telemetry's
// largest entry points. The profiler costs both modes alike (the step times here are not the
// overhead figure: that is run.ts, without a profiler).
// Usage (after `pnpm build`): node --conditions=source --import tsx bench/overhead/profile.ts
//   [--pairs 3] [--steps 200] [--skip 100] [--warmup-steps 5] [--top 15] [--keep]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '@grpo-otel/testkit/collector';
import { tempDirs } from '@grpo-otel/testkit/exitCleanup';
import { attribute, type CpuProfile, type Part } from './attribution.js';
import { type Mode, median, runOrder } from './pairs.js';
import { exitOnSignals, intArg, trainingEnv, trainOnce, writeBenchConfig } from './trainRuns.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number): number => intArg(args, name, dflt);
const PAIRS = arg('pairs', 3);
const STEPS = arg('steps', 200);
const SKIP = arg('skip', 100);
const WARMUP_STEPS = arg('warmup-steps', 5);
const TOP = arg('top', 15);
const KEEP = args.includes('--keep');

/** What one run's measured steps cost, per step (milliseconds, or counts). */
interface RunCosts {
  parts: Record<Part, number>;
  partsToNext: Record<Part, number>;
  mainCpu: number | null;
  otherThreadsCpu: number | null;
  involuntarySwitches: number | null;
  entries: [string, number][];
}

const perStep = (ms: Record<Part, number>, steps: number) =>
  Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, v / steps])) as Record<Part, number>;

function readRun(dir: string): RunCosts {
  const profile = JSON.parse(readFileSync(join(dir, 'main.cpuprofile'), 'utf8')) as CpuProfile;
  const threads = JSON.parse(readFileSync(join(dir, 'threads.json'), 'utf8')) as {
    steps: number;
    mainCpuMs: number | null;
    otherThreadsCpuMs: number | null;
    involuntarySwitches: number | null;
  };
  const n = threads.steps;
  const a = attribute(profile);
  const per = (x: number | null) => (x === null ? null : x / n);
  return {
    parts: perStep(a.ms, n),
    partsToNext: perStep(a.msToNext, n),
    mainCpu: per(threads.mainCpuMs),
    otherThreadsCpu: per(threads.otherThreadsCpuMs),
    involuntarySwitches: per(threads.involuntarySwitches),
    entries: a.entries.map(([k, v]) => [k, v / n]),
  };
}

const fmt = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(digits);
const medianOf = (runs: RunCosts[], pick: (r: RunCosts) => number | null): number | null => {
  const xs = runs.map(pick).filter((x): x is number => x !== null);
  return xs.length === 0 ? null : median(xs);
};

async function main(): Promise<void> {
  if (SKIP >= STEPS - 1) throw new RangeError(`--skip (${SKIP}) must be below --steps - 1 (${STEPS - 1})`);
  const work = mkdtempSync(join(tmpdir(), 'grpo-bench-profile-'));
  const collector = await startCollector();
  exitOnSignals();
  if (!KEEP) tempDirs.add(work);
  const load = [loadavg()[0]!];
  try {
    const config = join(work, 'telemetry.yaml');
    writeBenchConfig(config, STEPS);
    const otlp = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpEndpoint };
    process.stdout.write(
      `demo trainer: ${STEPS} GRPO steps per run, steps ${SKIP + 1}-${STEPS - 1} profiled, ${PAIRS} pairs; ` +
        `OTLP to the collector at ${collector.otlpHttpEndpoint}\n`,
    );
    const runs: Record<Mode, RunCosts[]> = { on: [], off: [] };
    for (const { pair, mode } of runOrder(PAIRS)) {
      const dir = join(work, `pair${pair}-${mode}`);
      const profileDir = join(dir, 'run');
      const env = trainingEnv({
        ...otlp,
        ...(mode === 'off' ? { OTEL_SDK_DISABLED: 'true' } : {}),
        GRPO_BENCH_PROFILE: profileDir,
      });
      await trainOnce(dir, config, env, { steps: STEPS, warmupSteps: WARMUP_STEPS, seed: 1 }, SKIP);
      const r = readRun(profileDir);
      runs[mode].push(r);
      load.push(loadavg()[0]!);
      process.stdout.write(
        `  pair ${pair + 1} ${mode.padEnd(3)}: telemetry ${fmt(r.parts.telemetry)} ms/step, GC ${fmt(r.parts.gc)}, ` +
          `trainer ${fmt(r.parts.trainer, 1)}, other threads ${fmt(r.otherThreadsCpu, 1)} ms CPU, ` +
          `involuntary switches ${fmt(r.involuntarySwitches)}/step\n`,
      );
    }
    const row = (what: string, pick: (r: RunCosts) => number | null, digits = 2) => {
      const on = medianOf(runs.on, pick);
      const off = medianOf(runs.off, pick);
      const diff = on === null || off === null ? null : on - off;
      return `| ${what} | ${fmt(on, digits)} | ${fmt(off, digits)} | ${diff !== null && diff >= 0 ? '+' : ''}${fmt(diff, digits)} |`;
    };
    const entries = new Map<string, number>();
    for (const r of runs.on)
      for (const [k, v] of r.entries) entries.set(k, (entries.get(k) ?? 0) + v / runs.on.length);
    const top = [...entries].sort((a, b) => b[1] - a[1]).slice(0, TOP);
    process.stdout.write(
      `\n| per measured step, median over runs | with telemetry | disabled | difference |\n|---|---:|---:|---:|\n` +
        `${[
          row('training thread: SDK and OTel code (ms, profiler samples)', (r) => r.parts.telemetry),
          row('... counting each sample to the next one', (r) => r.partsToNext.telemetry),
          row('training thread: garbage collection (ms, profiler samples)', (r) => r.parts.gc),
          row('training thread: trainer code, tfjs, wasm (ms, profiler samples)', (r) => r.parts.trainer, 1),
          row('training thread: CPU time (ms, Linux)', (r) => r.mainCpu, 1),
          row('other threads of the process: CPU time (ms, Linux)', (r) => r.otherThreadsCpu, 1),
          row('training thread: involuntary context switches', (r) => r.involuntarySwitches),
        ].join('\n')}\n\n` +
        `| telemetry entry point (outermost SDK/OTel frame), with telemetry | ms per step |\n|---|---:|\n` +
        `${top.map(([k, v]) => `| \`${k}\` | ${v.toFixed(3)} |`).join('\n')}\n\n` +
        `${cpus().length} CPUs (${cpus()[0]?.model.trim()}), Node ${process.version}; ` +
        `load average ${Math.min(...load).toFixed(1)}..${Math.max(...load).toFixed(1)}\n`,
    );
  } finally {
    await collector.stop();
    if (KEEP) process.stdout.write(`runs kept in ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
}

await main();
