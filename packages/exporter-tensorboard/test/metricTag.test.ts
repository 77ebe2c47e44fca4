import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metricTag, sanitizeTagComponent } from '@grpo-otel/exporter-tensorboard';
import {
  ATTR_GRPO_CORRELATION_METHOD,
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_REWARD_OTHER_FUNCTION,
  ATTR_GRPO_SPLIT,
  ATTR_GRPO_WINDOW_SIZE,
  METRICS,
} from '@grpo-otel/semconv';

test('metricTag: the metric name, then attribute values in semconv order; split=train left out', () => {
  const mean = METRICS.rewardMean.name;
  assert.equal(metricTag(mean, {}), 'grpo.reward.mean');
  assert.equal(
    metricTag(mean, { [ATTR_GRPO_REWARD_FUNCTION]: 'correctness', [ATTR_GRPO_SPLIT]: 'train' }),
    'grpo.reward.mean/correctness',
  );
  assert.equal(
    metricTag(mean, { [ATTR_GRPO_SPLIT]: 'validation', [ATTR_GRPO_REWARD_FUNCTION]: 'total' }),
    'grpo.reward.mean/total/validation',
  );
  assert.equal(
    metricTag(METRICS.rewardMovingAverage.name, {
      [ATTR_GRPO_REWARD_FUNCTION]: 'format',
      [ATTR_GRPO_WINDOW_SIZE]: 100,
    }),
    'grpo.reward.moving_average/format',
  );
  assert.equal(
    metricTag(METRICS.rewardCorrelation.name, {
      [ATTR_GRPO_CORRELATION_METHOD]: 'pearson',
      [ATTR_GRPO_REWARD_OTHER_FUNCTION]: 'format',
      [ATTR_GRPO_REWARD_FUNCTION]: 'correctness',
    }),
    'grpo.reward.correlation/correctness/format/pearson',
  );
});

test('metricTag: unknown metrics and attributes: keys sorted, values sanitized, never adding levels', () => {
  assert.equal(metricTag('my.metric', { b: 'x/y', a: true, c: [1, 2] }), 'my.metric/true/x_y/1_2');
  assert.equal(metricTag('/weird name!', { k: '' }), 'weird_name_/_');
  assert.equal(
    metricTag('m', { k: 'v' }, () => false),
    'm/v',
  );
  assert.equal(
    metricTag('m', { k: 'v' }, (key) => key === 'k'),
    'm',
  );
});

test('sanitizeTagComponent: only A-Z a-z 0-9 _ . - survive; at most 100 characters', () => {
  assert.equal(sanitizeTagComponent('a b/c\\d|e<f>'), 'a_b_c_d_e_f_');
  assert.equal(sanitizeTagComponent('ok-1.2_x'), 'ok-1.2_x');
  assert.equal(sanitizeTagComponent('é'), '_');
  assert.equal(sanitizeTagComponent('x'.repeat(300)).length, 100);
});
