// The public API is what the README lists: every value '@grpo-otel/sdk' and '@grpo-otel/sdk/otel'
// export is named in packages/sdk/README.md, and the OpenTelemetry building blocks stay out of the
// main entry (a trainer needs none of them).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as sdk from '../src/index.js';
import * as otel from '../src/otel.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const named = new Set([...readme.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)\b[^`]*`/g)].map((m) => m[1]!));

test('every value of @grpo-otel/sdk is listed in its README', () => {
  const missing = Object.keys(sdk).filter((n) => !named.has(n));
  assert.deepEqual(missing, []);
});

test('every value of @grpo-otel/sdk/otel is listed in its README', () => {
  const missing = Object.keys(otel).filter((n) => !named.has(n));
  assert.deepEqual(missing, []);
});

test('the building blocks are reached through @grpo-otel/sdk/otel only', () => {
  const both = Object.keys(otel).filter((n) => n in sdk);
  assert.deepEqual(both, []);
  for (const internal of ['GrpoTelemetry', 'StepMetricSink', 'LocalSinkProcessor', 'ExportQueue'])
    assert.equal(internal in sdk, false, internal);
});
