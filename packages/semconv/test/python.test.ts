import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  ALL_METRICS,
  EVENT_GRPO_STEP_BATCH,
  KNOWN_NAME_MAPPINGS,
  renderPythonSemconv,
} from '@grpo-otel/semconv';

const TARGET = new URL('../../../python/grpo_otel/semconv.py', import.meta.url);

test('python/grpo_otel/semconv.py is up to date with the definitions', () => {
  let committed: string;
  try {
    committed = readFileSync(TARGET, 'utf8');
  } catch {
    assert.fail('python/grpo_otel/semconv.py is missing: run `pnpm semconv:python`');
  }
  if (committed !== renderPythonSemconv()) {
    assert.fail(
      'python/grpo_otel/semconv.py differs from the semconv definitions: run `pnpm semconv:python` and commit it',
    );
  }
});

test('the Python module is deterministic and names every metric, mapping and the batch event', () => {
  const py = renderPythonSemconv();
  assert.equal(renderPythonSemconv(), py);
  for (const m of ALL_METRICS) assert.ok(py.includes(`name=${JSON.stringify(m.name)},`), m.name);
  for (const m of KNOWN_NAME_MAPPINGS) assert.ok(py.includes(JSON.stringify(m.name)), m.name);
  assert.ok(py.includes(`EVENT_GRPO_STEP_BATCH = ${JSON.stringify(EVENT_GRPO_STEP_BATCH)}`));
  assert.ok(!py.includes('undefined'), 'no JavaScript undefined leaks into Python');
});
