// The training thread's share of a design not built: a telemetry worker that runs the OTel providers,
// processors and exporters, the training thread only capturing each call's arguments and the spans'
// clock readings and handing them over. trainRun.mjs loads this with GRPO_BENCH_WORKER_FLOOR=<ms> in a
// run with telemetry disabled (breakdown.ts, variants 'worker floor' and 'busy worker floor'): after
// each step, the arguments the demo passes to the API in a step (synthesized at its size: 64 completions
// of 16 tokens, 4 reward functions, references, the whitelist and model-output records, the step timing)
// are copied from the trainer's kind of arrays and posted to a worker, with 8 clock readings for 4 spans.
// The worker spends <ms> per message on allocation-heavy JavaScript (0: it only counts), standing in
// for the pipeline's work on the other vCPU. What it leaves out: the API's argument checks, context
// propagation of the spans and everything the worker would send back.
import { Worker } from 'node:worker_threads';

const COMPLETIONS = 64;
const TOKENS = 16;
const REWARD_FUNCTIONS = 4;

/**
 * Starts the worker; returns what to call after each step.
 * @param {number} workMs
 * @returns {(step: number) => void}
 */
export function startWorkerFloor(workMs) {
  if (!(workMs >= 0))
    throw new RangeError(`GRPO_BENCH_WORKER_FLOOR must be milliseconds >= 0, got ${workMs}`);
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
    let kept = [];
    parentPort.on('message', (m) => {
      const end = performance.now() + ${workMs};
      while (performance.now() < end) {
        kept.push(JSON.stringify(m.rewards) + m.texts.slice(0, 200));
        if (kept.length > 200) kept = [];
      }
    });`,
    { eval: true },
  );
  worker.unref();
  const texts = Array.from(
    { length: COMPLETIONS },
    (_, i) => `<reasoning>${i} plus ${i} is ${2 * i}</reasoning><answer>${2 * i}</answer>`,
  );
  const references = texts.map((_, i) => ({
    answer: 2 * i,
    steps: [i, i, 2 * i],
    question: `What is ${i} plus ${i}?`,
  }));
  const logprobs = new Float64Array(COMPLETIONS * TOKENS).map(() => -Math.random());
  const tokens = new Int32Array(COMPLETIONS * TOKENS).map((_, i) => i % 30);
  const rewards = Array.from({ length: REWARD_FUNCTIONS }, () =>
    Array.from({ length: COMPLETIONS }, () => Math.random()),
  );
  return (step) => {
    const spans = new Float64Array(8);
    for (let i = 0; i < spans.length; i++) spans[i] = performance.now();
    const lp = Float64Array.from(logprobs);
    const ref = Float64Array.from(logprobs);
    const entropies = Float64Array.from(logprobs);
    const tok = Int32Array.from(tokens);
    worker.postMessage(
      {
        step,
        spans,
        rewards: rewards.map((r) => r.slice()),
        texts: texts.join(''),
        textLengths: Int32Array.from(texts, (t) => t.length),
        tokens: tok,
        logprobs: lp,
        refLogprobs: ref,
        entropies,
        references: JSON.stringify(references),
        whitelist: `step ${step}: 12/${COMPLETIONS} completions use whitelist words: plus x12`,
        modelOutput: ['What is 2 plus 2?', '4', texts[0]],
        timing: {
          seconds: 0.085,
          samples: COMPLETIONS,
          tokens: COMPLETIONS * TOKENS,
          promptTokens: 600,
          phases: { generate: 0.04, reward: 0.001, reference: 0.005, update: 0.04 },
        },
      },
      [tok.buffer, lp.buffer, ref.buffer, entropies.buffer],
    );
  };
}
