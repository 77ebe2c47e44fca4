import assert from 'node:assert/strict';
import { test } from 'node:test';
import { METRICS, type MetricDefinition } from '@grpo-otel/semconv';
import { type Attributes, ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import { attributesKey } from '../src/internal/attributesKey.js';
import { DropCounter } from '../src/internal/DropCounter.js';
import { Instruments, MAX_PENDING_SERIES } from '../src/step-metrics/Instruments.js';
import { StepMetricSink } from '../src/step-metrics/StepMetricSink.js';
import { StepRecorder } from './helpers/StepRecorder.js';

/** Collects on demand, with the given temporality. */
class PullReader extends MetricReader {
  constructor(temporality = AggregationTemporality.CUMULATIVE) {
    super({ aggregationTemporalitySelector: () => temporality });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const def = (
  name: string,
  instrument: MetricDefinition['instrument'],
  valueType: 'int' | 'double' = 'double',
) =>
  ({ ...METRICS.rewardMean, name, instrument, valueType, advice: undefined }) as unknown as MetricDefinition;

const GAUGE = def('t.gauge', 'gauge');
const COUNTER = def('t.counter', 'counter');
const INT_COUNTER = def('t.int_counter', 'counter', 'int');
const LEVEL = def('t.level', 'updowncounter');
const HISTOGRAM = def('t.histogram', 'histogram');

type Point = { attributes: Attributes; value: unknown };

/** name -> points sorted by attributes, as a reader received them. */
async function collect(reader: MetricReader): Promise<Map<string, Point[]>> {
  const { resourceMetrics } = await reader.collect();
  const out = new Map<string, Point[]>();
  for (const sm of resourceMetrics.scopeMetrics) {
    for (const m of sm.metrics) {
      const points = (m.dataPoints as DataPoint<unknown>[]).map((p) => ({
        attributes: p.attributes,
        value: typeof p.value === 'object' ? { ...(p.value as Histogram), min: undefined } : p.value,
      }));
      points.sort((a, b) => attributesKey(a.attributes).localeCompare(attributesKey(b.attributes)));
      out.set(m.descriptor.name, points);
    }
  }
  return out;
}

/**
 * The same calls on Instruments (meter `sdk`) and on OTel's synchronous instruments directly (meter
 * `direct`), in one provider: each collection must show the same points for both.
 */
function pair(temporality = AggregationTemporality.CUMULATIVE) {
  const reader = new PullReader(temporality);
  const provider = new MeterProvider({ readers: [reader] });
  const sdk = new Instruments(provider.getMeter('sdk'), new DropCounter());
  const meter = provider.getMeter('direct');
  const options = (d: MetricDefinition) => ({
    valueType: d.valueType === 'int' ? ValueType.INT : ValueType.DOUBLE,
    description: d.description,
    unit: d.unit,
  });
  const direct = {
    [GAUGE.name]: meter.createGauge(GAUGE.name, options(GAUGE)),
    [COUNTER.name]: meter.createCounter(COUNTER.name, options(COUNTER)),
    [INT_COUNTER.name]: meter.createCounter(INT_COUNTER.name, options(INT_COUNTER)),
    [LEVEL.name]: meter.createUpDownCounter(LEVEL.name, options(LEVEL)),
    [HISTOGRAM.name]: meter.createHistogram(HISTOGRAM.name, options(HISTOGRAM)),
  } as Record<string, { record?(v: number, a?: Attributes): void; add?(v: number, a?: Attributes): void }>;
  const record = (d: MetricDefinition, value: number, attributes?: Attributes) => {
    assert.equal(sdk.record(d, value, attributes), true);
    const i = direct[d.name]!;
    if (i.record) i.record(value, attributes);
    else i.add!(value, attributes);
  };
  const both = async () => {
    const { resourceMetrics } = await reader.collect();
    const byScope = new Map(
      resourceMetrics.scopeMetrics.map((sm) => [
        sm.scope.name,
        new Map(
          sm.metrics.map((m) => [
            m.descriptor.name,
            (m.dataPoints as DataPoint<unknown>[])
              .map((p) => ({ attributes: p.attributes, value: p.value }))
              .sort((a, b) => attributesKey(a.attributes).localeCompare(attributesKey(b.attributes))),
          ]),
        ),
      ]),
    );
    return { sdk: byScope.get('sdk') ?? new Map(), direct: byScope.get('direct') ?? new Map() };
  };
  return { sdk, record, both, provider };
}

test('gauges, counters and up-down counters reach OTel as its own instruments would record them', async () => {
  const { sdk, record, both, provider } = pair();
  record(GAUGE, 1, { a: 'x', b: 'y' });
  record(GAUGE, 2, { b: 'y', a: 'x' }); // the same series, keys in another order
  record(GAUGE, 3, { a: 'x', b: 'z' });
  record(GAUGE, 4);
  record(COUNTER, 0.1, { a: 'x' });
  record(COUNTER, 0.2, { a: 'x' });
  record(COUNTER, 0.7, { a: 'x' });
  record(COUNTER, 5, { a: 1 });
  record(COUNTER, 6, { a: '1' }); // a string is another series than the number
  record(INT_COUNTER, 2.9);
  record(INT_COUNTER, 3.9);
  record(LEVEL, 5, { n: [1, 2] });
  record(LEVEL, -7, { n: [1, 2] });
  record(HISTOGRAM, 0.5, { a: 'x' });
  record(HISTOGRAM, 12, { a: 'x' });
  assert.equal(sdk.pendingSeries, 8);
  let { sdk: got, direct } = await both();
  assert.equal(sdk.pendingSeries, 0);
  assert.deepEqual(got, direct);
  // The figures OTel computed, written out: last values, sums with the INT instrument's truncation.
  assert.deepEqual(
    got.get(GAUGE.name)!.map((p: Point) => p.value),
    [4, 2, 3],
  );
  const byAttrs = (points: Point[]) =>
    Object.fromEntries(points.map((p) => [JSON.stringify(p.attributes), p.value]));
  assert.deepEqual(byAttrs(got.get(COUNTER.name)!), {
    '{"a":"x"}': 0.1 + 0.2 + 0.7,
    '{"a":1}': 5,
    '{"a":"1"}': 6,
  });
  assert.deepEqual(
    got.get(INT_COUNTER.name)!.map((p: Point) => p.value),
    [5],
  );
  assert.deepEqual(
    got.get(LEVEL.name)!.map((p: Point) => p.value),
    [-2],
  );

  // A second interval: cumulative sums go on, untouched gauges keep their last value.
  record(COUNTER, 1, { a: 'x' });
  record(GAUGE, 9, { a: 'x', b: 'z' });
  ({ sdk: got, direct } = await both());
  assert.deepEqual(got, direct);
  assert.deepEqual(
    got.get(GAUGE.name)!.map((p: Point) => p.value),
    [4, 2, 9],
  );
  await provider.shutdown();
});

test('with delta temporality only the series written in the interval are reported, as OTel does', async () => {
  const { record, both, provider } = pair(AggregationTemporality.DELTA);
  record(GAUGE, 1, { a: 'x' });
  record(GAUGE, 2, { a: 'y' });
  record(COUNTER, 3, { a: 'x' });
  let r = await both();
  assert.deepEqual(r.sdk, r.direct);
  record(GAUGE, 5, { a: 'y' });
  record(COUNTER, 4, { a: 'x' });
  record(COUNTER, 4, { a: 'x' });
  r = await both();
  assert.deepEqual(r.sdk, r.direct);
  assert.deepEqual(
    r.sdk.get(GAUGE.name)!.map((p: Point) => p.value),
    [5],
  );
  assert.deepEqual(
    r.sdk.get(COUNTER.name)!.map((p: Point) => p.value),
    [8],
  );
  await provider.shutdown();
});

test('every reader gets the values, whichever collects first', async () => {
  const a = new PullReader();
  const b = new PullReader();
  const provider = new MeterProvider({ readers: [a, b] });
  const sdk = new Instruments(provider.getMeter('sdk'), new DropCounter());
  sdk.record(COUNTER, 2, { k: 'v' });
  sdk.record(GAUGE, 7);
  const fromA = await collect(a);
  sdk.record(COUNTER, 3, { k: 'v' });
  const fromB = await collect(b);
  assert.deepEqual(
    fromA.get(COUNTER.name)!.map((p) => p.value),
    [2],
  );
  assert.deepEqual(
    fromB.get(COUNTER.name)!.map((p) => p.value),
    [5],
  );
  assert.deepEqual(
    fromB.get(GAUGE.name)!.map((p) => p.value),
    [7],
  );
  // The internal hand-over instrument never has data.
  assert.deepEqual([...fromA.keys()].sort(), [COUNTER.name, GAUGE.name]);
  await provider.shutdown();
});

test('a series keeps the attributes it was first recorded with, even if the caller changes its object', async () => {
  const reader = new PullReader();
  const provider = new MeterProvider({ readers: [reader] });
  const sdk = new Instruments(provider.getMeter('sdk'), new DropCounter());
  const attrs: Attributes = { a: 'x', list: ['p', 'q'] };
  sdk.record(GAUGE, 1, attrs);
  attrs.a = 'changed';
  (attrs.list as string[]).push('r');
  const got = await collect(reader);
  assert.deepEqual(got.get(GAUGE.name), [{ attributes: { a: 'x', list: ['p', 'q'] }, value: 1 }]);
  await provider.shutdown();
});

test('interned and frozen attribute objects land on the same series as equal plain ones', async () => {
  const reader = new PullReader();
  const provider = new MeterProvider({ readers: [reader] });
  const sdk = new Instruments(provider.getMeter('sdk'), new DropCounter());
  const plain = { f: 'correctness', 'grpo.split': 'train' };
  const interned = sdk.intern(attributesKey(plain), { ...plain });
  assert.equal(sdk.intern(attributesKey(plain), { ...plain }), interned, 'one object per key');
  assert.ok(Object.isFrozen(interned));
  sdk.record(GAUGE, 1, plain);
  sdk.record(GAUGE, 2, interned);
  sdk.record(GAUGE, 3, Object.freeze({ 'grpo.split': 'train', f: 'correctness' }));
  const got = await collect(reader);
  assert.deepEqual(got.get(GAUGE.name), [{ attributes: plain, value: 3 }]);
  await provider.shutdown();
});

test('past MAX_PENDING_SERIES series of one instrument, values go to OTel directly and none is lost', async () => {
  const reader = new PullReader();
  const provider = new MeterProvider({ readers: [reader] });
  const sdk = new Instruments(provider.getMeter('sdk'), new DropCounter());
  const n = MAX_PENDING_SERIES + 5;
  // OTel's own cardinality limit (2000) would fold the extra series into its overflow series: a
  // counter shows that the sum over all series is kept.
  for (let i = 0; i < n; i++) sdk.record(COUNTER, 1, { i });
  assert.equal(sdk.pendingSeries, MAX_PENDING_SERIES);
  const got = await collect(reader);
  const total = got.get(COUNTER.name)!.reduce((s, p) => s + (p.value as number), 0);
  assert.equal(total, n);
  await provider.shutdown();
});

test('bad values are refused and counted, never handed to OTel', async () => {
  const reader = new PullReader();
  const provider = new MeterProvider({ readers: [reader] });
  const drops = new DropCounter();
  const sdk = new Instruments(provider.getMeter('sdk'), drops);
  assert.equal(sdk.record(GAUGE, Number.NaN), false);
  assert.equal(sdk.record(COUNTER, -1), false);
  assert.equal(sdk.record(COUNTER, 2 ** 60), false);
  assert.equal(sdk.record(def('t.observed', 'observable_gauge'), 1), false);
  assert.equal(drops.total(), 4);
  assert.equal(sdk.pendingSeries, 0);
  const got = await collect(reader);
  assert.equal(got.size, 0);
  await provider.shutdown();
});

test('with a step sink every value also goes to the step it was recorded at', async () => {
  const exporter = new StepRecorder();
  const { exports } = exporter;
  const sink = new StepMetricSink({
    exporters: [{ name: 'rec', exporter }],
    resource: resourceFromAttributes({}),
    drops: new DropCounter(),
  });
  const provider = new MeterProvider({ readers: [new PullReader()] });
  const sdk = new Instruments(provider.getMeter('sdk'), new DropCounter(), {
    sink,
    scope: { name: 'sdk' },
  });
  for (let s = 1; s <= 3; s++) {
    sink.advance(s);
    sdk.record(GAUGE, s * 10, { a: 'x' });
    sdk.record(COUNTER, s);
    sdk.record(HISTOGRAM, s);
  }
  sink.flushSync();
  const series = (name: string) =>
    exports.flatMap((e) =>
      e.metrics.scopeMetrics
        .flatMap((sm) => sm.metrics)
        .filter((m) => m.descriptor.name === name)
        .flatMap((m) => (m.dataPoints as DataPoint<unknown>[]).map((p) => [e.step, p.value])),
    );
  assert.deepEqual(series(GAUGE.name), [
    [1, 10],
    [2, 20],
    [3, 30],
  ]);
  assert.deepEqual(series(COUNTER.name), [
    [1, 1],
    [2, 2],
    [3, 3],
  ]);
  assert.deepEqual(
    series(HISTOGRAM.name).map(([s, v]) => [s, (v as Histogram).sum]),
    [
      [1, 1],
      [2, 2],
      [3, 3],
    ],
  );
  await sink.shutdown();
  await provider.shutdown();
});

test('attributesKey tells apart exactly what OpenTelemetry tells apart', () => {
  const otelHash = (a: Attributes) =>
    JSON.stringify(
      Object.keys(a)
        .sort()
        .map((k) => [k, a[k]]),
    );
  const sets: Attributes[] = [
    {},
    { a: 'x' },
    { a: 'x', b: 'y' },
    { b: 'y', a: 'x' },
    { a: '1' },
    { a: 1 },
    { a: true },
    { a: 'true' },
    { a: ['x', 'y'] },
    { a: 'x,y' },
    { a: 'x\u0000"b":"y' },
    { 'a"': 'x' },
    { c: 'z', b: 'y', a: 'x' },
    { a: 'x', b: 'y', c: 'z' },
    { a: undefined },
    { a: null as unknown as string },
  ];
  for (const x of sets) {
    for (const y of sets) {
      assert.equal(
        attributesKey(x) === attributesKey(y),
        otelHash(x) === otelHash(y),
        `${otelHash(x)} vs ${otelHash(y)}`,
      );
    }
  }
});
