import { intern, ngramKey, type TokenSequence } from './internal/ngrams.js';

export interface DistinctN {
  /** unique / total, in [0, 1]; NaN when the batch has no n-gram. */
  value: number;
  /** Distinct n-grams over the batch. */
  unique: number;
  /** n-grams over the batch: sum over completions of max(0, length - n + 1). */
  total: number;
}

/**
 * distinct-n (Li et al., 2016): the number of distinct n-grams in the whole batch divided by the number
 * of n-grams in it. Low values mean the completions reuse the same phrases (mode collapse).
 * Completions are texts (split into words as Python's str.split()) or token sequences (ids or strings);
 * n-grams never span two completions. distinct-1/2/3 are n = 1, 2, 3.
 */
export function distinctN(sequences: readonly TokenSequence[], n: number): DistinctN {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`distinctN: n must be a positive integer, got ${n}`);
  const { seqs, vocab } = intern(sequences);
  const key = ngramKey(n, vocab);
  const seen = new Set<number | string>();
  let total = 0;
  for (const s of seqs) {
    for (let i = 0; i + n <= s.length; i++) {
      seen.add(key(s, i));
      total++;
    }
  }
  return { value: total > 0 ? seen.size / total : Number.NaN, unique: seen.size, total };
}
