import { findNumbers, type NumericTolerance, numbersEqual } from './internal/numbers.js';
import { parseCompletion } from './parseCompletion.js';

/** One intermediate result a worked solution must state: a number (compared numerically) or a phrase. */
export type RequiredStep = number | string;

export interface CompletenessItem {
  /** The completion; its `<reasoning>` section is searched when it has one, else the whole text. */
  completion: string;
  /** What a complete solution states, e.g. [48, 24, 72] for "48 / 2 = 24; 48 + 24 = 72". */
  required: readonly RequiredStep[];
}

export interface Completeness {
  /** present / required (NaN when nothing is required). */
  fraction: number;
  present: number;
  required: number;
  /** The required steps not found. */
  missing: RequiredStep[];
}

export interface ReasoningCompleteness {
  /** Mean of the items' fractions (items requiring nothing are left out; NaN if none remain). */
  value: number;
  /** Items averaged. */
  items: number;
  /** Items requiring nothing. */
  skipped: number;
}

function normalizePhrase(s: string): string {
  return s.toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Reasoning completeness of one completion: the fraction of the required intermediate results it
 * states. A number is present when some number of the reasoning (grammar of `extractNumericAnswer`)
 * equals it within tolerance (math.isclose; relTol 1e-6, absTol 1e-9); a phrase is present when it occurs
 * in the reasoning, case-insensitively and with whitespace runs collapsed.
 */
export function completeness(
  completion: string,
  required: readonly RequiredStep[],
  tolerance?: NumericTolerance,
): Completeness {
  const text = typeof completion === 'string' ? completion : '';
  const reasoning = parseCompletion(text).reasoning ?? text;
  const nums = findNumbers(reasoning);
  let phrase: string | undefined;
  const missing: RequiredStep[] = [];
  let present = 0;
  for (const step of required) {
    let found = false;
    if (typeof step === 'number') {
      found = nums.some((m) => numbersEqual(m.value, step, tolerance));
    } else {
      phrase ??= normalizePhrase(reasoning);
      found = phrase.includes(normalizePhrase(String(step)));
    }
    if (found) present++;
    else missing.push(step);
  }
  return {
    fraction: required.length > 0 ? present / required.length : Number.NaN,
    present,
    required: required.length,
    missing,
  };
}

/** Batch reasoning completeness: the mean of {@link completeness} fractions over items that require something. */
export function reasoningCompleteness(
  items: readonly CompletenessItem[],
  tolerance?: NumericTolerance,
): ReasoningCompleteness {
  let sum = 0;
  let n = 0;
  for (const it of items) {
    if (!it.required?.length) continue;
    sum += completeness(it.completion, it.required, tolerance).fraction;
    n++;
  }
  return { value: n > 0 ? sum / n : Number.NaN, items: n, skipped: items.length - n };
}
