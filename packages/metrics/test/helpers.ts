// Shared by the fixture tests: loading fixtures written by scripts/gen-metrics-fixtures.py,
// regenerating its long inputs, and comparing within 1e-9.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/** A long input stored as its generator: the script's 32-bit LCG, exact in doubles on both sides. */
export interface GenSpec {
  gen: 'lcg';
  seed: number;
  n: number;
  scale: number;
  offset: number;
  floor: boolean;
}

function decode(v: unknown): unknown {
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = decode(x);
    return out;
  }
  return v;
}

/** The `cases` of a fixture file, with "NaN"/"Infinity"/"-Infinity" turned back into numbers. */
export function fixture<T>(name: string): T {
  const raw = JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as {
    cases: unknown;
  };
  return decode(raw.cases) as T;
}

/** u_k = s_k / 2^32, s_{k+1} = (1664525 s_k + 1013904223) mod 2^32 (all products stay below 2^53). */
export function lcg(spec: GenSpec): Float64Array {
  const out = new Float64Array(spec.n);
  let s = spec.seed % 4294967296;
  for (let i = 0; i < spec.n; i++) {
    s = (1664525 * s + 1013904223) % 4294967296;
    const u = s / 4294967296;
    out[i] = spec.floor ? spec.offset + Math.floor(u * spec.scale) : spec.offset + spec.scale * u;
  }
  return out;
}

/** Inline values as they are, or a generator spec regenerated. */
export function values(v: number[] | GenSpec): number[] | Float64Array {
  return Array.isArray(v) ? v : lcg(v);
}

/** Splits a flat array into consecutive chunks of `size`. */
export function split<T extends ArrayLike<number>>(xs: T, size: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < xs.length; i += size)
    out.push(Array.from({ length: Math.min(size, xs.length - i) }, (_, j) => xs[i + j]!));
  return out;
}

/** |actual - expected| <= 1e-9 * max(1, |expected|) (relative, or absolute near 0); NaN equals NaN. */
export function close(actual: number, expected: number, what: string, tol = 1e-9): void {
  if (Number.isNaN(expected)) {
    assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`);
    return;
  }
  if (!Number.isFinite(expected)) {
    assert.equal(actual, expected, what);
    return;
  }
  const ok = Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
  assert.ok(ok, `${what}: ${actual} vs expected ${expected} (diff ${actual - expected})`);
}

/** Element-wise {@link close}. */
export function closeAll(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  what: string,
  tol = 1e-9,
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) close(actual[i]!, expected[i]!, `${what}[${i}]`, tol);
}
