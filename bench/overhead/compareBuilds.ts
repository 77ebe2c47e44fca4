// Two builds' telemetry overhead side by side: this checkout (head) and another revision (base), each
// with full telemetry, beside the disabled run, in rounds of three runs whose order rotates. Two runs
// of the overhead benchmark an hour apart can differ by more than a change's effect (the machine's
// state drifts); interleaving the builds' runs compares them under the same conditions.
// Reports per round the ratios head/off, base/off and head/base of the mean step time (and of the
// training thread's CPU time), and their medians over rounds with a distribution-free 95% interval.
// Usage: pnpm bench:overhead:compare --base <rev> [--rounds 8] [--steps 150] [--skip 50]
//   [--warmup-steps 5] [--keep]   (= pnpm build, then node --conditions=source --import tsx
//   bench/overhead/compareBuilds.ts ...)
// The base is checked out in a temporary git worktree, installed from the pnpm store (offline when it
// can) and built there; it must have bench/overhead/trainRun.mjs (since f072e1e). Each build trains with
// the bench config made from its own shipped demo config (a base's SDK may not know a handler that
// this checkout ships, e.g. `traces`), with the same edits.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '@grpo-otel/testkit/collector';
import { tempDirs } from '@grpo-otel/testkit/exitCleanup';
import { mean, measuredSteps, median, medianInterval } from './pairs.js';
import {
  exitOnSignals,
  intArg,
  type RunResult,
  repoRoot,
  trainingEnv,
  trainOnce,
  writeBenchConfig,
} from './trainRuns.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number): number => intArg(args, name, dflt);
const ROUNDS = arg('rounds', 8);
const STEPS = arg('steps', 150);
const SKIP = arg('skip', 50);
const WARMUP_STEPS = arg('warmup-steps', 5);
const KEEP = args.includes('--keep');
const baseAt = args.indexOf('--base');
const BASE = baseAt >= 0 ? args[baseAt + 1] : undefined;

type Run = 'off' | 'head' | 'base';
const RUNS: Run[] = ['off', 'head', 'base'];

