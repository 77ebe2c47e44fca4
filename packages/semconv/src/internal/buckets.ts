// Explicit bucket boundaries (upper bounds, inclusive) used as histogram advice. Users can override them
// with a View; these are chosen for GRPO on small and large models alike.

/** Rewards: binary/graded functions in [0, 1] at 0.1 resolution, totals up to a few points. */
export const REWARD_BUCKETS: readonly number[] = [
  -1, -0.5, -0.25, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.5, 2, 2.5, 3, 4, 5,
];

/** Within-group reward standard deviation; the first bucket (<= 0) counts zero-variance groups exactly. */
export const GROUP_STD_BUCKETS: readonly number[] = [0, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2];

/** Advantages: group-normalised, so mostly within a few standard deviations of 0. */
export const ADVANTAGE_BUCKETS: readonly number[] = [
  -3, -2, -1.5, -1, -0.5, -0.25, 0, 0.25, 0.5, 1, 1.5, 2, 3,
];

/** Completion length in tokens: from toy models (tens of tokens) to long reasoning (thousands). */
export const TOKEN_LENGTH_BUCKETS: readonly number[] = [
  4, 8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096, 8192,
];

/** Completion length in characters. */
export const CHAR_LENGTH_BUCKETS: readonly number[] = [
  16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768,
];

/** Whole training steps, in seconds. */
export const STEP_DURATION_BUCKETS: readonly number[] = [
  0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800,
];

/** Phases of a step, in seconds (finer at the low end: reward scoring can take milliseconds). */
export const PHASE_DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
];

/** Validation runs, in seconds. */
export const VALIDATION_DURATION_BUCKETS: readonly number[] = [
  0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600,
];
