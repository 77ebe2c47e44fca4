import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metricsToSummaries } from '@grpo-otel/exporter-tensorboard';
import { ATTR_GRPO_REWARD_FUNCTION, ATTR_GRPO_SPLIT, METRICS } from '@grpo-otel/semconv';
import {
  AggregationTemporality,
  AggregationType,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

class ManualReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
  async take(): Promise<ResourceMetrics> {
    return (await this.collect()).resourceMetrics;
  }
}

function setup() {
  const reader = new ManualReader();
  const provider = new MeterProvider({
    readers: [reader],
    views: [
      {
        instrumentName: 'expo',
        aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 20 } },
      },
    ],
  });
  return { reader, meter: provider.getMeter('test'), provider };
}

test('metricsToSummaries: gauges and counters become scalars, histograms histograms, tagged by metricTag', async () => {
  const { reader, meter, provider } = setup();
  const mean = meter.createGauge(METRICS.rewardMean.name);
  mean.record(0.75, { [ATTR_GRPO_REWARD_FUNCTION]: 'correctness', [ATTR_GRPO_SPLIT]: 'train' });
  mean.record(0.5, { [ATTR_GRPO_REWARD_FUNCTION]: 'format', [ATTR_GRPO_SPLIT]: 'train' });
  meter.createCounter(METRICS.trainingSamples.name).add(32);
  const h = meter.createHistogram(METRICS.rewardValue.name, {
    advice: { explicitBucketBoundaries: [0, 0.5, 1] },
  });
  for (const v of [0, 0.25, 1, 1]) h.record(v, { [ATTR_GRPO_REWARD_FUNCTION]: 'total' });
  meter.createHistogram('expo').record(3);
  const values = metricsToSummaries(await reader.take());
  const byTag = new Map(values.map((v) => [v.tag, v]));
  assert.deepEqual([...byTag.keys()].sort(), [
    'expo',
    'grpo.reward.mean/correctness',
    'grpo.reward.mean/format',
    'grpo.reward.value/total',
    'grpo.training.samples',
  ]);
  assert.equal(byTag.get('grpo.reward.mean/correctness')?.simpleValue, 0.75);
  assert.equal(byTag.get('grpo.training.samples')?.simpleValue, 32);
  const histo = byTag.get('grpo.reward.value/total')?.histo;
  assert.deepEqual(histo?.bucketLimit, [0, 0.5, 1]);
  assert.deepEqual(histo?.bucket, [1, 1, 2]);
  assert.equal(histo?.num, 4);
  assert.equal(histo?.sum, 2.25);
  assert.equal(byTag.get('expo')?.histo?.num, 1);
  // delta temporality: nothing new, nothing written
  assert.deepEqual(metricsToSummaries(await reader.take()), []);
  await provider.shutdown();
});

test('metricsToSummaries: two points mapping to one tag keep distinct tags', async () => {
  const { reader, meter, provider } = setup();
  const g = meter.createGauge(METRICS.rewardMean.name);
  g.record(1, { [ATTR_GRPO_REWARD_FUNCTION]: 'f', [ATTR_GRPO_SPLIT]: 'train' });
  g.record(2, { [ATTR_GRPO_REWARD_FUNCTION]: 'f' });
  g.record(3, { [ATTR_GRPO_REWARD_FUNCTION]: 'f/' });
  g.record(4, { [ATTR_GRPO_REWARD_FUNCTION]: 'f_' });
  const tags = metricsToSummaries(await reader.take()).map((v) => v.tag);
  assert.equal(new Set(tags).size, 4);
  assert.ok(tags.includes('grpo.reward.mean/f'));
  assert.ok(tags.includes('grpo.reward.mean/f/train') || tags.includes('grpo.reward.mean/f_'));
  await provider.shutdown();
});

test('metricsToSummaries: tensor scalar form and NaN kept', async () => {
  const { reader, meter, provider } = setup();
  meter.createGauge('g').record(Number.NaN);
  const [v] = metricsToSummaries(await reader.take(), { scalarForm: 'tensor' });
  assert.equal(v?.metadata?.pluginName, 'scalars');
  assert.ok(Number.isNaN(v?.tensor?.floatVal?.[0]));
  await provider.shutdown();
});
