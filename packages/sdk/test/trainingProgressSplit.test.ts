// A trainer's own training metrics (TRL names) and the SDK's analysis of the same batch are one
// series: logTrainingProgress gives metrics that have a split `grpo.split=train` unless a prefix says
// otherwise, and the analysis records with the same attributes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialize, logTrainingProgress, parseConfig } from '@grpo-otel/sdk';
import { METRICS } from '@grpo-otel/semconv';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';

test('TRL names logged during training carry grpo.split=train; eval_ names validation', async (t) => {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const yaml = 'handlers:\n  none: { class: logging.NullHandler }\nroot: { level: INFO, handlers: [none] }\n';
  const telemetry = initialize({
    config: parseConfig(yaml, { source: 's.yaml', baseDir: '/', env: {} }),
    env: {},
    handleExit: false,
    registerGlobal: false,
    metricReaders: [reader],
  });
  assert.ok(telemetry);
  t.after(() => telemetry.shutdown());
  logTrainingProgress(1, {
    'rewards/correctness_reward/mean': 0.5,
    'eval_rewards/correctness_reward/mean': 0.25,
    'grpo.reward.std': 0.125,
    loss: 2,
  });
  await reader.forceFlush();
  const points = (name: string) =>
    exporter
      .getMetrics()
      .flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics))
      .filter((m) => m.descriptor.name === name)
      .flatMap((m) => m.dataPoints.map((p) => ({ attributes: { ...p.attributes }, value: p.value })));
  assert.deepEqual(
    points(METRICS.rewardMean.name).sort((a, b) => Number(a.value) - Number(b.value)),
    [
      {
        attributes: { 'grpo.reward.function': 'correctness_reward', 'grpo.split': 'validation' },
        value: 0.25,
      },
      { attributes: { 'grpo.reward.function': 'correctness_reward', 'grpo.split': 'train' }, value: 0.5 },
    ],
  );
  assert.deepEqual(points(METRICS.rewardStd.name), [{ attributes: { 'grpo.split': 'train' }, value: 0.125 }]);
  // The policy loss has no split: nothing is added.
  assert.deepEqual(points(METRICS.policyLoss.name), [{ attributes: {}, value: 2 }]);
});
