// The reference step of bench/peers (issue: the telemetry thread): 8 prompts x 8 completions, 4 reward
// functions, 256 tokens per completion with policy and reference logprobs and per-token entropies.
// Generated from a fixed seed, the same values for every peer (python_peers.py builds the same shapes
// from the same seed with numpy's generator: the values differ, the work does not). POOL distinct steps,
// cycled with their step numbers: a trainer logs the tensors and texts it has just made, still in the
// CPU's caches, and 8 steps (2.4 MB) stay there as they would; 200 distinct steps (60 MB) would make
// every peer read each step from memory instead, a cost of the bench, not of logging.
import { mulberry32 } from '@grpo-otel/metrics';

export const PROMPTS = 8;
export const GROUP = 8;
export const COMPLETIONS = PROMPTS * GROUP;
export const TOKENS = 256;
/** Distinct steps made; the run cycles through them. */
export const POOL = 8;
export const REWARD_FUNCTIONS = ['correctness', 'format', 'length', 'topic'] as const;

export interface StepData {
  step: number;
  rewards: Record<string, number[]>;
  texts: string[];
  questions: string[];
  answers: string[];
  tokens: Int32Array[];
  logprobs: Float32Array[];
  refLogprobs: Float32Array[];
  entropies: Float32Array[];
  loss: number;
}

const WORDS = ['the', 'sum', 'of', 'two', 'numbers', 'is', 'so', 'we', 'add', 'carry', 'then', 'answer'];

/** `steps` steps of data (POOL distinct ones, cycled), made before anything is measured (their cost is not telemetry's). */
export function makeSteps(steps: number, seed = 42): StepData[] {
  const pool = makeDistinct(Math.min(steps, POOL), seed);
  return Array.from({ length: steps }, (_, i) => ({ ...pool[i % pool.length]!, step: i + 1 }));
}

function makeDistinct(steps: number, seed: number): StepData[] {
  const rand = mulberry32(seed);
  const out: StepData[] = [];
  for (let s = 1; s <= steps; s++) {
    const rewards: Record<string, number[]> = {};
    for (const f of REWARD_FUNCTIONS) rewards[f] = Array.from({ length: COMPLETIONS }, () => rand());
    const texts: string[] = [];
    const tokens: Int32Array[] = [];
    const logprobs: Float32Array[] = [];
    const refLogprobs: Float32Array[] = [];
    const entropies: Float32Array[] = [];
    for (let c = 0; c < COMPLETIONS; c++) {
      const words = Array.from({ length: 40 }, () => WORDS[Math.floor(rand() * WORDS.length)]);
      texts.push(
        `<reasoning>\n${words.join(' ')}\n</reasoning>\n<answer>\n${Math.floor(rand() * 100)}\n</answer>`,
      );
      const t = new Int32Array(TOKENS);
      const lp = new Float32Array(TOKENS);
      const ref = new Float32Array(TOKENS);
      const ent = new Float32Array(TOKENS);
      for (let i = 0; i < TOKENS; i++) {
        t[i] = Math.floor(rand() * 32_000);
        lp[i] = -3 * rand();
        ref[i] = lp[i]! - 0.1 * rand();
        ent[i] = 2 * rand();
      }
      tokens.push(t);
      logprobs.push(lp);
      refLogprobs.push(ref);
      entropies.push(ent);
    }
    const questions = Array.from({ length: COMPLETIONS }, (_, c) => `What is ${c} + ${s}?`);
    const answers = Array.from({ length: COMPLETIONS }, (_, c) => String(c + s));
    out.push({
      step: s,
      rewards,
      texts,
      questions,
      answers,
      tokens,
      logprobs,
      refLogprobs,
      entropies,
      loss: rand(),
    });
  }
  return out;
}
