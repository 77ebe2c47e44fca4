/**
 * 1-based ranks of `values`, ties getting the average of the ranks they span (scipy.stats.rankdata's
 * 'average' method): [10, 20, 20, 30] -> [1, 2.5, 2.5, 4]. NaN gets rank NaN and is not ranked;
 * ±Infinity are ranked as the extremes.
 */
export function rank(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  let m = 0;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(values[i])) out[i] = Number.NaN;
    else idx[m++] = i;
  }
  const order = idx.subarray(0, m).sort((a, b) => values[a]! - values[b]! || 0);
  let i = 0;
  while (i < m) {
    let j = i + 1;
    const v = values[order[i]!]!;
    while (j < m && values[order[j]!] === v) j++;
    const r = (i + 1 + j) / 2; // mean of ranks i+1 .. j
    for (let k = i; k < j; k++) out[order[k]!] = r;
    i = j;
  }
  return out;
}
