// PlateauDetector and CollapseDetector against a plain-Python implementation of their documented rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CollapseDetector,
  type CollapseDetectorOptions,
  PlateauDetector,
  type PlateauDetectorOptions,
  StepWindow,
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
interface StepWindowCase {
  name: string;
  steps: number[];
  values: number[];
  window: number;
  expect: number[];
}
type StepPlateauCase = PlateauCase & { steps: number[] };
const { plateau, collapse, steps } = fixture<{
  plateau: PlateauCase[];
  collapse: CollapseCase[];
  steps: { windows: StepWindowCase[]; plateau: StepPlateauCase[] };
}>('detectors.json');

for (const c of steps.windows) {
  test(`StepWindow: the mean over the last ${c.window} steps, as numpy computes it: ${c.name}`, () => {
    const w = new StepWindow(c.window);
    for (const [i, step] of c.steps.entries()) {
      assert.equal(w.push(step, c.values[i]!), true);
      close(w.mean, c.expect[i]!, `mean at step ${step}`);
      assert.ok(w.count <= c.window);
    }
  });
}

for (const c of steps.plateau) {
  test(`PlateauDetector counts steps, not updates: ${c.name}`, () => {
    const d = new PlateauDetector(c.options);
    const fired: number[] = [];
    for (const [i, step] of c.steps.entries()) {
      const u = d.update(c.values[i]!, step);
      close(u.smoothed, c.expect.smoothed[i]!, `smoothed at step ${step}`);
      assert.equal(u.plateau, c.expect.plateau[i], `plateau at step ${step}`);
      if (u.fired) fired.push(i);
    }
    assert.deepEqual(fired, c.expect.fired);
  });
}

test('StepWindow: a step repeated replaces its value; an earlier step, NaN or a bad step is refused and counted', () => {
  const w = new StepWindow(10);
  assert.equal(w.push(5, 1), true);
  assert.equal(w.push(5, 3), true);
  assert.equal(w.mean, 3);
  assert.equal(w.push(4, 100), false);
  assert.equal(w.push(6, Number.NaN), false);
  assert.equal(w.push(-1, 1), false);
  assert.equal(w.push(1.5, 1), false);
  assert.equal(w.refused, 4);
  assert.equal(w.push(15, 5), true);
  assert.deepEqual(w.points(), { steps: [15], values: [5] });
  assert.equal(w.mean, 5);
  assert.equal(new StepWindow(3).mean, Number.NaN);
  assert.throws(() => new StepWindow(0), /steps must be a positive integer/);
});

test('PlateauDetector and CollapseDetector skip a step that does not increase', () => {
  const p = new PlateauDetector({ window: 2, minDelta: 0.1, smoothing: 'none' });
  p.update(1, 10);
  assert.equal(p.update(2, 10).smoothed, 1);
  assert.equal(p.skipped, 1);
  const c = new CollapseDetector({ threshold: 0.5 });
  c.update(1, 3);
  assert.equal(c.update(0.1, 2).fired, false);
  assert.equal(c.skipped, 1);
});

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
    for (const [step, v] of c.values.entries()) {
      const u = d.update(v, step);
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
