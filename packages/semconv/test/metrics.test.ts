import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ALL_METRICS,
  ATTR_GRPO_REWARD_FUNCTION,
  attributeDefinition,
  METRIC_CATEGORIES,
  METRICS,
  metricDefinition,
  prometheusName,
  prometheusSeries,
} from '@grpo-otel/semconv';
import { isValidUnit } from '../src/internal/units.js';
import { METRIC_DEFINITION_COUNT } from '../src/metrics.js';

// OpenTelemetry semantic-conventions tooling: lowercase, dot-delimited, snake_case inside a segment,
// starts with a letter, ends alphanumeric, no consecutive delimiters.
const BRIEF_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
const OTEL_NAME = /^[a-z][a-z0-9]*([._][a-z0-9]+)*$/;

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

describe('metric definitions', () => {
  test('every category group contributes distinct keys (no definition shadowed by the merge)', () => {
    assert.equal(Object.keys(METRICS).length, METRIC_DEFINITION_COUNT);
    assert.equal(ALL_METRICS.length, METRIC_DEFINITION_COUNT);
  });

  test('names are unique and well-formed', () => {
    assert.deepEqual(duplicates(ALL_METRICS.map((m) => m.name)), []);
    for (const m of ALL_METRICS) {
      assert.match(m.name, BRIEF_NAME, m.name);
      assert.match(m.name, OTEL_NAME, m.name);
    }
  });

  test('no metric name is also the namespace of another metric', () => {
    const names = new Set(ALL_METRICS.map((m) => m.name));
    for (const m of ALL_METRICS) {
      const segments = m.name.split('.');
      for (let i = 1; i < segments.length; i++) {
        const prefix = segments.slice(0, i).join('.');
        assert.ok(!names.has(prefix), `${prefix} is a metric and the namespace of ${m.name}`);
      }
    }
  });

  test('our metrics live under grpo., reused ones keep their OpenTelemetry namespaces', () => {
    for (const m of ALL_METRICS) {
      if (m.reused) assert.match(m.name, /^(process|v8js|nodejs)\./, m.name);
      else assert.ok(m.name.startsWith('grpo.'), m.name);
    }
  });

  test('names carry no units and counters no total', () => {
    for (const m of ALL_METRICS) {
      const tokens = m.name.split(/[._]/);
      for (const unitWord of ['seconds', 'milliseconds', 'bytes', 'total', 'percent']) {
        assert.ok(!tokens.includes(unitWord), `${m.name} contains "${unitWord}"`);
      }
    }
  });

  test('units are valid UCUM (or annotations), and 1 is used only on gauges (for the _ratio suffix)', () => {
    for (const m of ALL_METRICS) {
      assert.ok(isValidUnit(m.unit), `${m.name}: invalid unit ${m.unit}`);
      if (m.unit === '1') {
        assert.ok(
          m.instrument === 'gauge' || m.instrument === 'observable_gauge',
          `${m.name}: 1 on ${m.instrument}`,
        );
      }
    }
  });

  test('durations are histograms in seconds', () => {
    for (const m of ALL_METRICS.filter((x) => x.name.endsWith('.duration'))) {
      assert.equal(m.instrument, 'histogram', m.name);
      assert.equal(m.unit, 's', m.name);
    }
  });

  test('every attribute a metric references is defined and bounded', () => {
    for (const m of ALL_METRICS) {
      assert.deepEqual(duplicates(m.attributes), [], m.name);
      for (const key of m.attributes) {
        const def = attributeDefinition(key);
        assert.ok(def !== undefined, `${m.name}: attribute ${key} is not defined`);
        assert.ok(def.metricSafe, `${m.name}: attribute ${key} is unbounded and may not be on a metric`);
        assert.ok(!def.resource, `${m.name}: ${key} is a resource attribute`);
      }
    }
  });

  test('histograms have strictly increasing, finite bucket boundaries; other instruments none', () => {
    for (const m of ALL_METRICS) {
      const buckets = m.advice?.explicitBucketBoundaries;
      if (m.instrument !== 'histogram') {
        assert.equal(buckets, undefined, `${m.name}: bucket advice on a ${m.instrument}`);
        continue;
      }
      assert.ok(buckets !== undefined && buckets.length > 0, `${m.name}: histogram without bucket advice`);
      for (let i = 0; i < buckets.length; i++) {
        assert.ok(Number.isFinite(buckets[i]), `${m.name}: bucket ${i} is not finite`);
        if (i > 0) assert.ok((buckets[i] as number) > (buckets[i - 1] as number), `${m.name}: bucket ${i}`);
      }
    }
  });

  test('every metric has a description ending in a full stop and a known category', () => {
    const categories = new Set(METRIC_CATEGORIES.map((c) => c.category));
    for (const m of ALL_METRICS) {
      assert.match(m.description, /^[A-Z0-9`].*\.$/, m.name);
      assert.ok(categories.has(m.category), m.name);
    }
    for (const { category } of METRIC_CATEGORIES) {
      assert.ok(
        ALL_METRICS.some((m) => m.category === category),
        `category ${category} is empty`,
      );
    }
  });

  test('Prometheus names and series are unique across all metrics', () => {
    assert.deepEqual(duplicates(ALL_METRICS.map(prometheusName)), []);
    assert.deepEqual(duplicates(ALL_METRICS.flatMap((m) => [...prometheusSeries(m)])), []);
  });

  test('Prometheus names keep the OpenTelemetry name as a prefix (no token reordering surprises)', () => {
    for (const m of ALL_METRICS) {
      assert.ok(
        prometheusName(m).startsWith(m.name.replace(/\./g, '_')),
        `${m.name} -> ${prometheusName(m)}`,
      );
    }
  });

  test('ALL_METRICS is sorted by name and metricDefinition finds each', () => {
    const names = ALL_METRICS.map((m) => m.name);
    assert.deepEqual(names, [...names].sort());
    for (const m of ALL_METRICS) assert.equal(metricDefinition(m.name), m);
    assert.equal(metricDefinition('grpo.no.such.metric'), undefined);
  });

  test('the reward metrics a dashboard needs exist with the documented shape', () => {
    assert.equal(METRICS.rewardMean.name, 'grpo.reward.mean');
    assert.equal(prometheusName(METRICS.rewardMean), 'grpo_reward_mean');
    assert.ok(METRICS.rewardMean.attributes.includes(ATTR_GRPO_REWARD_FUNCTION));
    assert.equal(prometheusName(METRICS.trainingSteps), 'grpo_training_steps_total');
    assert.equal(prometheusName(METRICS.stepDuration), 'grpo_step_duration_seconds');
    assert.equal(prometheusName(METRICS.validationAccuracy), 'grpo_validation_accuracy_ratio');
    assert.equal(prometheusName(METRICS.sdkRecordDropped), 'grpo_sdk_record_dropped_total');
    assert.equal(prometheusName(METRICS.throughputTokens), 'grpo_throughput_tokens_per_second');
    assert.equal(prometheusName(METRICS.processMemoryUsage), 'process_memory_usage_bytes');
  });
});
