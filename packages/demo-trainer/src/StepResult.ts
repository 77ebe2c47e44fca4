import type { Problem } from './ArithmeticTask.js';

/** One sampled completion of a GRPO step, with everything the policy and the rewards said about it. */
export interface Completion {
  problem: Problem;
  /** Decoded text in the seed's `<reasoning>...</reasoning><answer>...</answer>` format. */
  text: string;
  /** Token ids, ending with the end token unless the completion was cut at the length limit. */
  tokens: number[];
  /** log pi_old(token): the policy that sampled it. */
  logprobs: number[];
  /** log pi_ref(token): the frozen reference policy. */
  refLogprobs: number[];
  /** Entropy (nats) of the sampling distribution at each token. */
  entropies: number[];
  /** False when the completion hit the length limit. */
  finished: boolean;
  /** Score of each reward function, by name. */
  rewards: Record<string, number>;
  /** Sum of the reward functions. */
  reward: number;
  /** Group-normalised advantage. */
  advantage: number;
}

/** Seconds spent in each phase of a step. */
export interface StepTimings {
  generate: number;
  reward: number;
  reference: number;
  update: number;
  total: number;
}

/** A phase of a step, timed by the trainer: reported as a span (`recordSpan`) with the step's telemetry. */
export interface StepPhase {
  /** The span's name (`grpo.generate`, `grpo.reward`, `grpo.update`). */
  name: string;
  attributes: Record<string, number | string>;
  /** `performance.now()` at the phase's start and end. */
  start: number;
  end: number;
  /** Parts of the phase, its child spans (one `grpo.reward` per reward function). */
  children?: StepPhase[];
}

/** What one GRPO step did: its completions (grouped by prompt) and the update's statistics. */
export interface StepResult {
  step: number;
  groupSize: number;
  /** promptsPerStep x groupSize completions, `groupSize` consecutive ones per prompt. */
  completions: Completion[];
  /** The GRPO objective (mean over completions of the per-token mean). */
  loss: number;
  /** Mean per-token KL(pi_theta || pi_ref), k3 estimator, at the update. */
  kl: number;
  /** Mean per-token entropy of the sampling distribution. */
  entropy: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** Fractions of tokens clipped below 1 - epsilon and above 1 + epsilon. */
  clipLow: number;
  clipHigh: number;
  learningRate: number;
  rewardMean: number;
  rewardStd: number;
  /** Mean correctness reward of the batch (fraction of correct answers). */
  correctness: number;
  /** Fraction of groups whose rewards were all equal. */
  zeroStdRatio: number;
  meanGroupStd: number;
  advantages: number[];
  /** The phases that become the step span's children, in order. */
  phases: StepPhase[];
  timings: StepTimings;
}
