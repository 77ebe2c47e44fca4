/** Per-token log-probabilities as a dense row-major matrix: token t's values are data[t*width .. t*width+width). */
export interface LogprobMatrix {
  data: ArrayLike<number>;
  width: number;
}

/** How to treat a top-k list whose probabilities sum to less than 1. */
export type TopKEntropy = 'renormalize' | 'lowerBound';

export interface TokenEntropyInput {
  /**
   * Natural-log probabilities per generated token: the full distribution or its top-k entries
   * (pad short rows with -Infinity). Either one ArrayLike per token, or a {@link LogprobMatrix}.
   */
  logprobs?: ReadonlyArray<ArrayLike<number>> | LogprobMatrix;
  /**
   * The entropy (nats) of the policy's distribution at each generated token, as the trainer computed
   * it from its logits (TRL's and verl's `entropy`), one sequence per completion: used when `logprobs`
   * is absent. Values that are not finite or below 0 are left out (counted in `skipped`); values down
   * to -1e-6 (rounding in low precision) count as 0.
   */
  entropies?: ReadonlyArray<ArrayLike<number>>;
  /** Sampled tokens (ids or strings), one sequence per completion: used when neither of the above is given. */
  tokens?: ReadonlyArray<ArrayLike<number | string>>;
}

export interface TokenEntropyOptions {
  /** Top-k handling (default 'renormalize'); see {@link tokenEntropy}. */
  topK?: TopKEntropy;
  /** A row whose probabilities sum to at least 1 - this is a full distribution (default 1e-6). */
  completeTolerance?: number;
}

export interface TokenEntropy {
  /** Entropy in nats (NaN when nothing was usable). */
  value: number;
  /**
   * 'distribution': every row was a full distribution; 'top-k': some rows were truncated (handled per
   * `topK`); 'reported': the mean of the trainer's per-token `entropies`; 'frequency': plug-in entropy
   * of sampled token frequencies; 'none': no usable input.
   */
  method: 'distribution' | 'top-k' | 'reported' | 'frequency' | 'none';
  /** Tokens that entered the value. */
  tokens: number;
  /** Rows whose probabilities summed to less than 1 - completeTolerance. */
  truncated: number;
  /**
   * Rows left out: containing NaN or +Infinity, a probability above 1, or a total above 1 + tolerance, or
   * no mass; with `entropies`, the values left out.
   */
  skipped: number;
}

/** How far below 0 a reported entropy may be and still count (as 0): rounding in low precision. */
const NEGATIVE_ENTROPY_TOLERANCE = 1e-6;

/**
 * Whether a per-token entropy a trainer reports is usable: finite and not below 0 (down to
 * -1e-6, what a near-deterministic token's entropy rounds to in float16; counted as 0).
 */
export function isUsableEntropy(h: number): boolean {
  return Number.isFinite(h) && h >= -NEGATIVE_ENTROPY_TOLERANCE;
}

/**
 * Entropy of one row of log-probabilities, or NaN when the row is invalid. `mode` decides truncated rows.
 * Returns the entropy and, through `state`, whether the row was truncated.
 */
function rowEntropy(
  data: ArrayLike<number>,
  from: number,
  to: number,
  mode: TopKEntropy,
  tol: number,
  state: { truncated: boolean },
): number {
  let mass = 0;
  let plogp = 0;
  for (let i = from; i < to; i++) {
    const lp = data[i]!;
    if (!(lp <= 1e-12)) return Number.NaN; // NaN, +Infinity, or a probability above 1
    if (lp === Number.NEGATIVE_INFINITY) continue;
    const p = Math.exp(lp);
    mass += p;
    plogp += p * lp;
  }
  if (!(mass > 0) || mass > 1 + tol) return Number.NaN;
  state.truncated = mass < 1 - tol;
  if (!state.truncated || mode === 'renormalize') return Math.max(0, -plogp / mass + Math.log(mass));
  const rest = 1 - mass;
  return Math.max(0, -plogp - rest * Math.log(rest));
}

