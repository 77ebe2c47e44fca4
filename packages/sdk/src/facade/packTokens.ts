import type { PackedTokens } from '../analysis/protocol.js';
import type { Generation } from './Generation.js';

/** Largest per-token distribution block packed for the worker (floats); larger ones are dropped and counted. */
export const MAX_DISTRIBUTION_FLOATS = 1 << 26;

/**
 * The per-token data of the completions at `indices`, packed flat for the analysis worker (see
 * {@link PackedTokens}): completion j owns [offsets[j], offsets[j+1]) of each array, its length being
 * its token count (else its logprob count, else its entropy count, else its distribution rows). An array is packed only when
 * every chosen completion has it; values a completion lacks within its length are NaN (token ids: 0).
 * Distributions are packed when they share one width and fit {@link MAX_DISTRIBUTION_FLOATS}.
 * Undefined when no completion has any per-token data.
 */
export function packTokens(gens: readonly Generation[], indices: Int32Array): PackedTokens | undefined {
  const lengthOf = (g: Generation) =>
    g.tokens?.length ?? g.logprobs?.length ?? g.entropies?.length ?? g.distribution?.data.length;
  const offsets = new Int32Array(indices.length + 1);
  for (let j = 0; j < indices.length; j++) {
    const g = gens[indices[j]!]!;
    const len =
      g.tokens?.length ??
      g.logprobs?.length ??
      g.entropies?.length ??
      (g.distribution ? Math.floor(g.distribution.data.length / g.distribution.width) : 0);
    offsets[j + 1] = offsets[j]! + len;
  }
  const total = offsets[indices.length]!;
  if (total === 0 && indices.length > 0 && gens.every((g) => lengthOf(g) === undefined)) return undefined;
  const all = (f: (g: Generation) => unknown) => {
    for (let j = 0; j < indices.length; j++) if (f(gens[indices[j]!]!) === undefined) return false;
    return true;
  };
  const out: PackedTokens = { indices, offsets };
  // Each completion's values, then `pad` up to its next offset (NaN: no value for those tokens).
  const fill = <T extends Int32Array | Float64Array>(
    arr: T,
    get: (g: Generation) => ArrayLike<number>,
    pad: number,
  ): T => {
    for (let j = 0; j < indices.length; j++) {
      const src = get(gens[indices[j]!]!);
      const start = offsets[j]!;
      const end = offsets[j + 1]!;
      const len = Math.min(src.length, end - start);
      if (ArrayBuffer.isView(src)) {
        // Typed arrays (e.g. tfjs dataSync()) copy natively.
        const typed = src as unknown as Float64Array;
        arr.set(len === typed.length ? typed : typed.subarray(0, len), start);
      } else {
        for (let k = 0; k < len; k++) arr[start + k] = src[k]!;
      }
      if (start + len < end && pad !== 0) arr.fill(pad, start + len, end);
    }
    return arr;
  };
  if (all((g) => g.tokens)) out.tokens = fill(new Int32Array(total), (g) => g.tokens!, 0);
  if (all((g) => g.logprobs)) out.logprobs = fill(new Float64Array(total), (g) => g.logprobs!, Number.NaN);
  if (all((g) => g.refLogprobs))
    out.refLogprobs = fill(new Float64Array(total), (g) => g.refLogprobs!, Number.NaN);
  if (all((g) => g.entropies)) out.entropies = fill(new Float64Array(total), (g) => g.entropies!, Number.NaN);
  const first = gens[indices[0] ?? 0]?.distribution;
  if (
    first &&
    total * first.width <= MAX_DISTRIBUTION_FLOATS &&
    all((g) => (g.distribution?.width === first.width ? g.distribution : undefined))
  ) {
    const w = first.width;
    const d = new Float32Array(total * w);
    let paddingRows = 0;
    for (let j = 0; j < indices.length; j++) {
      const src = gens[indices[j]!]!.distribution!.data;
      const start = offsets[j]! * w;
      const end = offsets[j + 1]! * w;
      const len = Math.min(src.length, end - start);
      if (src instanceof Float32Array) d.set(len === src.length ? src : src.subarray(0, len), start);
      else for (let k = 0; k < len; k++) d[start + k] = src[k]!;
      // Rows the completion has no (whole) distribution for: NaN.
      if (start + len < end) d.fill(Number.NaN, start + len, end);
      paddingRows += offsets[j + 1]! - offsets[j]! - Math.floor(len / w);
    }
    out.distributions = d;
    out.width = w;
    out.distributionPaddingRows = paddingRows;
  }
  return out;
}
