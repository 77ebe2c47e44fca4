import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseDocument } from 'yaml';
import { renderConfigSchema } from '../src/config/renderConfigSchema.js';

const shipped = new URL('../schema/grpo-otel-config.schema.json', import.meta.url);

test('the shipped JSON Schema is up to date (run `pnpm sdk:schema` if not)', () => {
  assert.equal(readFileSync(shipped, 'utf8'), renderConfigSchema());
});

test('the shipped schema, used by a plain JSON Schema validator, accepts the seed and rejects a typo', () => {
  const ajv = new Ajv2020({ allowUnionTypes: true });
  const validate = ajv.compile(JSON.parse(readFileSync(shipped, 'utf8')));
  const seed = parseDocument(
    readFileSync(new URL('./fixtures/seed-logging_config.yaml', import.meta.url), 'utf8'),
  );
  assert.equal(validate(seed.toJS()), true, JSON.stringify(validate.errors));
  assert.equal(validate({ handlers: { f: { class: 'file', filename: 'x', maxByte: 1 } } }), false);
  assert.equal(validate({ handlers: { f: { class: 'file' } } }), false);
});
