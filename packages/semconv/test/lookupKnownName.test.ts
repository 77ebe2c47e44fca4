import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lookupKnownName } from '@grpo-otel/semconv';

describe('lookupKnownName', () => {
  test('resolves templated TRL reward names, filling the function attribute', () => {
    const r = lookupKnownName('rewards/correctness_reward/mean');
    assert.ok(r !== undefined);
    assert.equal(r.metric.name, 'grpo.reward.mean');
    assert.deepEqual(r.attributes, { 'grpo.reward.function': 'correctness_reward' });
    assert.equal(r.scale, 1);
    assert.equal(r.cumulative, false);
    assert.equal(r.mapping.framework, 'trl');

    assert.deepEqual(lookupKnownName('rewards/xmlcount_reward_func/std')?.attributes, {
      'grpo.reward.function': 'xmlcount_reward_func',
    });
    assert.equal(lookupKnownName('rewards/xmlcount_reward_func/std')?.metric.name, 'grpo.reward.std');
    assert.equal(lookupKnownName('rewards/legacy_func')?.metric.name, 'grpo.reward.mean');
  });

  test('a placeholder matches exactly one path segment', () => {
    assert.equal(lookupKnownName('rewards/a/b/mean'), undefined);
    assert.equal(lookupKnownName('rewards//mean'), undefined);
  });

  test('fixed names map to the total reward and other metrics', () => {
    assert.deepEqual(lookupKnownName('reward')?.attributes, { 'grpo.reward.function': 'total' });
    assert.equal(lookupKnownName('reward_std')?.metric.name, 'grpo.reward.mean_group_std');
    assert.equal(lookupKnownName('frac_reward_zero_std')?.metric.name, 'grpo.reward.zero_std_ratio');
    assert.equal(lookupKnownName('completions/clipped_ratio')?.metric.name, 'grpo.completion.clipped_ratio');
    assert.equal(lookupKnownName('clip_ratio/region_mean')?.metric.name, 'grpo.policy.clip.region_ratio');
    assert.deepEqual(lookupKnownName('timing_s/gen')?.attributes, { 'grpo.phase': 'generation' });
    assert.equal(lookupKnownName('timing_s/step')?.metric.name, 'grpo.step.duration');
  });

  test('names several frameworks share resolve to TRL unless a framework is given', () => {
    assert.deepEqual(lookupKnownName('kl')?.attributes, { 'grpo.kl.estimator': 'k3' });
    const openrlhf = lookupKnownName('kl', { framework: 'openrlhf' });
    assert.equal(openrlhf?.metric.name, 'grpo.policy.kl');
    assert.deepEqual(openrlhf?.attributes, { 'grpo.kl.estimator': 'k1' });
    assert.equal(lookupKnownName('reward', { framework: 'openrlhf' })?.mapping.framework, 'openrlhf');
    assert.equal(lookupKnownName('critic/score/mean', { framework: 'trl' }), undefined);
  });

  test('unit scale and running totals are reported', () => {
    const mem = lookupKnownName('perf/max_memory_allocated_gb');
    assert.equal(mem?.metric.name, 'grpo.memory.peak_usage');
    assert.equal(mem?.scale, 1024 ** 3);
    assert.deepEqual(mem?.attributes, { 'grpo.memory.pool': 'tensor' });
    assert.equal(lookupKnownName('num_tokens')?.cumulative, true);
  });

  test('train/ and eval prefixes set the split when the metric has one', () => {
    const evalReward = lookupKnownName('eval_rewards/correctness_reward/mean');
    assert.equal(evalReward?.metric.name, 'grpo.reward.mean');
    assert.deepEqual(evalReward?.attributes, {
      'grpo.reward.function': 'correctness_reward',
      'grpo.split': 'validation',
    });
    assert.deepEqual(lookupKnownName('train/reward')?.attributes, {
      'grpo.reward.function': 'total',
      'grpo.split': 'train',
    });
    assert.deepEqual(lookupKnownName('eval/completions/mean_length')?.attributes, {
      'grpo.split': 'validation',
    });
    // Training-only metrics: a train/ prefix is fine, a validation value does not resolve.
    assert.equal(lookupKnownName('train/loss')?.metric.name, 'grpo.policy.loss');
    assert.deepEqual(lookupKnownName('train/loss')?.attributes, {});
    assert.equal(lookupKnownName('eval_loss'), undefined);
  });

  test('unknown names and near misses do not resolve', () => {
    assert.equal(lookupKnownName(''), undefined);
    assert.equal(lookupKnownName('rewards'), undefined);
    assert.equal(lookupKnownName('Reward'), undefined);
    assert.equal(lookupKnownName('reward/'), undefined);
    assert.equal(lookupKnownName('grpo.reward.mean'), undefined);
    assert.equal(lookupKnownName('eval_nonsense'), undefined);
  });

  test('results are fresh objects: callers cannot corrupt the table', () => {
    const a = lookupKnownName('rewards/f/mean');
    assert.ok(a !== undefined);
    (a.attributes as Record<string, unknown>)['grpo.reward.function'] = 'mutated';
    assert.deepEqual(lookupKnownName('rewards/f/mean')?.attributes, { 'grpo.reward.function': 'f' });
    assert.deepEqual(lookupKnownName('reward')?.attributes, { 'grpo.reward.function': 'total' });
  });
});
