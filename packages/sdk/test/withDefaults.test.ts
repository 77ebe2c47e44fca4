import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Written } from '../src/config/RawConfig.js';
import { withDefaults } from '../src/config/withDefaults.js';

const schema = {
  type: 'object',
  properties: {
    every: { type: 'integer', default: 50 },
    on: { type: 'boolean', default: true },
    columns: { type: 'array', items: { type: 'string' }, default: ['a', 'b'] },
    path: { type: 'string' },
  },
} as const;

test("absent keys take the schema's default; written ones, even false or 0, stay", () => {
  assert.deepEqual(withDefaults(schema, undefined), { every: 50, on: true, columns: ['a', 'b'] });
  assert.deepEqual(withDefaults(schema, { every: 0, on: false, path: 'x' }), {
    every: 0,
    on: false,
    columns: ['a', 'b'],
    path: 'x',
  });
});

test('a key without a default stays absent, and the value written is not changed', () => {
  const written = { every: 3 };
  const out = withDefaults(schema, written);
  assert.equal('path' in out, false);
  assert.deepEqual(written, { every: 3 });
});

test("a default is a copy: changing the result leaves the schema's default as it was", () => {
  const written: Written<typeof schema> = {};
  withDefaults(schema, written).columns.push('c');
  assert.deepEqual(schema.properties.columns.default, ['a', 'b']);
});
