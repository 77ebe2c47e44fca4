// docs/configuration.md is generated from the JSON Schema the sdk ships: it must be up to date, list
// every key with a type, a default and an example, and its example blocks must be valid configs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { configKeyId, configKeys, type SchemaNode } from '../scripts/configKeys.js';
import { renderConfigReference } from '../scripts/renderConfigReference.js';

const shipped: SchemaNode = JSON.parse(
  readFileSync(new URL('../schema/grpo-otel-config.schema.json', import.meta.url), 'utf8'),
);
const DOCS = new URL('../../../docs/configuration.md', import.meta.url);

test('docs/configuration.md is up to date with the shipped schema (run `pnpm sdk:schema` if not)', () => {
  let committed: string;
  try {
    committed = readFileSync(DOCS, 'utf8');
  } catch {
    assert.fail('docs/configuration.md is missing: run `pnpm sdk:schema`');
  }
  assert.ok(
    committed === renderConfigReference(shipped),
    'docs/configuration.md is stale: run `pnpm sdk:schema`',
  );
});

test('every key has a row with its type, its default and an example', () => {
  const md = renderConfigReference(shipped);
  const rows = md.split('\n').filter((l) => l.startsWith('| `'));
  const keys = configKeys(shipped);
  assert.ok(keys.length > 100, `only ${keys.length} keys found`);
  const ids = new Set<string>();
  for (const key of keys) {
    const id = configKeyId(key);
    assert.ok(!ids.has(id), `${id} twice`);
    ids.add(id);
    const row = rows.find(
      (r) => r.startsWith(`| \`${key.path}\` |`) && r.includes(key.schema.description ?? ''),
    );
    assert.ok(row, `no row for ${id}`);
    const [, type, dflt, example] = row.split(' | ');
    assert.ok(type && type.trim() !== '', `${id}: no type`);
    assert.ok(dflt && dflt.trim() !== '', `${id}: no default`);
    if (key.hasChildren) continue;
    assert.ok(example?.startsWith(`\`${key.name}: `), `${id}: example ${example}`);
    // The default is what the schema says it is (configSchema.test.ts checks it against the loader).
    if (key.schema.default !== undefined) assert.notEqual(dflt, 'not set', id);
    if (key.required) assert.equal(dflt, 'required', id);
  }
  // Every handler class has its section, and the keys of every kind are listed under it.
  for (const kind of ['console', 'file', 'csv', 'tensorboard', 'otlp', 'null'])
    assert.ok(md.includes(`### \`class: ${kind}\``), kind);
  assert.ok(ids.has('handlers.<name>.maxBytes [file]') && ids.has('handlers.<name>.maxBytes [csv]'));
  assert.ok(ids.has('handlers.<name>.class [every]'));
});

test('every example block is a config the shipped schema accepts', () => {
  const ajv = new Ajv2020({ allowUnionTypes: true, strict: false });
  const validate = ajv.compile(shipped);
  const md = readFileSync(DOCS, 'utf8');
  const blocks = [...md.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.ok(blocks.length >= 12, `${blocks.length} example blocks`);
  for (const block of blocks) {
    const value = parse(block);
    assert.equal(validate(value), true, `${block}\n${JSON.stringify(validate.errors)}`);
  }
});
