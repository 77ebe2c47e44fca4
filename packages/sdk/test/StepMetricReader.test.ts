import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExportResultCode } from '@opentelemetry/core';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  InstrumentType,
  MeterProvider,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { DropCounter } from '../src/internal/DropCounter.js';
import { StepMetricReader } from '../src/processors/StepMetricReader.js';

/** A small local push exporter that stamps each export with the step it is told and keeps the points. */
class StepRecorder implements PushMetricExporter {
  step = 0;
  exports: { step: number; metrics: ResourceMetrics }[] = [];
  export(metrics: ResourceMetrics, cb: (r: { code: ExportResultCode }) => void): void {
    this.exports.push({ step: this.step, metrics });
    cb({ code: ExportResultCode.SUCCESS });
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
  selectAggregationTemporality(kind: InstrumentType): AggregationTemporality {
    return kind === InstrumentType.UP_DOWN_COUNTER || kind === InstrumentType.OBSERVABLE_UP_DOWN_COUNTER
      ? AggregationTemporality.CUMULATIVE
      : AggregationTemporality.DELTA;
  }
}

function points(metrics: ResourceMetrics, name: string): DataPoint<unknown>[] {
  return metrics.scopeMetrics.flatMap((s) =>
    s.metrics.filter((m) => m.descriptor.name === name).flatMap((m) => m.dataPoints as DataPoint<unknown>[]),
  );
}

test('collects per step with the exporter temporality: each step holds that step only', async () => {
  const exporter = new StepRecorder();
  const reader = new StepMetricReader({
    exporter,
    name: 'tb',
    drops: new DropCounter(),
    setExportStep: (step) => {
      exporter.step = step;
    },
  });
  const meter = new MeterProvider({ readers: [reader] }).getMeter('t');
  const hist = meter.createHistogram('grpo.reward.value');
  const gauge = meter.createGauge('grpo.policy.loss');

  for (const [step, values] of [
    [1, [1, 0, 1]],
    [2, [0, 0]],
  ] as const) {
    for (const v of values) hist.record(v);
    gauge.record(step / 10);
    await reader.collectAtStep(step);
  }
  // Nothing recorded since step 2: no empty export.
  await reader.collectAtStep(3);

  assert.deepEqual(
    exporter.exports.map((e) => e.step),
    [1, 2],
  );
  const h = exporter.exports.map(
    (e) => (points(e.metrics, 'grpo.reward.value')[0]!.value as Histogram).count,
  );
  assert.deepEqual(h, [3, 2]);
  const g = exporter.exports.map((e) => points(e.metrics, 'grpo.policy.loss')[0]!.value);
  assert.deepEqual(g, [0.1, 0.2]);
});
