// PlateauDetector and CollapseDetector against a plain-Python implementation of their documented rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CollapseDetector,
  type CollapseDetectorOptions,
  PlateauDetector,
  type PlateauDetectorOptions,
} from '@grpo-otel/metrics';
import { close, fixture } from './helpers.js';

interface PlateauCase {
  name: string;
  values: number[];
  options: Required<PlateauDetectorOptions>;
  expect: { smoothed: number[]; fired: number[]; plateau: boolean[] };
}
interface CollapseCase {
  name: string;
  values: number[];
  options: { threshold: number | null; maxDrop: number | null } & Omit<
    Required<CollapseDetectorOptions>,
    'threshold' | 'maxDrop'
  >;
  expect: { smoothed: number[]; fired: number[]; reasons: (string | null)[] };
}
const { plateau, collapse } = fixture<{ plateau: PlateauCase[]; collapse: CollapseCase[] }>('detectors.json');

for (const c of plateau) {
  test(`PlateauDetector fires where the reference does: ${c.name}`, () => {
    const d = new PlateauDetector(c.options);
    const fired: number[] = [];
    let t = 0;
    for (const [step, v] of c.values.entries()) {
      const u = d.update(v, step);
      assert.equal(u.step, step);
      if (!Number.isFinite(v)) {
        assert.equal(u.fired, false);
        continue;
      }
      close(u.smoothed, c.expect.smoothed[t]!, `smoothed[${t}]`);
      assert.equal(u.plateau, c.expect.plateau[t], `plateau[${t}]`);
      if (u.fired) fired.push(t);
      t++;
    }
    assert.deepEqual(fired, c.expect.fired);
    assert.equal(d.fired, c.expect.fired.length);
    assert.equal(d.skipped, c.values.length - t);
  });
}

for (const c of collapse) {
  test(`CollapseDetector fires where the reference does: ${c.name}`, () => {
    const { threshold, maxDrop, ...rest } = c.options;
    const opts: CollapseDetectorOptions = { ...rest };
    if (threshold !== null) opts.threshold = threshold;
    if (maxDrop !== null) opts.maxDrop = maxDrop;
    const d = new CollapseDetector(opts);
    const fired: number[] = [];
    let t = 0;
    for (const v of c.values) {
      const u = d.update(v);
      if (!Number.isFinite(v)) continue;
      close(u.value, c.expect.smoothed[t]!, `value[${t}]`);
      assert.equal(u.reason ?? null, c.expect.reasons[t], `reason[${t}]`);
      assert.equal(u.collapsed, c.expect.reasons[t] !== null);
      if (u.fired) fired.push(t);
      t++;
    }
    assert.deepEqual(fired, c.expect.fired);
  });
}

test('PlateauDetector: a flat series fires once; progress re-arms it; it fires again on the next plateau', () => {
  const d = new PlateauDetector({ window: 3, minDelta: 0.1, smoothing: 'none' });
  const series = [0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 4, 4, 4, 4];
  const fired = series.map((v) => d.update(v).fired);
  assert.deepEqual(
    fired.flatMap((f, i) => (f ? [i] : [])),
    [3, 12],
  );
});

test('detectors validate their options', () => {
  assert.throws(() => new PlateauDetector({ window: 0 }), /window must be a positive integer/);
  assert.throws(() => new PlateauDetector({ patience: 1.5 }), /patience must be a positive integer/);
  assert.throws(
    () => new PlateauDetector({ smoothingWindow: 0 }),
    /smoothingWindow must be a positive integer/,
  );
  assert.throws(() => new CollapseDetector({ window: -1 }), /window must be a positive integer/);
});
