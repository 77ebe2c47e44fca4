import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderValue } from '@grpo-otel/exporter-csv';
import fc from 'fast-check';

test('values render as documented', () => {
  assert.equal(renderValue('text'), 'text');
  assert.equal(renderValue(0.1), '0.1');
  assert.equal(renderValue(-3), '-3');
  assert.equal(renderValue(1e21), '1e+21');
  assert.equal(renderValue(-0), '0');
  assert.equal(renderValue(Number.NaN), 'NaN');
  assert.equal(renderValue(Number.NEGATIVE_INFINITY), '-Infinity');
  assert.equal(renderValue(true), 'true');
  assert.equal(renderValue(false), 'false');
  assert.equal(renderValue(12345678901234567890n), '12345678901234567890');
  assert.equal(renderValue(undefined), '');
  assert.equal(renderValue(null), '');
  assert.equal(renderValue(new Uint8Array([0xfb, 0xff, 0x00])), '+/8A');
  assert.equal(renderValue([1, 'a,b', true, null]), '[1,"a,b",true,null]');
  assert.equal(renderValue({ k: [Number.NaN, 2], b: new Uint8Array([1]) }), '{"k":["NaN",2],"b":"AQ=="}');
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.equal(renderValue(cyclic), '[object Object]');
});

test('numbers render as the shortest text that reads back as the same number', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true }), (x) => {
      const text = renderValue(x);
      assert.ok(Object.is(Number(text), x) || (x === 0 && Number(text) === 0), text);
    }),
  );
});
