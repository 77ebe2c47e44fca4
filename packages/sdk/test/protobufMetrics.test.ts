// Our OTLP metrics request writer against OTel's own (otlp-transformer's ProtobufMetricsSerializer):
// the same collection must give the same bytes for every instrument kind, value and temporality.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostileNumber, PAYLOADS } from '@grpo-otel/testkit/hostileArbitraries';
import { type Attributes, ValueType } from '@opentelemetry/api';
import { ProtobufMetricsSerializer as OtelSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  AggregationType,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { serializeMetricsExportRequest } from '../src/otlp/protobuf/ProtobufMetricsSerializer.js';

class Reader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const same = (rm: ResourceMetrics) =>
  assert.deepEqual(
    Buffer.from(serializeMetricsExportRequest(rm)),
    Buffer.from(OtelSerializer.serializeRequest(rm)!),
  );

const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(...PAYLOADS),
  fc.string({ minLength: 130, maxLength: 400 }),
);
const attributes = fc.dictionary(text, fc.oneof(text, hostileNumber, fc.boolean()), {
  maxKeys: 4,
}) as fc.Arbitrary<Attributes>;
const finite = fc.double({ min: -1e12, max: 1e12, noNaN: true });

test('the same bytes as OTel for every instrument kind, both temporalities, arbitrary values and attributes', async () => {
  await fc.assert(
    fc.asyncProperty(
      attributes,
      fc.constantFrom(AggregationTemporality.CUMULATIVE, AggregationTemporality.DELTA),
      fc.array(
        fc.record({ attrs: attributes, int: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), value: finite }),
        { minLength: 1, maxLength: 6 },
      ),
      text,
      async (resourceAttrs, temporality, points, description) => {
        const reader = new Reader({ aggregationTemporalitySelector: () => temporality });
        const provider = new MeterProvider({
          resource: resourceFromAttributes(resourceAttrs),
          readers: [reader],
          views: [
            {
              instrumentName: 'exp.histogram',
              aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 20 } },
            },
          ],
        });
        const meter = provider.getMeter('grpo-otel', '1.0.0');
        const other = provider.getMeter('other');
        const intCounter = meter.createCounter('int.counter', {
          valueType: ValueType.INT,
          unit: '{x}',
          description,
        });
        const counter = meter.createCounter('double.counter');
        const upDown = meter.createUpDownCounter('int.updown', { valueType: ValueType.INT });
        const histogram = meter.createHistogram('histogram', { unit: 's' });
        const bounded = other.createHistogram('bounded', {
          advice: { explicitBucketBoundaries: [-1, 0, 1.5, 100] },
        });
        const exp = meter.createHistogram('exp.histogram');
        const gauge = meter.createGauge('gauge', { valueType: ValueType.INT });
        meter.createObservableGauge('observable', { description }).addCallback((r) => {
          for (const p of points) r.observe(p.value, p.attrs);
        });
        for (const p of points) {
          intCounter.add(Math.abs(p.int), p.attrs);
          counter.add(Math.abs(p.value), p.attrs);
          upDown.add(p.int, p.attrs);
          histogram.record(Math.abs(p.value), p.attrs);
          bounded.record(p.value, p.attrs);
          exp.record(p.value, p.attrs);
          gauge.record(p.int, p.attrs);
        }
        const { resourceMetrics } = await reader.collect();
        same(resourceMetrics);
        await provider.shutdown();
      },
    ),
    { numRuns: 100 },
  );
});

test('an empty collection', () => {
  same({ resource: resourceFromAttributes({ 'service.name': 'grpo' }), scopeMetrics: [] });
});
