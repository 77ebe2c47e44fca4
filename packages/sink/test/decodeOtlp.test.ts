// Protobuf and JSON bodies made by OpenTelemetry JS's own serializers decode to the records and points
// OpenTelemetry JS started from.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProtoDecodeError } from '@grpo-otel/protobuf';
import {
  decodeOtlpProtobuf,
  OtlpJsonError,
  parseOtlpJson,
  toLogRecords,
  toResourceMetrics,
} from '@grpo-otel/sink';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { DataPointType, type ExponentialHistogram, type Histogram } from '@opentelemetry/sdk-metrics';
import { logsBody, makeLogRecords, makeMetrics, metricsBody } from './support/producers.js';

const RESOURCE = { 'service.name': 'trainer', 'grpo.run.id': 'run-1', 'grpo.rank': 3 };

function decodeLogs(body: Uint8Array, encoding: 'protobuf' | 'json') {
  return toLogRecords(
    encoding === 'json'
      ? parseOtlpJson('logs', Buffer.from(body).toString('utf8'))
      : decodeOtlpProtobuf('logs', body),
  );
}

function decodeMetrics(body: Uint8Array, encoding: 'protobuf' | 'json') {
  return toResourceMetrics(
    encoding === 'json'
      ? parseOtlpJson('metrics', Buffer.from(body).toString('utf8'))
      : decodeOtlpProtobuf('metrics', body),
  );
}

for (const encoding of ['protobuf', 'json'] as const) {
  describe(`OTLP ${encoding}`, () => {
    test('log records keep resource, scope, time, severity, body, event name and every attribute type', async () => {
      const records = await makeLogRecords(RESOURCE, (logger) => {
        logger('rewards').emit({
          timestamp: new Date(Date.UTC(2026, 11, 7, 17, 0, 0, 123)),
          severityNumber: SeverityNumber.INFO,
          severityText: 'INFO',
          body: 'step batch',
          eventName: 'grpo.step.batch',
          attributes: {
            'grpo.step': 42,
            'grpo.group.size': 4,
            'grpo.batch.reward_functions': ['correctness', 'format'],
            'grpo.batch.rewards': [1, 0.5, 0, -0.25],
            'grpo.batch.completions': ['a', 'b'],
            ok: true,
            nested: { a: 1, b: 'x' },
          },
        });
        logger('training').emit({ severityNumber: SeverityNumber.WARN, body: { structured: 'body' } });
      });
      const decoded = decodeLogs(logsBody(records, encoding), encoding);
      assert.equal(decoded.length, 2);
      const [batch, warning] = decoded;
      assert.deepEqual(batch!.resource.attributes, records[0]!.resource.attributes);
      assert.equal(batch!.instrumentationScope.name, 'rewards');
      assert.deepEqual(batch!.hrTime, records[0]!.hrTime);
      assert.equal(batch!.severityNumber, SeverityNumber.INFO);
      assert.equal(batch!.severityText, 'INFO');
      assert.equal(batch!.body, 'step batch');
      assert.equal(batch!.eventName, 'grpo.step.batch');
      assert.deepEqual(batch!.attributes, records[0]!.attributes);
      assert.equal(warning!.instrumentationScope.name, 'training');
      assert.equal(warning!.severityNumber, SeverityNumber.WARN);
      assert.deepEqual(warning!.body, { structured: 'body' });
    });

    test('gauges, counters, explicit and exponential histograms keep names, attributes and values', async () => {
      const rm = await makeMetrics(RESOURCE, (meter) => {
        meter
          .createGauge('grpo.reward.mean')
          .record(0.75, { 'grpo.reward.function': 'correctness', 'grpo.step': 7 });
        meter.createCounter('grpo.training.samples', { unit: '{sample}', description: 'samples' }).add(32);
        const h = meter.createHistogram('grpo.reward.value', {
          advice: { explicitBucketBoundaries: [0, 0.5, 1] },
        });
        for (const v of [0, 0.25, 0.75, 1, 2]) h.record(v);
        const e = meter.createHistogram('expo');
        for (const v of [1, 2, 4, 8]) e.record(v);
      });
      const { resourceMetrics, points, skipped } = decodeMetrics(metricsBody(rm, encoding), encoding);
      assert.equal(skipped, 0);
      assert.equal(points, 4);
      assert.equal(resourceMetrics.length, 1);
      assert.deepEqual(resourceMetrics[0]!.resource.attributes, rm.resource.attributes);
      const got = new Map(resourceMetrics[0]!.scopeMetrics[0]!.metrics.map((m) => [m.descriptor.name, m]));
      const gauge = got.get('grpo.reward.mean')!;
      assert.equal(gauge.dataPointType, DataPointType.GAUGE);
      assert.deepEqual(gauge.dataPoints[0]!.attributes, {
        'grpo.reward.function': 'correctness',
        'grpo.step': 7,
      });
      assert.equal(gauge.dataPoints[0]!.value, 0.75);
      const counter = got.get('grpo.training.samples')!;
      assert.equal(counter.dataPointType, DataPointType.SUM);
      assert.equal(counter.dataPoints[0]!.value, 32);
      assert.equal(counter.descriptor.unit, '{sample}');
      assert.equal(counter.descriptor.description, 'samples');
      assert.equal((counter as { isMonotonic: boolean }).isMonotonic, true);
      const hist = got.get('grpo.reward.value')!;
      assert.equal(hist.dataPointType, DataPointType.HISTOGRAM);
      const hv = hist.dataPoints[0]!.value as Histogram;
      assert.deepEqual(hv.buckets, { boundaries: [0, 0.5, 1], counts: [1, 1, 2, 1] });
      assert.equal(hv.count, 5);
      assert.equal(hv.sum, 4);
      assert.equal(hv.min, 0);
      assert.equal(hv.max, 2);
      const expo = got.get('expo')!;
      assert.equal(expo.dataPointType, DataPointType.EXPONENTIAL_HISTOGRAM);
      const original = rm.scopeMetrics[0]!.metrics.find((m) => m.descriptor.name === 'expo')!.dataPoints[0]!
        .value as ExponentialHistogram;
      const ev = expo.dataPoints[0]!.value as ExponentialHistogram;
      assert.equal(ev.count, 4);
      assert.equal(ev.scale, original.scale);
      assert.deepEqual(ev.positive, original.positive);
      assert.equal(ev.sum, 15);
    });
  });
}

