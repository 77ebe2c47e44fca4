import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeEvent,
  defaultOmitAttribute,
  encodeEvent,
  metricsToSummaries,
  type OmitAttribute,
  type ScalarForm,
} from '@grpo-otel/exporter-tensorboard';
import { ATTR_GRPO_REWARD_FUNCTION, ATTR_GRPO_SPLIT, ATTR_GRPO_WINDOW_SIZE } from '@grpo-otel/semconv';
import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { MetricEventEncoder } from '../src/internal/MetricEventEncoder.js';

const T: [number, number] = [1, 0];

/**
 * Attributes objects shared by every collection, as a producer that keeps one object per series
 * hands them: several map to one tag (split=train and the window size are left out by default; `/`
 * and `_` sanitize alike; 1 and '1' print alike), one tag is over 127 bytes, one is not ASCII.
 */
const POOL: Attributes[] = [
  {},
  { [ATTR_GRPO_REWARD_FUNCTION]: 'total' },
  { [ATTR_GRPO_REWARD_FUNCTION]: 'total', [ATTR_GRPO_SPLIT]: 'train' },
  { [ATTR_GRPO_SPLIT]: 'validation', [ATTR_GRPO_REWARD_FUNCTION]: 'total' },
  { [ATTR_GRPO_WINDOW_SIZE]: 10 },
  { x: 'a/b' },
  { x: 'a_b' },
  { n: 1 },
  { n: '1' },
  { arr: ['a', 'b'], flag: true },
  { u: undefined, v: null as unknown as string },
  { x: 'é ✓' },
  { x: 'y'.repeat(140) },
];
const NAMES = [
  'grpo.reward.mean',
  'grpo.reward.mean/total',
  'grpo.policy.loss',
  `m.${'long'.repeat(40)}`,
  'a b',
];

const arbBoundaries = fc
  .uniqueArray(fc.constantFrom(-5, 0, 0.5, 1, 2, 10, 100), { maxLength: 5 })
  .map((b) => b.sort((x, y) => x - y));
const arbHistogram = arbBoundaries.chain((boundaries) =>
  fc.record({
    boundaries: fc.constant(boundaries),
    counts: fc.array(fc.oneof(fc.constant(0), fc.nat(5)), {
      minLength: boundaries.length + 1,
      maxLength: boundaries.length + 1,
    }),
    min: fc.option(fc.double({ min: -10, max: 0, noNaN: true }), { nil: undefined }),
    max: fc.option(fc.double({ min: 0, max: 200, noNaN: true }), { nil: undefined }),
    sum: fc.option(fc.double({ min: -100, max: 100, noNaN: true }), { nil: undefined }),
  }),
);
const arbExponential = fc.record({
  scale: fc.integer({ min: -1, max: 3 }),
  zeroCount: fc.nat(3),
  positive: fc.record({
    offset: fc.integer({ min: -3, max: 3 }),
    bucketCounts: fc.array(fc.nat(4), { maxLength: 4 }),
  }),
  negative: fc.record({
    offset: fc.integer({ min: -3, max: 3 }),
    bucketCounts: fc.array(fc.nat(4), { maxLength: 4 }),
  }),
});
const arbAttributes = fc.nat(POOL.length - 1).map((i) => POOL[i]!);

const arbMetric: fc.Arbitrary<MetricData> = fc.oneof(
  fc
    .record({
      name: fc.constantFrom(...NAMES),
      type: fc.constantFrom(DataPointType.GAUGE, DataPointType.SUM),
      points: fc.array(fc.record({ attributes: arbAttributes, value: fc.double() }), { maxLength: 6 }),
    })
    .map(({ name, type, points }) => {
      const dataPoints = points.map((p) => ({ startTime: T, endTime: T, ...p }));
      const descriptor = { name, description: '', unit: '', valueType: 1 };
      return type === DataPointType.GAUGE
        ? {
            descriptor,
            aggregationTemporality: AggregationTemporality.DELTA,
            dataPointType: type,
            dataPoints,
          }
        : {
            descriptor,
            aggregationTemporality: AggregationTemporality.DELTA,
            dataPointType: DataPointType.SUM,
            isMonotonic: true,
            dataPoints,
          };
    }),
  fc
    .record({
      name: fc.constantFrom(...NAMES),
      points: fc.array(fc.record({ attributes: arbAttributes, h: arbHistogram }), { maxLength: 4 }),
    })
    .map(({ name, points }) => ({
      descriptor: { name, description: '', unit: '', valueType: 1 },
      aggregationTemporality: AggregationTemporality.DELTA,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: points.map(({ attributes, h }) => ({
        startTime: T,
        endTime: T,
        attributes,
        value: {
          buckets: { boundaries: h.boundaries, counts: h.counts },
          count: h.counts.reduce((a, b) => a + b, 0),
          ...(h.sum !== undefined ? { sum: h.sum } : {}),
          ...(h.min !== undefined ? { min: h.min } : {}),
          ...(h.max !== undefined ? { max: h.max } : {}),
        },
      })),
    })),
  fc
    .record({
      name: fc.constantFrom(...NAMES),
      points: fc.array(fc.record({ attributes: arbAttributes, e: arbExponential }), { maxLength: 3 }),
    })
    .map(({ name, points }) => ({
      descriptor: { name, description: '', unit: '', valueType: 1 },
      aggregationTemporality: AggregationTemporality.DELTA,
      dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM,
      dataPoints: points.map(({ attributes, e }) => {
        const count =
          e.zeroCount +
          e.positive.bucketCounts.reduce((a, b) => a + b, 0) +
          e.negative.bucketCounts.reduce((a, b) => a + b, 0);
        return { startTime: T, endTime: T, attributes, value: { ...e, count, sum: 1, min: -1, max: 1 } };
      }),
    })),
) as fc.Arbitrary<MetricData>;

