import type { AnalysisResult } from './AnalysisResult.js';

/** Detector and window settings the worker is started with (from the config's `metrics` section). */
export interface AnalysisSettings {
  historyWindow: number;
  /** When the SDK started (epoch ms) and the process CPU time then (µs), for the efficiency ratios. */
  startedAtMs: number;
  cpuAtStartUs: number;
  plateau: { window: number; minDelta: number; patience: number; objective: string };
  collapse: { entropyThreshold?: number; diversityThreshold?: number; maxDrop?: number; window: number };
}

export interface RewardJob {
  kind: 'rewards';
  id: number;
  step: number;
  /** One array per reward function, aligned by completion. */
  rewards: Record<string, Float64Array>;
  historyWindow?: number;
  groupSize?: number;
  weights?: Record<string, number>;
  /** Tokens processed so far, for the computation-to-performance ratios (time and CPU the worker reads itself). */
  tokens?: number;
  /**
   * The reward means of the steps since the previous job (per function and `total`), oldest first:
   * the windows and detectors take every step's value before this job's (which may have no rewards).
   */
  history?: { step: number; means: Record<string, number> }[];
}

/** A reference for one completion (answer, and optionally the steps a complete solution states). */
export interface GenerationReference {
  answer: string;
  steps?: string[];
  reasoning?: string;
  question?: string;
}

/** Per-token data of the completions chosen for the expensive metrics (`sampling_ratio`), packed flat:
 * sampled completion j owns [offsets[j], offsets[j+1]) of each array. */
export interface PackedTokens {
  /** Index of each sampled completion in the batch. */
  indices: Int32Array;
  offsets: Int32Array;
  tokens?: Int32Array;
  logprobs?: Float64Array;
  refLogprobs?: Float64Array;
  /** Per-token entropies the trainer reported (nats). */
  entropies?: Float64Array;
  /** Per-token log-probability distributions, rows of `width`. */
  distributions?: Float32Array;
  width?: number;
  /**
   * Rows of `distributions` that are padding (NaN): tokens of a completion past the rows it has. The
   * worker tells them apart from the trainer's own unusable rows, which it reports as dropped.
   */
  distributionPaddingRows?: number;
}

/** A batch of completions, packed for transfer (typed arrays are transferred, not copied). */
export interface GenerationJob {
  kind: 'generations';
  id: number;
  step: number;
  /** The completions concatenated (one string clones far faster than many), split by `textLengths`. */
  textBlob: string;
  textLengths: Int32Array;
  /** Completion lengths in tokens, when known. */
  tokenCounts?: Int32Array;
  /** 1 where the completion ended with EOS, 0 where it hit the length limit. */
  terminated?: Uint8Array;
  maxTokens?: number;
  groupSize?: number;
  /** JSON of GenerationReference[] (one string instead of many small objects). */
  referencesJson?: string;
  sample?: PackedTokens;
}

export type AnalysisJob = RewardJob | GenerationJob;

/** A job before the worker client numbers it. */
export type AnalysisJobInput = Omit<RewardJob, 'id'> | Omit<GenerationJob, 'id'>;

/** The jobs submitted during one synchronous stretch of the training thread (a step's) travel as one message. */
export type WorkerRequest =
  | { type: 'init'; settings: AnalysisSettings }
  | { type: 'jobs'; jobs: AnalysisJob[] };

export type JobReply =
  | { type: 'result'; id: number; result: AnalysisResult }
  | { type: 'error'; id: number; message: string };

/** The replies to one `jobs` message, in job order, as one message. */
export type WorkerResponse = { type: 'replies'; replies: JobReply[] };
