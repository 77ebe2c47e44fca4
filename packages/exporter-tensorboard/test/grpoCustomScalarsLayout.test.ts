import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  customScalarsSummary,
  encodeCustomScalarsLayout,
  grpoCustomScalarsLayout,
  metricTag,
} from '@grpo-otel/exporter-tensorboard';
import {
  ALL_METRICS,
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_SPLIT,
  ATTR_GRPO_WINDOW_SIZE,
  METRICS,
} from '@grpo-otel/semconv';

const layout = grpoCustomScalarsLayout({ rewardFunctions: ['correctness', 'format'] });
const regexes = (title: string) =>
  layout.categories
    .flatMap((c) => c.charts.filter((ch) => ch.title === title))
    .flatMap((ch) => ('multiline' in ch ? ch.multiline : []));
// custom scalars matches with Python's re.match; these patterns mean the same in JS.
const matches = (re: string, tag: string) => new RegExp(re).test(tag);

test('grpoCustomScalarsLayout: the seed dashboards as categories', () => {
  assert.deepEqual(
    layout.categories.map((c) => c.title),
    [
      'Reward trends',
      'Performance and validation',
      'Generation quality',
      'Resource usage',
      'Signals and telemetry health',
    ],
  );
  assert.equal(layout.categories[4]!.closed, true);
});

test('grpoCustomScalarsLayout: every reward function mean and moving average on one multiline chart', () => {
  const [re] = regexes('Mean reward per function, with moving average');
  assert.equal(re, '^grpo\\.reward\\.(mean|moving_average)(/.*)?$');
  const tag = (name: string, fn: string, extra = {}) =>
    metricTag(name, { [ATTR_GRPO_REWARD_FUNCTION]: fn, [ATTR_GRPO_SPLIT]: 'train', ...extra });
  for (const fn of ['correctness', 'format', 'total']) {
    assert.ok(matches(re!, tag(METRICS.rewardMean.name, fn)));
    assert.ok(matches(re!, tag(METRICS.rewardMovingAverage.name, fn, { [ATTR_GRPO_WINDOW_SIZE]: 100 })));
  }
  assert.ok(!matches(re!, tag(METRICS.rewardStd.name, 'format')));
  assert.ok(!matches(re!, tag(METRICS.rewardMeanGroupStd.name, 'format')));
  const [perFn] = regexes('Reward: format');
  assert.ok(matches(perFn!, tag(METRICS.rewardMean.name, 'format')));
  assert.ok(matches(perFn!, tag(METRICS.rewardMovingAverage.name, 'format')));
  assert.ok(!matches(perFn!, tag(METRICS.rewardMean.name, 'correctness')));
  assert.ok(!matches(perFn!, tag(METRICS.rewardMean.name, 'format_v2')));
});

test('grpoCustomScalarsLayout: every scalar semconv metric is on exactly one chart; histograms on none', () => {
  const all = layout.categories.flatMap((c) =>
    c.charts.flatMap((ch) => ('multiline' in ch ? ch.multiline : [])),
  );
  for (const m of ALL_METRICS) {
    const n = all.filter((re) => matches(re, metricTag(m.name, {}))).length;
    if (m.instrument === 'histogram') assert.equal(n, 0, m.name);
    else if (m.name === METRICS.rewardMean.name || m.name === METRICS.rewardMovingAverage.name)
      assert.ok(n >= 1, m.name);
    else assert.equal(n, 1, m.name);
  }
});

test('customScalarsSummary: the layout proto in a string tensor under custom_scalars__config__', () => {
  const v = customScalarsSummary(layout);
  assert.equal(v.tag, 'custom_scalars__config__');
  assert.equal(v.metadata?.pluginName, 'custom_scalars');
  assert.deepEqual(v.tensor?.shape, []);
  assert.deepEqual(Buffer.from(v.tensor!.stringVal![0]!), Buffer.from(encodeCustomScalarsLayout(layout)));
});
