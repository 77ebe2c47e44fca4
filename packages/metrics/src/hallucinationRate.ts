import { findNumbers, type NumericTolerance, numbersEqual } from './internal/numbers.js';
import { parseCompletion } from './parseCompletion.js';

export interface HallucinationItem {
  /** The completion; its `<reasoning>` section is examined when it has one, else the whole text. */
  completion: string;
  /** The problem statement. */
  question: string;
  /** The reference solution's reasoning (text, or steps as texts or numbers). */
  referenceSteps: string | ReadonlyArray<string | number>;
}

export interface Hallucinations {
  /** unsupported / numbers (NaN when the reasoning has no number). */
  rate: number;
  /** Number occurrences in the reasoning. */
  numbers: number;
  /** Occurrences supported by neither the question nor the reference. */
  unsupported: number;
  /** Their values, in order. */
  unsupportedValues: number[];
}

export interface HallucinationRate {
  /** Micro average: sum(unsupported) / sum(numbers) over the items (NaN when there is no number at all). */
  value: number;
  /** Macro average: mean of the items' rates, over items whose reasoning has a number. */
  meanRate: number;
  numbers: number;
  unsupported: number;
  /** Items with at least one number. */
  items: number;
  /** Items whose reasoning has no number. */
  skipped: number;
}

/**
 * Unsupported numbers in one completion's reasoning: each number occurrence in the reasoning (grammar of
 * `extractNumericAnswer`) that equals (math.isclose; relTol 1e-6, absTol 1e-9) no number of the question
 * or of the reference steps. rate = unsupported / numbers. A proxy for hallucination on a validation set
 * with reference reasoning: a correct but differently-derived intermediate result also counts.
 */
export function hallucinations(
  completion: string,
  question: string,
  referenceSteps: string | ReadonlyArray<string | number>,
  tolerance?: NumericTolerance,
): Hallucinations {
  const text = typeof completion === 'string' ? completion : '';
  const reasoning = parseCompletion(text).reasoning ?? text;
  const support: number[] = [];
  for (const m of findNumbers(typeof question === 'string' ? question : '')) support.push(m.value);
  const steps = typeof referenceSteps === 'string' ? [referenceSteps] : (referenceSteps ?? []);
  for (const s of steps) {
    if (typeof s === 'number') {
      if (Number.isFinite(s)) support.push(s);
    } else {
      for (const m of findNumbers(String(s))) support.push(m.value);
    }
  }
  const nums = findNumbers(reasoning);
  const unsupportedValues: number[] = [];
  for (const m of nums) {
    if (!supported(m.value, support, tolerance)) unsupportedValues.push(m.value);
  }
  return {
    rate: nums.length > 0 ? unsupportedValues.length / nums.length : Number.NaN,
    numbers: nums.length,
    unsupported: unsupportedValues.length,
    unsupportedValues,
  };
}

function supported(v: number, support: readonly number[], tol?: NumericTolerance): boolean {
  for (const s of support) if (numbersEqual(v, s, tol)) return true;
  return false;
}

/** Batch hallucination rate over validation items (see {@link hallucinations}): micro and macro averages. */
export function hallucinationRate(
  items: readonly HallucinationItem[],
  tolerance?: NumericTolerance,
): HallucinationRate {
  let numbers = 0;
  let unsupported = 0;
  let rateSum = 0;
  let n = 0;
  for (const it of items) {
    const h = hallucinations(it.completion, it.question, it.referenceSteps, tolerance);
    if (h.numbers === 0) continue;
    numbers += h.numbers;
    unsupported += h.unsupported;
    rateSum += h.rate;
    n++;
  }
  return {
    value: numbers > 0 ? unsupported / numbers : Number.NaN,
    meanRate: n > 0 ? rateSum / n : Number.NaN,
    numbers,
    unsupported,
    items: n,
    skipped: items.length - n,
  };
}
