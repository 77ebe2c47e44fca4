import type { TrainerOptions } from './TrainerOptions.js';

/** One validation pass: greedy answers to the whole held-out split. */
export interface ValidationPoint {
  step: number;
  /** Fraction correct, scored by the trainer's correctness reward. */
  accuracy: number;
  correct: number;
  total: number;
  /** The same pass as the SDK's `runValidation` scored it (absent when telemetry is off). */
  telemetryAccuracy?: number;
}

/** Mean over the first and over the last `window` steps. */
export interface FirstLast {
  first: number;
  last: number;
  window: number;
}

/** What a demo run did and where it wrote it; also written to `<run folder>/summary.json`. */
export interface DemoSummary {
  runId: string;
  outDir: string;
  startedAt: string;
  /** Steps actually run (fewer than asked when stopped early). */
  steps: number;
  stoppedEarly: boolean;
  seconds: { total: number; warmup: number; training: number; validation: number };
  options: TrainerOptions;
  model: { parameters: number; vocabulary: number; backend: string; simd: boolean; threads: number };
  /** Mean correctness reward (fraction of correct sampled answers), first vs last 10% of the steps. */
  correctness: FirstLast;
  /** Mean total reward, first vs last 10% of the steps. */
  reward: FirstLast;
  /** Validation accuracy after the warm-up (step 0) and at the end. */
  validation: { start: ValidationPoint; end: ValidationPoint; history: ValidationPoint[] };
  /**
   * Per step: mean correctness and mean total reward of the batch, and the step's wall time and the
   * process's CPU time (all threads) in seconds: training, its telemetry calls and the event-loop
   * turn after it, validation passes excluded; measured the same way with telemetry on or off.
   */
  history: { correctness: number[]; reward: number[]; stepSeconds: number[]; stepCpuSeconds: number[] };
  /** Plateau and collapse signals the SDK raised. */
  signals: { kind: string; step: number; detail: string }[];
  /** Records the SDK dropped (e.g. to sinks this build lacks), by signal, reason and name. */
  drops: { signal: string; reason: string; where: string; count: number }[];
  telemetry: boolean;
  files: { log: string; csv: string; tensorboard: string; validationSet: string; summary: string };
}
