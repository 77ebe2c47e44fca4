import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prometheusLabelName } from '@grpo-otel/semconv';

// Examples from collector-contrib pkg/translator/prometheus README (Labels section).
test('attribute keys become Prometheus label names', () => {
  assert.equal(prometheusLabelName('name'), 'name');
  assert.equal(prometheusLabelName('host.name'), 'host_name');
  assert.equal(prometheusLabelName('host_name'), 'host_name');
  assert.equal(prometheusLabelName('name (of the host)'), 'name__of_the_host_');
  assert.equal(prometheusLabelName('2 cents'), 'key_2_cents');
  assert.equal(prometheusLabelName('__name'), '__name');
  assert.equal(prometheusLabelName('_name'), 'key_name');
  assert.equal(prometheusLabelName('grpo.reward.function'), 'grpo_reward_function');
});
