import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analysisSettings, parseStepBatch, RunAnalyses } from '@grpo-otel/sink';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import { batchAttributes } from './support/stepBatch.js';

const settings = analysisSettings({
  historyWindow: 5,
  plateau: { window: 5, minDelta: 0.01, patience: 1, objective: 'total' },
  collapse: { entropyThreshold: 0.05, diversityThreshold: 0.2, window: 5 },
});

function run(level: (step: number) => number, steps = 12) {
  const a = new RunAnalyses(settings, resourceFromAttributes({ 'grpo.run.id': 'r' }));
  return Array.from({ length: steps }, (_, i) =>
    a.analyze(parseStepBatch(batchAttributes({ step: i + 1, level: level(i + 1) }) as never)),
  );
}

test('RunAnalyses: a flat run fires the objective reward plateau once, a learning run never', () => {
  const flat = run(() => 0.5);
  const fired = flat.flatMap((o) =>
    o.fired.filter((s) => s.kind === 'reward_plateau' && s.subject === 'total'),
  );
  assert.equal(fired.length, 1);
  assert.equal(fired[0]!.step, 6, 'the first step with a value 5 steps back');
  const signalRecords = flat.flatMap((o) => o.records.filter((r) => r.eventName === 'grpo.signal.triggered'));
  assert.ok(
    signalRecords.some(
      (r) => r.attributes['grpo.reward.function'] === 'total' && r.attributes['grpo.step'] === 6,
    ),
  );
  const learning = run((s) => s / 12);
  assert.deepEqual(
    learning.flatMap((o) => o.fired),
    [],
  );
});

test('RunAnalyses: the metrics of a step carry semconv names at the batch step, and the cumulative activations', () => {
  const out = run(() => 0.5, 6).at(-1)!;
  assert.equal(out.step, 6);
  const metrics = new Map(out.metrics.scopeMetrics[0]!.metrics.map((m) => [m.descriptor.name, m]));
  const mean = metrics.get('grpo.reward.mean')!;
  assert.equal(mean.dataPointType, DataPointType.GAUGE);
  const total = mean.dataPoints.find((p) => p.attributes['grpo.reward.function'] === 'total');
  assert.equal(total?.value, 0.5 + 0.75);
  for (const name of [
    'grpo.reward.std',
    'grpo.policy.entropy',
    'grpo.policy.kl',
    'grpo.task.accuracy',
    'grpo.completion.mean_length',
  ])
    assert.ok(metrics.has(name), name);
  assert.equal(metrics.get('grpo.reward.value')?.dataPointType, DataPointType.HISTOGRAM);
  const activations = metrics.get('grpo.signal.activations')!;
  assert.equal(activations.dataPointType, DataPointType.SUM);
  const totalActivations = activations.dataPoints.find(
    (p) => p.attributes['grpo.reward.function'] === 'total',
  );
  assert.equal(totalActivations?.value, 1);
  assert.match(String(out.records[0]?.body), /^rewards at step 6: correctness=0\.5/);
});
