import assert from 'node:assert/strict';
import { test } from 'node:test';
import { METRICS, type MetricDefinition } from '@grpo-otel/semconv';
import type { Attributes } from '@opentelemetry/api';
import type { EncodedGauges } from '../src/analysis/AnalysisResult.js';
import { GaugeEncoder, MAX_NUMBERED_SERIES } from '../src/analysis/GaugeEncoder.js';
import { GaugeTable } from '../src/analysis/GaugeTable.js';
import { attributesKey } from '../src/internal/attributesKey.js';

/** What the training thread records from `gauges`, as [metric, value, attributes]. */
function decode(table: GaugeTable, gauges: EncodedGauges): [string, number, Attributes][] {
  // As the message does: a structured copy.
  const copy = structuredClone(gauges);
  table.receive(copy);
  const out: [string, number, Attributes][] = [];
  const unknown = table.forEach(
    copy,
    (_key, attributes) => attributes,
    (def: MetricDefinition, value, attributes) => out.push([def.name, value, attributes]),
  );
  assert.equal(unknown, 0);
  return out;
}

const A = { 'grpo.reward.function': 'correctness', 'grpo.split': 'train' };
const B = { 'grpo.reward.function': 'format', 'grpo.split': 'train' };

test('series are described once, then travel as numbers; the training thread reads the same gauges', () => {
  const enc = new GaugeEncoder();
  const table = new GaugeTable();
  enc.begin();
  enc.add(METRICS.rewardMean.name, 0.5, A);
  enc.add(METRICS.rewardMean.name, 0.25, B);
  enc.add(METRICS.policyEntropy.name, 1.5, {});
  const first = enc.finish();
  assert.equal(first.newSeries.length, 3);
  assert.deepEqual(first.newSeries[0], {
    metric: METRICS.rewardMean.name,
    attributes: A,
    key: attributesKey(A),
  });
  assert.deepEqual(decode(table, first), [
    [METRICS.rewardMean.name, 0.5, A],
    [METRICS.rewardMean.name, 0.25, B],
    [METRICS.policyEntropy.name, 1.5, {}],
  ]);
  enc.begin();
  enc.add(METRICS.rewardMean.name, 0.75, { ...B }); // an equal set in another object: the same series
  enc.add(METRICS.rewardStd.name, 0.1, A); // a new series
  const second = enc.finish();
  assert.deepEqual(
    second.newSeries.map((s) => s.metric),
    [METRICS.rewardStd.name],
  );
  assert.deepEqual([...second.series], [1, 3]);
  assert.deepEqual(decode(table, second), [
    [METRICS.rewardMean.name, 0.75, B],
    [METRICS.rewardStd.name, 0.1, A],
  ]);
  assert.equal(table.size, 4);
});

test('a result that was never finished (the analysis threw) numbers nothing', () => {
  const enc = new GaugeEncoder();
  const table = new GaugeTable();
  enc.begin();
  enc.add(METRICS.rewardMean.name, 1, A);
  decode(table, enc.finish());
  enc.begin();
  enc.add(METRICS.rewardStd.name, 2, A); // numbered 1 by a result that is never sent
  enc.begin();
  enc.add(METRICS.rewardMax.name, 3, A);
  const next = enc.finish();
  assert.deepEqual([...next.series], [1]);
  assert.deepEqual(decode(table, next), [[METRICS.rewardMax.name, 3, A]]);
});

test('past MAX_NUMBERED_SERIES, gauges travel whole and are still recorded', () => {
  const enc = new GaugeEncoder();
  const table = new GaugeTable();
  enc.begin();
  for (let i = 0; i < MAX_NUMBERED_SERIES + 3; i++) enc.add(METRICS.rewardMean.name, i, { i });
  const gauges = enc.finish();
  assert.equal(gauges.newSeries.length, MAX_NUMBERED_SERIES);
  assert.equal(gauges.extra.length, 3);
  const got = decode(table, gauges);
  assert.equal(got.length, MAX_NUMBERED_SERIES + 3);
  assert.deepEqual(got[got.length - 1], [
    METRICS.rewardMean.name,
    MAX_NUMBERED_SERIES + 2,
    { i: MAX_NUMBERED_SERIES + 2 },
  ]);
});

test('gauges of a series the table does not know are counted, not recorded under another series', () => {
  const enc = new GaugeEncoder();
  enc.begin();
  enc.add(METRICS.rewardMean.name, 1, A);
  const gauges = enc.finish();
  const table = new GaugeTable(); // never received the description
  let recorded = 0;
  const unknown = table.forEach(
    gauges,
    (_k, a) => a,
    () => recorded++,
  );
  assert.equal(unknown, 1);
  assert.equal(recorded, 0);
});