test('malformed bodies throw the errors the receiver answers 400 for', () => {
  assert.throws(() => decodeOtlpProtobuf('logs', Uint8Array.from([0x0a, 0x05, 0x01])), ProtoDecodeError);
  assert.throws(() => parseOtlpJson('logs', '{"resourceLogs": '), OtlpJsonError);
  assert.throws(() => parseOtlpJson('logs', '[1]'), OtlpJsonError);
  assert.throws(() => parseOtlpJson('metrics', '{"resourceMetrics": {}}'), OtlpJsonError);
});

test('JSON: snake_case keys (protobuf field names) read as their camelCase form; int64 as strings', () => {
  const records = toLogRecords(
    parseOtlpJson(
      'logs',
      JSON.stringify({
        resource_logs: [
          {
            resource: { attributes: [{ key: 'grpo.run.id', value: { string_value: 'r' } }] },
            scope_logs: [
              {
                scope: { name: 'rewards' },
                log_records: [
                  {
                    time_unix_nano: '1765126800123000000',
                    severity_number: 'SEVERITY_NUMBER_WARN',
                    attributes: [
                      { key: 'grpo.step', value: { int_value: '12' } },
                      { key: 'event.name', value: { string_value: 'grpo.step.batch' } },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      }),
    ),
  );
  assert.equal(records.length, 1);
  assert.equal(records[0]!.resource.attributes['grpo.run.id'], 'r');
  assert.equal(records[0]!.attributes['grpo.step'], 12);
  assert.equal(records[0]!.eventName, 'grpo.step.batch', 'the event.name attribute stands in for the field');
  assert.equal(records[0]!.severityNumber, SeverityNumber.WARN);
  assert.deepEqual(records[0]!.hrTime, [1765126800, 123000000]);
});
