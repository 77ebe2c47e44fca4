import { compensatedSum } from './finite.js';

/** The pairs (x[i], y[i]) with both values finite, i < min(x.length, y.length), copied out. */
export function finitePairs(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): { xs: Float64Array; ys: Float64Array } {
  const len = Math.min(x.length, y.length);
  let n = 0;
  for (let i = 0; i < len; i++) if (Number.isFinite(x[i]) && Number.isFinite(y[i])) n++;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < len; i++) {
    const a = x[i]!;
    const b = y[i]!;
    if (Number.isFinite(a) && Number.isFinite(b)) {
      xs[j] = a;
      ys[j++] = b;
    }
  }
  return { xs, ys };
}

function isConstant(xs: Float64Array): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i] !== xs[0]) return false;
  return true;
}

/** Pearson's r of finite, equal-length samples; NaN when n < 2 or either side is constant. */
export function pearsonOf(xs: Float64Array, ys: Float64Array): number {
  const n = xs.length;
  if (n < 2 || isConstant(xs) || isConstant(ys)) return Number.NaN;
  const mx = compensatedSum(xs) / n;
  const my = compensatedSum(ys) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const r = sxy / (Math.sqrt(sxx) * Math.sqrt(syy));
  return Math.min(1, Math.max(-1, r));
}
