// The SDK's own drop and sanitization counters exist from the first export, at 0, so dashboards read
// 0 (not "no data") for a healthy run and rate()/increase() see the first drop as an increase.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getLogger, initialize, parseConfig } from '@grpo-otel/sdk';
import { METRICS } from '@grpo-otel/semconv';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';

const YAML = `limits: { max_string_length: 10 }
handlers:
  none: { class: logging.NullHandler }
root: { level: INFO, handlers: [none] }
`;

test('drop and sanitization counters start at 0 and count from there', async (t) => {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const telemetry = initialize({
    config: parseConfig(YAML, { source: 'b.yaml', baseDir: '/', env: {} }),
    env: {},
    handleExit: false,
    registerGlobal: false,
    metricReaders: [reader],
  });
  assert.ok(telemetry);
  t.after(() => telemetry.shutdown());

  const points = async (name: string) => {
    exporter.reset();
    await reader.forceFlush();
    return exporter
      .getMetrics()
      .flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics))
      .filter((m) => m.descriptor.name === name)
      .flatMap((m) => m.dataPoints.map((p) => ({ attributes: p.attributes, value: p.value as number })));
  };

  const drops0 = await points(METRICS.sdkRecordDropped.name);
  assert.deepEqual(drops0.map((p) => [p.attributes['grpo.sdk.signal'], p.value]).sort(), [
    ['logs', 0],
    ['metrics', 0],
    ['traces', 0],
  ]);
  const sanitized0 = await points(METRICS.sdkValueSanitized.name);
  assert.deepEqual(sanitized0.map((p) => [p.attributes['grpo.sdk.sanitize.reason'], p.value]).sort(), [
    ['coerced', 0],
    ['control_characters', 0],
    ['formula_escaped', 0],
    ['redacted', 0],
    ['truncated', 0],
  ]);

  // One truncation (the limit is 10 characters) and one drop of a log record.
  getLogger('training').info('a message longer than ten characters');
  telemetry.drops.record('logs', 'queue_full', 'test');
  const sanitized1 = await points(METRICS.sdkValueSanitized.name);
  assert.equal(sanitized1.find((p) => p.attributes['grpo.sdk.sanitize.reason'] === 'truncated')?.value, 1);
  const drops1 = await points(METRICS.sdkRecordDropped.name);
  assert.deepEqual(
    drops1
      .map((p) => [p.attributes['grpo.sdk.signal'], p.attributes['grpo.sdk.drop.reason'], p.value])
      .sort(),
    [
      ['logs', undefined, 0],
      ['logs', 'queue_full', 1],
      ['metrics', undefined, 0],
      ['traces', undefined, 0],
    ],
  );
});
