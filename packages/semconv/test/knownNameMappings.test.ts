import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { attributeDefinition, KNOWN_NAME_MAPPINGS, metricDefinition } from '@grpo-otel/semconv';

const REQUIRED: Record<string, readonly string[]> = {
  trl: [
    'rewards/<func>/mean',
    'rewards/<func>/std',
    'reward',
    'reward_std',
    'frac_reward_zero_std',
    'completions/mean_length',
    'completions/min_length',
    'completions/max_length',
    'completions/clipped_ratio',
    'completions/mean_terminated_length',
    'kl',
    'entropy',
    'clip_ratio/low_mean',
    'clip_ratio/high_mean',
    'clip_ratio/region_mean',
    'loss',
    'grad_norm',
    'learning_rate',
    'num_tokens',
  ],
  verl: [
    'critic/score/mean',
    'critic/rewards/mean',
    'critic/advantages/mean',
    'actor/entropy',
    'actor/pg_clipfrac',
    'actor/ppo_kl',
    'actor/kl_loss',
    'actor/pg_loss',
    'actor/grad_norm',
    'response_length/mean',
    'response_length/max',
    'response_length/min',
    'response_length/clip_ratio',
    'timing_s/gen',
    'timing_s/update_actor',
    'timing_s/step',
    'perf/throughput',
    'perf/max_memory_allocated_gb',
  ],
  openrlhf: ['policy_loss', 'kl', 'reward', 'return', 'response_length', 'total_length'],
};

describe('KNOWN_NAME_MAPPINGS', () => {
  test('covers the names users know from TRL, verl and OpenRLHF', () => {
    for (const [framework, names] of Object.entries(REQUIRED)) {
      for (const name of names) {
        assert.ok(
          KNOWN_NAME_MAPPINGS.some((m) => m.framework === framework && m.name === name),
          `${framework} ${name} is not mapped`,
        );
      }
    }
  });

  test('each framework name is mapped once', () => {
    const keys = KNOWN_NAME_MAPPINGS.map((m) => `${m.framework} ${m.name}`);
    assert.equal(new Set(keys).size, keys.length);
  });

  test('every target metric exists and accepts the mapped attributes and values', () => {
    for (const m of KNOWN_NAME_MAPPINGS) {
      const def = metricDefinition(m.metric);
      assert.ok(def !== undefined, `${m.name}: ${m.metric} does not exist`);
      const placeholders = [...m.name.matchAll(/<([a-z_]+)>/g)].map((x) => x[0]);
      for (const [key, value] of Object.entries(m.attributes)) {
        assert.ok(def.attributes.includes(key), `${m.name}: ${m.metric} has no attribute ${key}`);
        const attr = attributeDefinition(key);
        assert.ok(attr !== undefined, key);
        if (typeof value === 'string' && value.startsWith('<')) {
          assert.ok(placeholders.includes(value), `${m.name}: ${value} is not a placeholder of the name`);
        } else if (attr.values !== undefined) {
          assert.ok(
            Object.hasOwn(attr.values, String(value)),
            `${m.name}: ${key}=${value} is not a known value`,
          );
        }
      }
      for (const p of placeholders) {
        assert.ok(Object.values(m.attributes).includes(p), `${m.name}: placeholder ${p} is not used`);
      }
      assert.ok(m.notes.length > 0, `${m.name}: no notes`);
      if (m.scale !== undefined) assert.ok(Number.isFinite(m.scale) && m.scale > 0, m.name);
      if (m.cumulative === true)
        assert.equal(def.instrument, 'counter', `${m.name}: cumulative needs a counter`);
    }
  });
});