const arbCollection = fc.array(fc.array(arbMetric, { maxLength: 4 }), { minLength: 1, maxLength: 3 }).map(
  (scopes): ResourceMetrics => ({
    resource: { attributes: {} } as ResourceMetrics['resource'],
    scopeMetrics: scopes.map((metrics, i) => ({ scope: { name: `s${i}` }, metrics })),
  }),
);

const OMITS: Record<string, OmitAttribute | undefined> = {
  default: undefined,
  none: () => false,
  custom: (k, v) => k === 'x' || v === 'total',
};

test('MetricEventEncoder: byte for byte the event of metricsToSummaries, collection after collection', () => {
  fc.assert(
    fc.property(
      fc.constantFrom<ScalarForm>('simple_value', 'tensor'),
      fc.constantFrom(...Object.keys(OMITS)),
      fc.array(
        fc.record({
          metrics: arbCollection,
          step: fc.oneof(fc.constant(0), fc.integer({ min: -3, max: 1000 }), fc.constant(2 ** 40)),
          wallTime: fc.double({ min: 0, max: 2e9, noNaN: true }),
        }),
        { minLength: 1, maxLength: 5 },
      ),
      (scalarForm, omitName, collections) => {
        const omitAttribute = OMITS[omitName];
        const encoder = new MetricEventEncoder(omitAttribute ?? defaultOmitAttribute, scalarForm);
        for (const { metrics, step, wallTime } of collections) {
          const summary = metricsToSummaries(metrics, {
            scalarForm,
            ...(omitAttribute ? { omitAttribute } : {}),
          });
          const got = encoder.encode(metrics, step, wallTime);
          if (summary.length === 0) {
            assert.equal(got, undefined);
            continue;
          }
          assert.ok(got);
          assert.deepEqual(Buffer.from(got), Buffer.from(encodeEvent({ wallTime, step, summary })));
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('MetricEventEncoder: two points of one tag in a collection keep distinct tags, in every collection', () => {
  const encoder = new MetricEventEncoder(defaultOmitAttribute, 'simple_value');
  const train = { [ATTR_GRPO_REWARD_FUNCTION]: 'total', [ATTR_GRPO_SPLIT]: 'train' };
  const plain = { [ATTR_GRPO_REWARD_FUNCTION]: 'total' };
  const again = { [ATTR_GRPO_REWARD_FUNCTION]: 'total' };
  const collection = (points: [Attributes, number][]): ResourceMetrics => ({
    resource: { attributes: {} } as ResourceMetrics['resource'],
    scopeMetrics: [
      {
        scope: { name: 's' },
        metrics: [
          {
            descriptor: { name: 'grpo.reward.mean', description: '', unit: '', valueType: 1 },
            aggregationTemporality: AggregationTemporality.DELTA,
            dataPointType: DataPointType.GAUGE,
            dataPoints: points.map(([attributes, value]) => ({
              startTime: T,
              endTime: T,
              attributes,
              value,
            })),
          },
        ],
      },
    ],
  });
  const tags = (points: [Attributes, number][]) => {
    const bytes = encoder.encode(collection(points), 7, 1);
    assert.ok(bytes);
    const e = decodeEvent(bytes);
    assert.equal(e.step, 7);
    return e.summary!.map((v) => [v.tag, v.simpleValue]);
  };
  assert.deepEqual(tags([[plain, 1]]), [['grpo.reward.mean/total', 1]]);
  assert.deepEqual(
    tags([
      [plain, 1],
      [train, 2],
      [again, 3],
    ]),
    [
      ['grpo.reward.mean/total', 1],
      ['grpo.reward.mean/total/train', 2],
      ['grpo.reward.mean/total/2', 3],
    ],
  );
  // The other order: the first point takes the short tag, whichever series it is.
  assert.deepEqual(
    tags([
      [train, 2],
      [plain, 1],
    ]),
    [
      ['grpo.reward.mean/total', 2],
      ['grpo.reward.mean/total/2', 1],
    ],
  );
  assert.deepEqual(tags([[again, 4]]), [['grpo.reward.mean/total', 4]]);
});

test('MetricEventEncoder: nothing to write gives undefined (no points, or only empty histograms)', () => {
  const encoder = new MetricEventEncoder(defaultOmitAttribute, 'simple_value');
  const resource = { attributes: {} } as ResourceMetrics['resource'];
  assert.equal(encoder.encode({ resource, scopeMetrics: [] }, 1, 1), undefined);
  assert.equal(
    encoder.encode(
      {
        resource,
        scopeMetrics: [
          {
            scope: { name: 's' },
            metrics: [
              {
                descriptor: { name: 'h', description: '', unit: '', valueType: 1 },
                aggregationTemporality: AggregationTemporality.DELTA,
                dataPointType: DataPointType.HISTOGRAM,
                dataPoints: [
                  {
                    startTime: T,
                    endTime: T,
                    attributes: {},
                    value: { buckets: { boundaries: [1], counts: [0, 0] }, count: 0 },
                  },
                ],
              },
            ],
          },
        ],
      },
      1,
      1,
    ),
    undefined,
  );
});
