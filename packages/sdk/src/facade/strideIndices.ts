/**
 * About `ratio` of `n` indices, evenly spread (every k-th, starting at 0), at least one when n > 0:
 * the completions that get the expensive metrics (entropy, KL, diversity) under `sampling_ratio`.
 */
export function strideIndices(n: number, ratio: number): Int32Array {
  if (n <= 0) return new Int32Array(0);
  if (!(ratio < 1)) return Int32Array.from({ length: n }, (_, i) => i);
  const keep = Math.max(1, Math.round(n * ratio));
  return Int32Array.from({ length: keep }, (_, i) => Math.floor((i * n) / keep));
}
