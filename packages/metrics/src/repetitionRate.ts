import { intern, ngramKey, type TokenSequence } from './internal/ngrams.js';

export interface RepetitionRate {
  /** Mean over completions of their repetition rate, in [0, 1]; NaN when no completion has an n-gram. */
  value: number;
  /** Completions with at least one n-gram (the ones averaged). */
  sequences: number;
  /** Completions shorter than n (left out). */
  skipped: number;
}

/**
 * Repetition within a completion (rep-n, Welleck et al. 2019): for each completion,
 * 1 - distinct n-grams / n-grams, the fraction of its n-grams that repeat an earlier one; averaged over
 * completions (macro average). Default n = 4. A model stuck in a loop approaches 1.
 * Completions are texts (split into words as Python's str.split()) or token sequences.
 */
export function repetitionRate(sequences: readonly TokenSequence[], n = 4): RepetitionRate {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`repetitionRate: n must be a positive integer, got ${n}`);
  const { seqs, vocab } = intern(sequences);
  const key = ngramKey(n, vocab);
  const seen = new Set<number | string>();
  let sum = 0;
  let counted = 0;
  for (const s of seqs) {
    const total = s.length - n + 1;
    if (total <= 0) continue;
    seen.clear();
    for (let i = 0; i < total; i++) seen.add(key(s, i));
    sum += 1 - seen.size / total;
    counted++;
  }
  return {
    value: counted > 0 ? sum / counted : Number.NaN,
    sequences: counted,
    skipped: seqs.length - counted,
  };
}
