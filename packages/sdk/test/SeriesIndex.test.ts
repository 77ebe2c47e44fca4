import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Attributes } from '@opentelemetry/api';
import fc from 'fast-check';
import { SeriesIndex } from '../src/step-metrics/SeriesIndex.js';
import { keyTellsAttributes, seriesKey } from '../src/step-metrics/StepBuffer.js';
import { stepInstrument } from '../src/step-metrics/StepMeter.js';

const INSTRUMENTS = [
  stepInstrument({ name: 's' }, 'gauge', 'a'),
  stepInstrument({ name: 's' }, 'gauge', 'b'),
  stepInstrument({ name: 's', version: '1' }, 'counter', 'a'),
];
const KEYS = ['k', 'z', 'k\u0001s'];
const arbValue = fc.oneof(
  fc.constantFrom('x', '', 'x\u0000k\u0001sy', '0', 'null', 'true', 'undefined'),
  fc.constantFrom(0, -0, 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e21),
  fc.boolean(),
  fc.constantFrom(null, undefined),
  fc.array(fc.constantFrom('x', 'y', 1, null), { maxLength: 2 }),
);
const arbAttributes = fc
  .record({
    entries: fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), arbValue), {
      selector: ([k]) => k,
      maxLength: 3,
    }),
    frozen: fc.constantFrom('no', 'shallow', 'deep'),
  })
  .map(({ entries, frozen }) => {
    const a: Record<string, unknown> = {};
    for (const [k, v] of entries) a[k] = frozen === 'deep' && Array.isArray(v) ? Object.freeze([...v]) : v;
    return (frozen === 'no' ? a : Object.freeze(a)) as Attributes;
  });

test('SeriesIndex: one state per series key, whatever the path to it (fresh, frozen or shared objects)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(INSTRUMENTS.length - 1), arbAttributes), { minLength: 20, maxLength: 60 }),
      fc.array(fc.nat(), { maxLength: 40 }),
      (calls, repeats) => {
        const index = new SeriesIndex();
        const byKey = new Map<string, unknown>();
        // Each call, then some earlier ones again (the same objects: the cached paths).
        const all = [...calls, ...repeats.map((r) => calls[r % calls.length]!)];
        for (const [i, attributes] of all) {
          const inst = INSTRUMENTS[i]!;
          const { state, attributes: carried } = index.get(inst, attributes);
          const key = seriesKey(inst, attributes);
          assert.equal(state.key, key);
          if (byKey.has(key)) assert.equal(state, byKey.get(key));
          byKey.set(key, state);
          // A point carries the series' shared copy when the key tells its attributes, else its own.
          if (keyTellsAttributes(attributes)) {
            assert.equal(carried, state.shared);
            assert.ok(Object.isFrozen(carried));
            assert.equal(seriesKey(inst, carried), key);
            assert.deepEqual(carried, attributes);
          } else assert.equal(carried, attributes);
        }
        assert.equal(index.size, byKey.size);
      },
    ),
    { numRuns: 500 },
  );
});

test('SeriesIndex: values that print alike are one series exactly when their keys are equal', () => {
  const inst = INSTRUMENTS[0]!;
  const groups: unknown[][] = [
    [0, -0],
    [Number.NaN, null, Number.POSITIVE_INFINITY],
    ['0'],
    ['null'],
    [true],
    ['true'],
    [undefined],
    ['undefined'],
  ];
  for (const frozen of [false, true]) {
    const index = new SeriesIndex();
    const states = groups.map((values) =>
      values.map((v) => {
        const a = { k: v, z: 'x' } as Attributes;
        return index.get(inst, frozen ? Object.freeze(a) : a).state;
      }),
    );
    for (const g of states) for (const s of g) assert.equal(s, g[0]);
    assert.equal(new Set(states.map((g) => g[0])).size, groups.length);
    // Key order does not matter.
    assert.equal(index.get(inst, { z: 'x', k: 0 }).state, states[0]![0]);
  }
});

test('SeriesIndex: an array in an attributes object that changes gives a new series', () => {
  const index = new SeriesIndex();
  const inst = INSTRUMENTS[0]!;
  const list = ['x'];
  const open = { l: list };
  const frozenOpen = Object.freeze({ l: list });
  const first = index.get(inst, open);
  assert.equal(index.get(inst, frozenOpen).state, first.state);
  assert.deepEqual(first.attributes, { l: ['x'] });
  list.push('y');
  const second = index.get(inst, open);
  assert.notEqual(second.state, first.state);
  assert.equal(index.get(inst, frozenOpen).state, second.state);
  assert.equal(second.state.key, seriesKey(inst, { l: ['x', 'y'] }));
  // The copy made for the first point keeps what was recorded.
  assert.deepEqual(first.attributes, { l: ['x'] });
  // Inherited keys are not part of a series (seriesKey reads own keys only), and such an object
  // carries itself (a tag may read inherited keys).
  const inherited = Object.create({ k: 'x' }) as Attributes;
  const view = index.get(inst, inherited);
  assert.equal(view.state, index.get(inst, {}).state);
  assert.equal(view.attributes, inherited);
});

test("SeriesIndex: NaN shares null's series but carries its own attributes, in either order", () => {
  for (const frozen of [false, true]) {
    const index = new SeriesIndex();
    const inst = INSTRUMENTS[0]!;
    const f = <T extends object>(a: T): T => (frozen ? Object.freeze(a) : a);
    const nul = index.get(inst, f({ k: null as unknown as string }));
    const nan = f({ k: Number.NaN });
    const viaNaN = index.get(inst, nan);
    assert.equal(viaNaN.state, nul.state);
    assert.equal(viaNaN.attributes, nan);
    assert.deepEqual(nul.attributes, { k: null });
    // And again through the cached paths.
    assert.equal(index.get(inst, frozen ? nan : { k: Number.NaN }).attributes.k, Number.NaN);
    assert.equal(index.get(inst, f({ k: null as unknown as string })).attributes, nul.attributes);
  }
});