/**
 * Mean per-token entropy of the policy, in nats.
 *
 * With `logprobs` (per token, H_t = -sum_v p_v log p_v, averaged over all tokens of the batch, as TRL's
 * `entropy` metric averages over completion tokens):
 * - a row summing to 1 (within `completeTolerance`) is a full distribution: H_t is exact (it is
 *   renormalised by its total S as -sum (p/S) log(p/S), which absorbs rounding);
 * - a truncated top-k row (S < 1) is handled by `topK`:
 *   'renormalize' (default): the entropy of the top-k renormalised, -sum (p/S) log(p/S)
 *   (`scipy.stats.entropy` of the top-k probabilities); an approximation, neither bound;
 *   'lowerBound': the missing mass 1 - S lumped into one outcome, -sum p log p - (1-S) log(1-S), a lower
 *   bound on the true entropy (splitting the tail can only raise it);
 *   `method` is then 'top-k' and `truncated` counts those rows.
 *
 * Without logprobs but with per-token `entropies` (what a trainer of a large-vocabulary model computes
 * from its logits, where full distributions are too large to hand over): their mean over all tokens of
 * the batch (`method: 'reported'`), the same quantity as from full distributions.
 *
 * With neither, but with sampled `tokens`: the plug-in (maximum-likelihood) entropy of the token
 * frequencies over the whole batch, H = -sum_v (c_v/N) log(c_v/N) (`method: 'frequency'`). That is the
 * entropy of the batch's unigram distribution, a different (and biased low) quantity: it falls when the
 * model repeats itself, which is what collapse detection needs.
 */
export function tokenEntropy(input: TokenEntropyInput, options?: TokenEntropyOptions): TokenEntropy {
  const mode = options?.topK ?? 'renormalize';
  const tol = options?.completeTolerance ?? 1e-6;
  const lps = input.logprobs;
  if (lps !== undefined) {
    const state = { truncated: false };
    let sum = 0;
    let tokens = 0;
    let truncated = 0;
    let rows = 0;
    const add = (h: number) => {
      rows++;
      if (Number.isNaN(h)) return;
      sum += h;
      tokens++;
      if (state.truncated) truncated++;
    };
    if (Array.isArray(lps)) {
      for (const row of lps as ReadonlyArray<ArrayLike<number>>)
        add(rowEntropy(row, 0, row.length, mode, tol, state));
    } else {
      const { data, width } = lps as LogprobMatrix;
      if (!Number.isInteger(width) || width < 1) {
        throw new RangeError(`tokenEntropy: logprobs.width must be a positive integer, got ${width}`);
      }
      const count = Math.floor(data.length / width);
      for (let t = 0; t < count; t++) add(rowEntropy(data, t * width, t * width + width, mode, tol, state));
    }
    return {
      value: tokens > 0 ? sum / tokens : Number.NaN,
      method: tokens === 0 ? 'none' : truncated > 0 ? 'top-k' : 'distribution',
      tokens,
      truncated,
      skipped: rows - tokens,
    };
  }
  if (input.entropies !== undefined) {
    // A running mean: a sum of values near Number.MAX_VALUE would overflow.
    let mean = 0;
    let tokens = 0;
    let skipped = 0;
    for (const seq of input.entropies) {
      for (let i = 0; i < seq.length; i++) {
        const h = seq[i]!;
        if (isUsableEntropy(h)) {
          tokens++;
          mean += (Math.max(0, h) - mean) / tokens;
        } else skipped++;
      }
    }
    return {
      value: tokens > 0 ? mean : Number.NaN,
      method: tokens > 0 ? 'reported' : 'none',
      tokens,
      truncated: 0,
      skipped,
    };
  }
  if (input.tokens !== undefined) {
    const counts = new Map<number | string, number>();
    let total = 0;
    for (const seq of input.tokens) {
      for (let i = 0; i < seq.length; i++) {
        const t = seq[i]!;
        counts.set(t, (counts.get(t) ?? 0) + 1);
      }
      total += seq.length;
    }
    if (total === 0) return { value: Number.NaN, method: 'none', tokens: 0, truncated: 0, skipped: 0 };
    let h = 0;
    for (const c of counts.values()) h -= c * Math.log(c);
    // -sum (c/N) log(c/N) = log N - (1/N) sum c log c
    return {
      value: Math.max(0, Math.log(total) + h / total),
      method: 'frequency',
      tokens: total,
      truncated: 0,
      skipped: 0,
    };
  }
  return { value: Number.NaN, method: 'none', tokens: 0, truncated: 0, skipped: 0 };
}