function sh(cmd: string, argv: string[], cwd: string): boolean {
  const r = spawnSync(cmd, argv, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  return r.status === 0;
}

/** Checks `rev` out in `dir` and installs and builds it; throws with what failed. */
function buildBase(rev: string, dir: string): void {
  if (!sh('git', ['worktree', 'add', '--detach', dir, rev], repoRoot))
    throw new Error(`git worktree add ${rev} failed`);
  if (
    !sh('pnpm', ['install', '--frozen-lockfile', '--offline'], dir) &&
    !sh('pnpm', ['install', '--frozen-lockfile'], dir)
  )
    throw new Error(`pnpm install failed in the worktree of ${rev}`);
  if (!sh('pnpm', ['run', '--silent', 'build'], dir)) throw new Error(`pnpm build failed for ${rev}`);
  if (!existsSync(join(dir, 'bench', 'overhead', 'trainRun.mjs')))
    throw new Error(`${rev} has no bench/overhead/trainRun.mjs`);
}

const pct = (ratio: number): string => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(2)}%`;

async function main(): Promise<void> {
  if (!BASE) throw new Error('usage: compareBuilds.ts --base <rev> [--rounds 8] [--steps 150] [--skip 50]');
  if (SKIP >= STEPS) throw new RangeError(`--skip (${SKIP}) must be below --steps (${STEPS})`);
  const work = mkdtempSync(join(tmpdir(), 'grpo-bench-builds-'));
  const baseDir = join(work, 'base');
  exitOnSignals();
  const collector = await startCollector();
  if (!KEEP) tempDirs.add(work);
  try {
    process.stdout.write(`building ${BASE} in ${baseDir}\n`);
    buildBase(BASE, baseDir);
    const headConfig = join(work, 'telemetry.yaml');
    writeBenchConfig(headConfig, STEPS);
    const baseConfig = join(work, 'telemetry-base.yaml');
    writeBenchConfig(
      baseConfig,
      STEPS,
      undefined,
      join(baseDir, 'packages', 'demo-trainer', 'config', 'logging_config.yaml'),
    );
    const config: Record<Run, string> = { off: headConfig, head: headConfig, base: baseConfig };
    const otlp = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpEndpoint };
    const script: Record<Run, string | undefined> = {
      off: undefined,
      head: undefined,
      base: join(baseDir, 'bench', 'overhead', 'trainRun.mjs'),
    };
    const env: Record<Run, NodeJS.ProcessEnv> = {
      off: trainingEnv({ ...otlp, OTEL_SDK_DISABLED: 'true' }),
      head: trainingEnv(otlp),
      base: trainingEnv(otlp),
    };
    process.stdout.write(
      `demo trainer: ${STEPS} GRPO steps per run (first ${SKIP} not counted), ${ROUNDS} rounds of ` +
        `off (this checkout, OTEL_SDK_DISABLED=true), head (this checkout) and base (${BASE})\n`,
    );
    const wall: Record<Run, number>[] = [];
    const thread: Record<Run, number>[] = [];
    const rewards = new Map<Run, string>();
    for (let round = 0; round < ROUNDS; round++) {
      const order = RUNS.map((_, i) => RUNS[(i + round) % RUNS.length]!);
      const w = {} as Record<Run, number>;
      const t = {} as Record<Run, number>;
      for (const run of order) {
        const r: RunResult = await trainOnce(
          join(work, `round${round}-${run}`),
          config[run],
          env[run],
          { steps: STEPS, warmupSteps: WARMUP_STEPS, seed: 1 },
          SKIP,
          ...(script[run] ? [script[run]] : []),
        );
        const reward = JSON.stringify(r.reward);
        if (rewards.has(run) && rewards.get(run) !== reward)
          throw new Error(`round ${round} (${run}): the rewards differ from that build's first run`);
        rewards.set(run, reward);
        w[run] = mean(measuredSteps(r.stepSeconds, SKIP));
        t[run] = r.trainingThreadCpuPerStep ?? Number.NaN;
        process.stdout.write(
          `  round ${String(round + 1).padStart(2)} ${run.padEnd(4)}: mean step ${(w[run] * 1000).toFixed(1)} ms, ` +
            `training thread ${(t[run] * 1000).toFixed(1)} ms, load ${loadavg()[0]!.toFixed(1)}\n`,
        );
      }
      wall.push(w);
      thread.push(t);
    }
    if (rewards.get('head') !== rewards.get('base'))
      process.stdout.write(
        'note: the two builds train differently (their rewards differ): not the same work\n',
      );
    const row = (what: string, xs: number[]) => {
      const ci = medianInterval(xs);
      const interval = Number.isNaN(ci.low) ? 'n/a (6 rounds or more)' : `${pct(ci.low)} .. ${pct(ci.high)}`;
      return `| ${what} | ${pct(median(xs))} | ${interval} | ${xs.filter((x) => x > 1).length} of ${xs.length} |`;
    };
    const ratio = (data: Record<Run, number>[], a: Run, b: Run) => data.map((d) => d[a] / d[b]);
    process.stdout.write(
      `\n| ratio, per round | median over rounds | 95% interval of the median | above 1 in |\n` +
        `|---|---:|---:|---:|\n` +
        `${row('head / off, wall', ratio(wall, 'head', 'off'))}\n` +
        `${row('base / off, wall', ratio(wall, 'base', 'off'))}\n` +
        `${row('head / base, wall', ratio(wall, 'head', 'base'))}\n` +
        `${row('head / off, training thread CPU', ratio(thread, 'head', 'off'))}\n` +
        `${row('base / off, training thread CPU', ratio(thread, 'base', 'off'))}\n` +
        `${row('head / base, training thread CPU', ratio(thread, 'head', 'base'))}\n\n` +
        `${cpus().length} CPUs (${cpus()[0]?.model.trim()}), Node ${process.version}\n`,
    );
  } finally {
    await collector.stop();
    sh('git', ['worktree', 'remove', '--force', baseDir], repoRoot);
    if (KEEP) process.stdout.write(`runs kept in ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
}

await main();
