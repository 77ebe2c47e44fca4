import { type Summary, summarize } from './summarize.js';

export interface ClippedRatioInput {
  /** Completion lengths in tokens. */
  tokenCounts: ArrayLike<number>;
  /** The generation limit (`max_completion_length`); used when `terminated` is not given. */
  maxTokens?: number;
  /** Per completion: whether it ended with EOS (or a stop string). Preferred when known. */
  terminated?: ArrayLike<boolean>;
}

export interface ClippedRatio {
  /** clipped / total (NaN when total is 0): TRL's `completions/clipped_ratio`. */
  ratio: number;
  clipped: number;
  total: number;
  /** Lengths of the completions that did terminate (TRL's `completions/mean_terminated_length` etc.). */
  terminatedLengths: Summary;
}

/**
 * Fraction of completions cut off by the length limit instead of ending on their own: a completion is
 * clipped when `terminated[i]` is false or, without `terminated`, when tokenCounts[i] >= maxTokens.
 * Without either, nothing counts as clipped. Completions with a non-finite or negative length are left
 * out of `total`.
 */
export function clippedRatio(input: ClippedRatioInput): ClippedRatio {
  const { tokenCounts, maxTokens, terminated } = input;
  const term = new Float64Array(tokenCounts.length);
  let clipped = 0;
  let total = 0;
  let k = 0;
  for (let i = 0; i < tokenCounts.length; i++) {
    const len = tokenCounts[i]!;
    if (!(len >= 0) || !Number.isFinite(len)) continue;
    total++;
    const isClipped = terminated ? !terminated[i] : maxTokens !== undefined && len >= maxTokens;
    if (isClipped) clipped++;
    else term[k++] = len;
  }
  return {
    ratio: total > 0 ? clipped / total : Number.NaN,
    clipped,
    total,
    terminatedLengths: summarize(term.subarray(0, k)),
  };
}
