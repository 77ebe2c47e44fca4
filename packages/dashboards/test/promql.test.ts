import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ATTR_GRPO_REWARD_FUNCTION, ATTR_SERVICE_NAME, METRICS } from '@grpo-otel/semconv';
import {
  alertsSeries,
  bucketSeries,
  by,
  countSeries,
  eq,
  label,
  legend,
  re,
  series,
  sumSeries,
  TRAINING,
} from '../src/index.js';
import { metricNames } from './support/metricNames.js';

const RUN = 'service_name=~"$service", grpo_run_id=~"$run", grpo_rank=~"$rank"';

describe('promql helpers', () => {
  test('labels come from attribute keys', () => {
    assert.equal(label(ATTR_GRPO_REWARD_FUNCTION), 'grpo_reward_function');
    assert.equal(label(ATTR_SERVICE_NAME), 'service_name');
    assert.equal(
      by(ATTR_GRPO_REWARD_FUNCTION, ATTR_SERVICE_NAME),
      ' by (grpo_reward_function, service_name)',
    );
    assert.equal(by(), '');
    assert.equal(
      legend('{{0}} ~ {{1}}', ATTR_GRPO_REWARD_FUNCTION, ATTR_SERVICE_NAME),
      '{{grpo_reward_function}} ~ {{service_name}}',
    );
    assert.throws(() => legend('{{2}}', ATTR_SERVICE_NAME), /no attribute/);
  });

  test('matchers quote their values for PromQL', () => {
    assert.equal(eq(ATTR_GRPO_REWARD_FUNCTION, 'a"b\\c'), 'grpo_reward_function="a\\"b\\\\c"');
    assert.equal(
      re(ATTR_GRPO_REWARD_FUNCTION, '$reward_function'),
      'grpo_reward_function=~"$reward_function"',
    );
    assert.equal(TRAINING, 'grpo_split!~"validation|test"');
  });

  test('series names are the Prometheus names of semconv metrics, restricted to the run', () => {
    assert.equal(series(METRICS.rewardMean), `grpo_reward_mean{${RUN}}`);
    assert.equal(series(METRICS.trainingSteps), `grpo_training_steps_total{${RUN}}`);
    assert.equal(
      series(METRICS.validationAccuracy, eq(ATTR_GRPO_REWARD_FUNCTION, 'x')),
      `grpo_validation_accuracy_ratio{${RUN}, grpo_reward_function="x"}`,
    );
    assert.equal(bucketSeries(METRICS.stepDuration), `grpo_step_duration_seconds_bucket{${RUN}}`);
    assert.equal(sumSeries(METRICS.stepDuration), `grpo_step_duration_seconds_sum{${RUN}}`);
    assert.equal(countSeries(METRICS.stepDuration), `grpo_step_duration_seconds_count{${RUN}}`);
  });

  test('histograms are only selected through their _bucket, _sum and _count series', () => {
    assert.throws(() => series(METRICS.rewardValue), /histogram/);
    assert.throws(() => bucketSeries(METRICS.rewardMean), /not a histogram/);
    assert.throws(() => countSeries(METRICS.trainingSteps), /not a histogram/);
  });

  test('alerts of the run, or of no run', () => {
    assert.equal(
      alertsSeries('alertstate="firing"'),
      'ALERTS{alertstate="firing", service_name=~"$service|", grpo_run_id=~"$run|", grpo_rank=~"$rank|"}',
    );
  });
});

describe('metricNames (test support)', () => {
  test('finds the selected series and nothing else', () => {
    assert.deepEqual(
      metricNames(
        'histogram_quantile(0.95, sum by (le) (rate(a_bucket{x=~"b|c", y="rate(d)"}[4s]))) / ignoring(z) scalar(b_total) * 60 > bool 1e-3',
      ),
      ['a_bucket', 'b_total'],
    );
    assert.deepEqual(metricNames('max by (alertname) ((ALERTS{a="1"} * 2) or ALERTS{a="2"})'), [
      'ALERTS',
      'ALERTS',
    ]);
  });
});
