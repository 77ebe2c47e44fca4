/** Everything that shapes a demo training run. */
export interface TrainerOptions {
  /** Seeds the problems, the weights, the batches and the sampling: same seed, same run. */
  seed: number;
  /** GRPO steps after the warm-up. */
  steps: number;
  /** Completions sampled per prompt (GRPO's G). */
  groupSize: number;
  /** Prompts per GRPO step (the batch holds promptsPerStep x groupSize completions). */
  promptsPerStep: number;
  /** Supervised steps on worked solutions before GRPO: enough to learn the format, not every answer. */
  warmupSteps: number;
  warmupBatchSize: number;
  warmupLearningRate: number;
  /** Adam learning rate of the GRPO updates. */
  learningRate: number;
  /** GRPO steps over which the learning rate rises linearly to `learningRate` (Adam's first steps are
   * full-size whatever the gradient; a ramp keeps them from knocking the warmed-up policy about). */
  learningRateWarmupSteps: number;
  /** KL penalty coefficient (k3 estimator, against the policy frozen after the warm-up). */
  beta: number;
  /** PPO clip range of the policy ratio. */
  clipEpsilon: number;
  /** Gradients are scaled down to this global norm. */
  maxGradNorm: number;
  /** Optimiser updates per batch of samples (the ratio to the sampling policy matters from the second on). */
  updatesPerStep: number;
  /** Longest completion, in tokens. */
  maxCompletionTokens: number;
  /** Sampling temperature of the GRPO rollouts. */
  temperature: number;
  embeddingSize: number;
  hiddenSize: number;
  /** Largest operand of the problems (1..maxOperand). */
  maxOperand: number;
  /** Fraction of the problems held out for validation. */
  validationFraction: number;
}

/** The defaults: a run that learns visibly in about a minute and a half on two cores. */
export const DEFAULT_TRAINER_OPTIONS: Readonly<TrainerOptions> = Object.freeze({
  seed: 1,
  steps: 600,
  groupSize: 8,
  promptsPerStep: 8,
  warmupSteps: 150,
  warmupBatchSize: 32,
  warmupLearningRate: 1e-2,
  learningRate: 2e-3,
  learningRateWarmupSteps: 50,
  beta: 0.02,
  clipEpsilon: 0.2,
  maxGradNorm: 1,
  updatesPerStep: 1,
  maxCompletionTokens: 16,
  temperature: 1,
  embeddingSize: 64,
  hiddenSize: 96,
  maxOperand: 9,
  validationFraction: 0.2,
});

const POSITIVE_INTEGERS = [
  'steps',
  'groupSize',
  'promptsPerStep',
  'warmupBatchSize',
  'updatesPerStep',
  'maxCompletionTokens',
  'embeddingSize',
  'hiddenSize',
  'maxOperand',
] as const;
const POSITIVE_NUMBERS = [
  'warmupLearningRate',
  'learningRate',
  'clipEpsilon',
  'maxGradNorm',
  'temperature',
] as const;

/** The defaults overridden by `options`; throws a RangeError naming the first bad option. */
export function resolveTrainerOptions(options: Partial<TrainerOptions> = {}): TrainerOptions {
  const o: TrainerOptions = { ...DEFAULT_TRAINER_OPTIONS };
  for (const [key, value] of Object.entries(options) as [keyof TrainerOptions, number | undefined][]) {
    if (value !== undefined) o[key] = value;
  }
  for (const key of POSITIVE_INTEGERS) {
    if (!Number.isInteger(o[key]) || o[key] < 1)
      throw new RangeError(`${key} must be a positive integer, got ${o[key]}`);
  }
  for (const key of POSITIVE_NUMBERS) {
    if (!Number.isFinite(o[key]) || o[key] <= 0)
      throw new RangeError(`${key} must be a positive number, got ${o[key]}`);
  }
  if (!Number.isInteger(o.seed)) throw new RangeError(`seed must be an integer, got ${o.seed}`);
  if (!Number.isInteger(o.learningRateWarmupSteps) || o.learningRateWarmupSteps < 0) {
    throw new RangeError(
      `learningRateWarmupSteps must be a non-negative integer, got ${o.learningRateWarmupSteps}`,
    );
  }
  if (!Number.isInteger(o.warmupSteps) || o.warmupSteps < 0) {
    throw new RangeError(`warmupSteps must be a non-negative integer, got ${o.warmupSteps}`);
  }
  if (!Number.isFinite(o.beta) || o.beta < 0) throw new RangeError(`beta must be >= 0, got ${o.beta}`);
  if (o.groupSize < 2)
    throw new RangeError(
      `groupSize must be at least 2 (advantages compare within a group), got ${o.groupSize}`,
    );
  if (!(o.validationFraction > 0 && o.validationFraction < 1)) {
    throw new RangeError(`validationFraction must be in (0, 1), got ${o.validationFraction}`);
  }
  return o;
}
