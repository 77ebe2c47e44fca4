import { codePointLength } from './codePointLength.js';
import { type Summary, summarize } from './summarize.js';

export interface LengthDistributionInput {
  /** Completion lengths in model tokens (e.g. the count of completion token ids up to and including EOS). */
  tokenCounts?: ArrayLike<number>;
  /** Completion texts: lengths in characters (Unicode code points, Python's len). */
  texts?: readonly string[];
}

export interface LengthDistribution {
  /** {@link summarize} of the token counts (population std); absent without `tokenCounts`. */
  tokens?: Summary & { skipped: number };
  /** {@link summarize} of the character counts; absent without `texts`. */
  chars?: Summary & { skipped: number };
}

/**
 * Length distribution of a batch of completions (TRL's `completions/mean_length`, `min_length`,
 * `max_length`), in tokens and/or characters: count, mean, population std, min, max, median. Non-finite
 * or negative token counts are skipped and counted. Use {@link histogram} on the same arrays for buckets.
 */
export function lengthDistribution(input: LengthDistributionInput): LengthDistribution {
  const out: LengthDistribution = {};
  if (input.tokenCounts) {
    const tc = input.tokenCounts;
    const xs = new Float64Array(tc.length);
    for (let i = 0; i < tc.length; i++) xs[i] = tc[i]! >= 0 ? tc[i]! : Number.NaN;
    out.tokens = summarize(xs);
  }
  if (input.texts) {
    const xs = new Float64Array(input.texts.length);
    for (let i = 0; i < xs.length; i++) {
      const t = input.texts[i];
      xs[i] = typeof t === 'string' ? codePointLength(t) : Number.NaN;
    }
    out.chars = summarize(xs);
  }
  return out;
}
