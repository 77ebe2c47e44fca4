import { extractNumericAnswer } from './extractNumericAnswer.js';
import { type NumericTolerance, numbersEqual } from './internal/numbers.js';
import { xmlFormat } from './xmlFormat.js';

/** What happened to one answer, for error-pattern counts. */
export type AnswerOutcome = 'correct' | 'wrong-number' | 'no-number' | 'wrong-format' | 'empty';

/**
 * Classifies one completion against its reference answer (checked in this order):
 * 'empty' (only whitespace); 'correct' (its {@link extractNumericAnswer} equals the reference within
 * tolerance, whatever the format); 'wrong-number' (a number was extracted but differs);
 * 'wrong-format' (no number, and not even the lenient `<reasoning>`/`<answer>` format);
 * 'no-number' (well formed, but the answer holds no number). A reference without a number makes every
 * non-empty answer 'wrong-number' or worse. Timeouts and generation errors are the caller's categories.
 */
export function classifyAnswer(
  completion: string,
  reference: number | string,
  tolerance?: NumericTolerance,
): AnswerOutcome {
  const text = typeof completion === 'string' ? completion : '';
  if (text.trim() === '') return 'empty';
  const expected = typeof reference === 'number' ? reference : extractNumericAnswer(String(reference))?.value;
  const got = extractNumericAnswer(text);
  if (got !== undefined) {
    return expected !== undefined && Number.isFinite(expected) && numbersEqual(got.value, expected, tolerance)
      ? 'correct'
      : 'wrong-number';
  }
  return xmlFormat(text).lenient ? 'no-number' : 'wrong-format';
}
