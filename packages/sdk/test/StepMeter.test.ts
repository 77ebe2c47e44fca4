import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import {
  beginStep,
  getMeter,
  getTelemetry,
  initialize,
  logMemoryUsage,
  logTrainingProgress,
  parseConfig,
  shutdown,
} from '@grpo-otel/sdk';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { type DataPoint, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { DropCounter } from '../src/internal/DropCounter.js';
import { StepMeterProvider } from '../src/step-metrics/StepMeter.js';
import { StepMetricSink } from '../src/step-metrics/StepMetricSink.js';
import { StepRecorder } from './helpers/StepRecorder.js';

/** Collects on demand (OTel's own path, as the OTLP reader does). */
class PullReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

afterEach(() => shutdown());

test('a StepMeterProvider meter feeds OTel unchanged and the sink at each step', async () => {
  const exporter = new StepRecorder();
  const sink = new StepMetricSink({
    exporters: [{ name: 'rec', exporter }],
    resource: resourceFromAttributes({}),
    drops: new DropCounter(),
  });
  const reader = new PullReader();
  const provider = new StepMeterProvider(new MeterProvider({ readers: [reader] }), sink);
  const meter = provider.getMeter('user', '1.0.0');
  const counter = meter.createCounter('user.items');
  const gauge = meter.createGauge('user.temperature');
  for (let s = 1; s <= 3; s++) {
    sink.advance(s);
    counter.add(s);
    gauge.record(s * 10);
  }
  await sink.flush();
  assert.deepEqual(exporter.series('user.items'), [
    [1, 1],
    [2, 2],
    [3, 3],
  ]);
  assert.deepEqual(exporter.series('user.temperature'), [
    [1, 10],
    [2, 20],
    [3, 30],
  ]);
  assert.deepEqual(
    exporter.exports[0]!.metrics.scopeMetrics.map((s) => s.scope),
    [{ name: 'user', version: '1.0.0' }],
  );
  // OTel's own collection (OTLP, Prometheus) sees the same measurements: the cumulative sum and the last value.
  const { resourceMetrics } = await reader.collect();
  const otel = Object.fromEntries(
    resourceMetrics.scopeMetrics
      .flatMap((s) => s.metrics)
      .map((m) => [m.descriptor.name, (m.dataPoints as DataPoint<number>[])[0]!.value]),
  );
  assert.deepEqual(otel, { 'user.items': 6, 'user.temperature': 30 });
});

test("SDK: getMeter()'s instruments and logMemoryUsage's readings are at the trainer's step", async () => {
  const recorder = new StepRecorder();
  initialize({
    config: parseConfig('root: { level: ERROR, handlers: [] }', { source: 'c.yaml', baseDir: '/', env: {} }),
    env: {},
    handleExit: false,
    registerGlobal: false,
    stepExporters: [{ name: 'recorder', exporter: recorder }],
  });
  const gauge = getMeter().createGauge('my.gauge');
  const rss: number[] = [];
  for (let step = 1; step <= 3; step++) {
    // Report first, then the step's values: the step scope (beginStep) keeps them at the step.
    beginStep(step);
    logTrainingProgress(step, {});
    gauge.record(step + 0.5);
    rss.push(logMemoryUsage()!.rss);
  }
  await getTelemetry()!.forceFlush();
  assert.deepEqual(recorder.series('my.gauge'), [
    [1, 1.5],
    [2, 2.5],
    [3, 3.5],
  ]);
  assert.deepEqual(
    recorder.series('process.memory.usage'),
    rss.map((v, i) => [i + 1, v]),
  );
});
