import { findNumbers } from './internal/numbers.js';
import { parseCompletion } from './parseCompletion.js';

/** A numeric answer and where it came from. */
export interface NumericAnswer {
  value: number;
  /** 'answer': from the `<answer>` section; 'text': the last number of a text without `<answer>`. */
  source: 'answer' | 'text';
}

/**
 * The numeric answer of a completion (or of a reference such as GSM8K's "… #### 1,234").
 *
 * - Where: with an `<answer>` tag, the last number inside the last `<answer>` section (up to `</answer>`
 *   or the end); a tagged answer without a number gives undefined (no fallback to the reasoning).
 *   Without the tag, the last number in the whole text.
 * - Number grammar: optional sign (+, -, or U+2212 minus; only when not glued to a preceding letter,
 *   digit, '_', '.' or ')': "5-3" reads 5 and 3, "= -3" reads -3); ASCII digits with optional comma
 *   thousands groups ("1,234,567" = 1234567; "1,23" reads 1 and 23); optional decimals ("3.5", ".5");
 *   a fraction a/b written without spaces is a / b ("3/4" = 0.75, "-3/4" = -0.75; "3/0" reads 3 and 0).
 *   Not understood: exponents ("1e5" reads 1 and 5), percent scaling ("50%" is 50), words ("five").
 *   Currency and units around the number are ignored ("$1,000.50" = 1000.5).
 */
export function extractNumericAnswer(text: string): NumericAnswer | undefined {
  if (typeof text !== 'string') return undefined;
  const { answer } = parseCompletion(text);
  const nums = findNumbers(answer ?? text);
  const last = nums[nums.length - 1];
  return last === undefined
    ? undefined
    : { value: last.value, source: answer !== undefined ? 'answer' : 'text' };
}
