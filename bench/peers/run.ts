// bench/peers: the training thread's CPU per step for the same reference step (8 prompts x 8
// completions, 4 reward functions, 256 tokens with policy and reference logprobs and entropies; model
// outputs, rewards, statistics, histograms, a summary line), logged by grpo-otel and by the usual
// Python ways, side by side in one command, in rounds whose order alternates:
//   grpo-otel       @grpo-otel/sdk, file + CSV + TensorBoard handlers, every step analysed, every
//                   output sampled: the thread's CPU in all (calls, the worker's answers, the sinks'
//                   writes), and in the calls alone; once on the calling thread and once with
//                   `telemetry_thread.enabled` (the training thread only captures). Each is read net of
//                   the same Node loop with the SDK disabled (its timers and awaits), measured beside it;
//   numpy+tbx       numpy statistics, tensorboardX scalars and histograms, csv, logging;
//   wandb offline   the same statistics through wandb.log (mode offline, outputs as a wandb.Table);
//   grpo_otel       the Python bridge (python/grpo_otel): the same calls as grpo-otel's, OTLP/HTTP to a
//                   local discarding endpoint (the analyses are the sink's); its training thread's CPU,
//                   and its whole process's (telemetry and export threads included).
// Each step is followed by GAP_MS of idle time (the step's training work), so background work runs
// where it would. The Python peers get a venv of their own (bench/peers/requirements.txt).
// Usage: pnpm bench:peers [--rounds 3] [--steps 200] [--skip 20] [--gap-ms 20] [--python <path>]
//   --python: an interpreter to run the Python peers with instead of the bench's venv (a peer whose
//   package it lacks, e.g. wandb, is reported as skipped).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    steps: { type: 'string', default: '200' },
    skip: { type: 'string', default: '20' },
    'gap-ms': { type: 'string', default: '20' },
    python: { type: 'string' },
  },
});
const ROUNDS = Number(values.rounds);
const STEPS = Number(values.steps);
const SKIP = Number(values.skip);
const GAP = Number(values['gap-ms']);
for (const [k, v] of Object.entries({ ROUNDS, STEPS, SKIP, GAP }))
  if (!Number.isInteger(v) || v < 0 || (k !== 'GAP' && v === 0))
    throw new RangeError(`bad --${k.toLowerCase()}: ${v}`);
if (SKIP >= STEPS) throw new RangeError('--skip must be below --steps');

const repo = new URL('../../', import.meta.url).pathname;
const python =
  values.python ??
  execFileSync('bash', [join(repo, 'scripts/setup-python.sh'), join(repo, 'bench/peers/requirements.txt')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n')
    .pop()!;

interface PeerResult {
  peer: string;
  allUsPerStep?: number;
  callsUsPerStep?: number;
  skipped?: string;
}

function runChild(cmd: string, args: string[]): PeerResult[] {
  const r = spawnSync(cmd, args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as PeerResult);
}

const ours = (dir: string, mode: 'inline' | 'thread' | 'off') =>
  runChild(process.execPath, [
    '--conditions=source',
    '--import',
    'tsx',
    join(repo, 'bench/peers/grpoOtel.ts'),
    dir,
    String(STEPS),
    String(SKIP),
    String(GAP),
    mode,
  ]);
/** Our three runs: the loop alone first, so each of ours is read net of it (the Python peers time only their calls). */
const oursAll = (dir: string) => [...ours(dir, 'off'), ...ours(dir, 'inline'), ...ours(dir, 'thread')];
const theirs = (dir: string) =>
  runChild(python, [
    join(repo, 'bench/peers/python_peers.py'),
    dir,
    String(STEPS),
    String(SKIP),
    String(GAP),
  ]);

const samples = new Map<string, number[]>();
const add = (name: string, v: number | undefined) => {
  if (v === undefined) return;
  samples.set(name, [...(samples.get(name) ?? []), v]);
};
const skipped: string[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? [oursAll, theirs] : [theirs, oursAll];
  for (const run of order) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-peers-'));
    try {
      let loop = 0;
      for (const r of run(dir)) {
        if (r.skipped) {
          if (round === 0) skipped.push(`${r.peer}: ${r.skipped}`);
          continue;
        }
        if (r.peer === 'loop only') {
          loop = r.allUsPerStep ?? 0;
          add('(the Node loop alone, subtracted)', loop);
          continue;
        }
        if (r.allUsPerStep !== undefined)
          add(r.peer, r.allUsPerStep - (r.peer.startsWith('grpo-otel') ? loop : 0));
        if (r.callsUsPerStep !== undefined) add(`${r.peer} (calls only, median wall)`, r.callsUsPerStep);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  process.stderr.write(`round ${round + 1}/${ROUNDS} done (load ${loadavg()[0]!.toFixed(1)})\n`);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
/** The ratios are to the telemetry thread (the design), or to the calling thread when it did not run. */
const ourMedian = median(
  samples.get('grpo-otel, telemetry thread') ?? samples.get('grpo-otel') ?? [Number.NaN],
);
const lines = [
  `bench/peers: training-thread CPU per step (µs), ${STEPS - SKIP} steps after ${SKIP}, ${ROUNDS} rounds, gap ${GAP} ms`,
  `${'peer'.padEnd(40)}${'median'.padStart(10)}${'range'.padStart(22)}${'peer / ours'.padStart(16)}`,
];
for (const [peer, xs] of samples) {
  const m = median(xs);
  const range = `${Math.min(...xs).toFixed(0)}..${Math.max(...xs).toFixed(0)}`;
  const ratio =
    peer.startsWith('grpo-otel, telemetry') || peer.startsWith('(')
      ? ''
      : // A run too short to measure ours above the loop's own noise has no ratio.
        ourMedian > 0
        ? `x${(m / ourMedian).toFixed(2)}`
        : 'n/a';
  lines.push(`${peer.padEnd(40)}${m.toFixed(0).padStart(10)}${range.padStart(22)}${ratio.padStart(16)}`);
}
// The Python trainer's choice: each variant of the bridge beside the usual Python ways.
for (const [bridge, bs] of samples) {
  if (!bridge.startsWith('grpo_otel Python bridge') || bridge.endsWith('(all threads)')) continue;
  const b = median(bs);
  const vs = [...samples]
    .filter(([peer]) => !peer.startsWith('grpo') && !peer.startsWith('('))
    .map(([peer, xs]) => `${peer} x${(median(xs) / b).toFixed(2)}`);
  if (vs.length) lines.push(`Python peers / ${bridge} (training thread): ${vs.join(', ')}`);
}
for (const s of skipped) lines.push(`skipped: ${s}`);
lines.push(
  `load average at the end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
process.stdout.write(`${lines.join('\n')}\n`);
