import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  ALL_METRICS,
  KNOWN_NAME_MAPPINGS,
  prometheusSeries,
  renderSemconvMarkdown,
} from '@grpo-otel/semconv';

const DOCS = new URL('../../../docs/semconv.md', import.meta.url);

test('docs/semconv.md is up to date with the definitions', () => {
  let committed: string;
  try {
    committed = readFileSync(DOCS, 'utf8');
  } catch {
    assert.fail('docs/semconv.md is missing: run `pnpm semconv:docs`');
  }
  if (committed !== renderSemconvMarkdown()) {
    assert.fail(
      'docs/semconv.md differs from the semconv definitions: run `pnpm semconv:docs` and commit it',
    );
  }
});

test('rendering is deterministic and covers every metric, series and mapping', () => {
  const md = renderSemconvMarkdown();
  assert.equal(renderSemconvMarkdown(), md);
  assert.ok(!/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(md), 'no timestamps');
  for (const m of ALL_METRICS) {
    assert.ok(md.includes(`\`${m.name}\``), m.name);
    for (const s of prometheusSeries(m)) assert.ok(md.includes(`\`${s}\``), s);
  }
  for (const m of KNOWN_NAME_MAPPINGS) assert.ok(md.includes(`\`${m.name}\``), m.name);
});
