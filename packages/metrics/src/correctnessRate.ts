import { extractNumericAnswer } from './extractNumericAnswer.js';
import { type NumericTolerance, numbersEqual } from './internal/numbers.js';

export interface CorrectnessRate {
  /** correct / total (NaN when total is 0). */
  rate: number;
  correct: number;
  /** Completions with a usable reference. */
  total: number;
  /** Completions (among total) from which no number could be extracted: counted wrong. */
  unparsed: number;
  /** Completions left out because their reference is missing or has no number. */
  skipped: number;
}

/**
 * Answer correctness rate: the share of completions whose {@link extractNumericAnswer} equals the
 * reference within tolerance, |a - b| <= max(relTol * max(|a|, |b|), absTol) (Python's math.isclose;
 * defaults relTol 1e-6, absTol 1e-9). References are numbers or texts (their answer is extracted the same
 * way, so "#### 72" works). Pairs by index over the shorter list.
 */
export function correctnessRate(
  completions: readonly string[],
  references: ReadonlyArray<number | string> | ArrayLike<number>,
  tolerance?: NumericTolerance,
): CorrectnessRate {
  const n = Math.min(completions.length, references.length);
  let correct = 0;
  let total = 0;
  let unparsed = 0;
  for (let i = 0; i < n; i++) {
    const ref = references[i];
    const expected =
      typeof ref === 'number' ? ref : typeof ref === 'string' ? extractNumericAnswer(ref)?.value : undefined;
    if (expected === undefined || !Number.isFinite(expected)) continue;
    total++;
    const got = extractNumericAnswer(completions[i]!);
    if (got === undefined) unparsed++;
    else if (numbersEqual(got.value, expected, tolerance)) correct++;
  }
  return {
    rate: total > 0 ? correct / total : Number.NaN,
    correct,
    total,
    unparsed,
    skipped: completions.length - total,
  };
}
