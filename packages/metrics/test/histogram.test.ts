import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autoHistogram, histogram } from '@grpo-otel/metrics';
import { close, closeAll, fixture, type GenSpec, values } from './helpers.js';

interface ExplicitCase {
  name: string;
  values: number[] | GenSpec;
  boundaries: number[];
  expect: { counts: number[]; count: number; sum: number; min: number; max: number; skipped: number };
}
interface AutoCase {
  name: string;
  values: number[] | GenSpec;
  expect: { edges: number[]; counts: number[]; count: number; skipped: number };
}
const { explicit, auto } = fixture<{ explicit: ExplicitCase[]; auto: AutoCase[] }>('histogram.json');

for (const c of explicit) {
  test(`histogram (upper-inclusive buckets) matches numpy.searchsorted: ${c.name}`, () => {
    const h = histogram(values(c.values), c.boundaries);
    assert.deepEqual([...h.counts], c.expect.counts);
    assert.equal(h.count, c.expect.count);
    assert.equal(h.skipped, c.expect.skipped);
    close(h.sum, c.expect.sum, 'sum');
    close(h.min, c.expect.min, 'min');
    close(h.max, c.expect.max, 'max');
  });
}

for (const c of auto) {
  test(`autoHistogram matches numpy.histogram(bins='auto'): ${c.name}`, () => {
    const h = autoHistogram(values(c.values));
    closeAll(h.edges, c.expect.edges, 'edges');
    assert.deepEqual([...h.counts], c.expect.counts);
    assert.equal(h.count, c.expect.count);
    assert.equal(h.skipped, c.expect.skipped);
  });
}

test('autoHistogram: maxBins caps the number of bins and still counts everything', () => {
  const xs = Array.from({ length: 10_000 }, (_, i) => Math.sin(i) * 100);
  const h = autoHistogram(xs, { maxBins: 16 });
  assert.equal(h.counts.length, 16);
  assert.equal(
    h.counts.reduce((a, b) => a + b, 0),
    10_000,
  );
});

test('histogram rejects boundaries that are not finite and strictly increasing', () => {
  assert.throws(() => histogram([1], [0, 0]), /strictly increasing; boundaries\[1\] = 0/);
  assert.throws(() => histogram([1], [0, Number.NaN]), /boundaries\[1\] = NaN/);
});

test('autoHistogram: a range a few ulps wide gets one bin instead of equal edges', () => {
  const h = autoHistogram([999999.9999999984, 999999.9999999983]);
  assert.deepEqual([...h.edges], [999999.9999999983, 999999.9999999984]);
  assert.deepEqual([...h.counts], [2]);
});
