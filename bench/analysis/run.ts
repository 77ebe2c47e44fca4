// Main-thread cost of logRewardMetrics + logGenerationMetrics for one GRPO step of 64 completions x
// 4 reward functions x 256 tokens with policy and reference logprobs, next to the analysis worker's
// own time for the same step. Run: pnpm bench:analysis  (node --conditions=source --import tsx bench/analysis/run.ts)

import { mulberry32 } from '@grpo-otel/metrics';
import {
  type Generation,
  getTelemetry,
  initialize,
  logGenerationMetrics,
  logRewardMetrics,
  parseConfig,
  shutdown,
} from '@grpo-otel/sdk';

const COMPLETIONS = 64;
const TOKENS = 256;
const GROUP = 8;
const WARMUP = 50;
const STEPS = Number(process.env.BENCH_STEPS ?? 400);

const random = mulberry32(42);

function batch(): { rewards: Record<string, number[]>; gens: Generation[]; refs: string[] } {
  const rewards: Record<string, number[]> = {};
  for (const f of ['correctness', 'format', 'repetition', 'topic'])
    rewards[f] = Array.from({ length: COMPLETIONS }, () => random());
  const gens: Generation[] = Array.from({ length: COMPLETIONS }, (_, i) => ({
    text: `<reasoning>\nstep ${i}: ${Array.from({ length: 40 }, () => Math.floor(random() * 50)).join(' ')}\n</reasoning>\n<answer>\n${i}\n</answer>`,
    // As a trainer gets them from its tensors (tfjs dataSync(), torch .numpy()): typed arrays.
    tokens: Int32Array.from({ length: TOKENS }, () => Math.floor(random() * 32000)),
    logprobs: Float32Array.from({ length: TOKENS }, () => -random() * 3),
    refLogprobs: Float32Array.from({ length: TOKENS }, () => -random() * 3),
  }));
  return { rewards, gens, refs: gens.map((_, i) => String(i)) };
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function run(samplingRatio: number) {
  const yaml = `root: { level: WARNING, handlers: [] }\nmetrics: { logging_frequency: 1, full_metrics_frequency: 1, sampling_ratio: ${samplingRatio} }\n`;
  initialize({
    config: parseConfig(yaml, { source: 'bench.yaml', baseDir: '/', env: {} }),
    env: {},
    handleExit: false,
    registerGlobal: false,
  });
  const t = getTelemetry()!;
  const mainUs: number[] = [];
  const rewardUs: number[] = [];
  // Batches made up front (cycled), so their allocation and GC are not timed.
  const batches = Array.from({ length: 16 }, batch);
  for (let step = 1; step <= WARMUP + STEPS; step++) {
    const { rewards, gens, refs } = batches[step % batches.length]!;
    const t0 = process.hrtime.bigint();
    logRewardMetrics(step, rewards, { groupSize: GROUP });
    const t1 = process.hrtime.bigint();
    logGenerationMetrics(step, gens, refs, { groupSize: GROUP });
    const dt = Number(process.hrtime.bigint() - t0) / 1000;
    if (step > WARMUP) {
      mainUs.push(dt);
      rewardUs.push(Number(t1 - t0) / 1000);
    }
    // A real step takes far longer than the analysis; let the worker keep up (untimed).
    await t.analyses.running!.settled(step);
  }
  const w = t.analyses.workerMs;
  const res = {
    samplingRatio,
    mainMedianUs: percentile(mainUs, 50),
    mainP90Us: percentile(mainUs, 90),
    rewardMedianUs: percentile(rewardUs, 50),
    workerRewardsMs: w.rewards.mean,
    workerGenerationsMs: w.generations.mean,
    drops: t.drops.total(),
  };
  await shutdown();
  return res;
}

const results = [];
for (const ratio of [0.1, 1]) results.push(await run(ratio));
console.log(
  `analysis bench: ${COMPLETIONS} completions x 4 reward functions x ${TOKENS} tokens with logprobs, ${STEPS} steps`,
);
for (const r of results) {
  console.log(
    `sampling_ratio ${r.samplingRatio}: training thread median ${r.mainMedianUs.toFixed(0)} us (p90 ${r.mainP90Us.toFixed(0)} us) per step for both calls (logRewardMetrics alone ${r.rewardMedianUs.toFixed(0)} us); worker ${r.workerRewardsMs.toFixed(2)} ms (rewards) + ${r.workerGenerationsMs.toFixed(2)} ms (generations); drops ${r.drops}`,
  );
}
const worst = Math.max(...results.map((r) => r.mainMedianUs));
console.log(
  worst < 200
    ? `PASS: median under 200 us (${worst.toFixed(0)} us)`
    : `FAIL: median ${worst.toFixed(0)} us >= 200 us`,
);
process.exitCode = worst < 200 ? 0 : 1;
