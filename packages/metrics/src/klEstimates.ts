/** One KL estimator averaged three ways. */
export interface KlAggregate {
  /** Mean over every token of the batch: sum_i sum_t k_it / sum_i T_i (TRL's masked token mean). */
  tokenMean: number;
  /** Mean over sequences of each sequence's token mean: (1/N) sum_i (1/T_i) sum_t k_it (the GRPO paper's 1/|o_i|). */
  sequenceMean: number;
  /** Mean over sequences of each sequence's token sum: (1/N) sum_i sum_t k_it, an estimate of the sequence-level KL. */
  sequenceSum: number;
}

export interface KlEstimates {
  /** k1 = log p - log q: unbiased, high variance, can be negative. */
  k1: KlAggregate;
  /** k3 = exp(log q - log p) - (log q - log p) - 1: unbiased, low variance, never negative (TRL's `kl`). */
  k3: KlAggregate;
  /** Token pairs used. */
  tokens: number;
  /** Sequences with at least one usable token (the N above). */
  sequences: number;
  /** Token pairs left out: a non-finite log-probability on either side, or no partner (length mismatch). */
  skipped: number;
}

/**
 * KL divergence of the policy from the reference policy, KL(pi || pi_ref), estimated from the
 * log-probabilities both assign to the tokens the policy sampled (Schulman, "Approximating KL
 * divergence", 2020). With log p = `policyLogprobs[i][t]`, log q = `refLogprobs[i][t]`, d = log q - log p:
 *
 *   k1 = -d = log p - log q;   k3 = e^d - d - 1   (computed as expm1(d) - d for accuracy near 0).
 *
 * Both are unbiased per token when the tokens are sampled from pi; k3 >= 0 always. Each is averaged per
 * token, per sequence, and summed per sequence ({@link KlAggregate}). Pairs where either log-probability is
 * NaN or ±Infinity are skipped and counted (a -Infinity reference log-probability means an infinite KL;
 * it is reported through `skipped` rather than poisoning the mean). Sequences are paired by index; extra
 * tokens on the longer side are skipped. Empty input gives NaN.
 */
export function klEstimates(
  policyLogprobs: ReadonlyArray<ArrayLike<number>>,
  refLogprobs: ReadonlyArray<ArrayLike<number>>,
): KlEstimates {
  const nSeq = Math.max(policyLogprobs.length, refLogprobs.length);
  let tokens = 0;
  let skipped = 0;
  let sequences = 0;
  let k1Sum = 0;
  let k3Sum = 0;
  let k1SeqMean = 0;
  let k3SeqMean = 0;
  for (let i = 0; i < nSeq; i++) {
    const p = policyLogprobs[i];
    const q = refLogprobs[i];
    const lp = p?.length ?? 0;
    const lq = q?.length ?? 0;
    const len = Math.min(lp, lq);
    skipped += Math.max(lp, lq) - len;
    let s1 = 0;
    let s3 = 0;
    let t = 0;
    for (let j = 0; j < len; j++) {
      const a = p![j]!;
      const b = q![j]!;
      if (!Number.isFinite(a) || !Number.isFinite(b)) {
        skipped++;
        continue;
      }
      const d = b - a;
      s1 -= d;
      const k3 = Math.expm1(d) - d;
      s3 += Math.max(k3, 0); // >= 0 exactly; guards a last-ulp rounding of expm1
      t++;
    }
    if (t === 0) continue;
    sequences++;
    tokens += t;
    k1Sum += s1;
    k3Sum += s3;
    k1SeqMean += s1 / t;
    k3SeqMean += s3 / t;
  }
  const agg = (sum: number, seqMean: number): KlAggregate =>
    tokens === 0
      ? { tokenMean: Number.NaN, sequenceMean: Number.NaN, sequenceSum: Number.NaN }
      : { tokenMean: sum / tokens, sequenceMean: seqMean / sequences, sequenceSum: sum / sequences };
  return { k1: agg(k1Sum, k1SeqMean), k3: agg(k3Sum, k3SeqMean), tokens, sequences, skipped };
}
