import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ALL_ATTRIBUTES,
  ATTR_GRPO_RANK,
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_RUN_ID,
  ATTR_GRPO_STEP,
  ATTRIBUTES,
  attributeDefinition,
  prometheusLabelName,
  RESOURCE_ATTRIBUTES,
  REWARD_FUNCTION_TOTAL,
} from '@grpo-otel/semconv';
import * as KEYS from '../src/attributeKeys.js';
import { ATTRIBUTE_DEFINITION_COUNT } from '../src/attributes.js';

const OTEL_NAME = /^[a-z][a-z0-9]*([._][a-z0-9]+)*$/;

describe('attribute definitions', () => {
  test('keys are unique and well-formed', () => {
    assert.equal(Object.keys(ATTRIBUTES).length, ATTRIBUTE_DEFINITION_COUNT);
    for (const a of ALL_ATTRIBUTES) assert.match(a.key, OTEL_NAME, a.key);
  });

  test('every exported ATTR_* key has a definition, and every definition an ATTR_* constant', () => {
    const constants = new Set<string>(Object.values(KEYS));
    for (const key of constants) assert.ok(attributeDefinition(key) !== undefined, key);
    for (const a of ALL_ATTRIBUTES) assert.ok(constants.has(a.key), `${a.key} has no ATTR_ constant`);
  });

  test('no attribute key is also the namespace of another', () => {
    const keys = new Set(ALL_ATTRIBUTES.map((a) => a.key));
    for (const a of ALL_ATTRIBUTES) {
      const segments = a.key.split('.');
      for (let i = 1; i < segments.length; i++) {
        const prefix = segments.slice(0, i).join('.');
        assert.ok(!keys.has(prefix), `${prefix} is an attribute and the namespace of ${a.key}`);
      }
    }
  });

  test('our attributes live under grpo., reused ones are OpenTelemetry keys', () => {
    for (const a of ALL_ATTRIBUTES) {
      if (a.reused) assert.ok(!a.key.startsWith('grpo.'), a.key);
      else assert.ok(a.key.startsWith('grpo.'), a.key);
    }
  });

  test('examples match the declared type, and enumerated examples are declared values', () => {
    for (const a of ALL_ATTRIBUTES) {
      assert.ok(a.examples.length > 0, `${a.key} has no example`);
      for (const e of a.examples) {
        switch (a.type) {
          case 'string':
            assert.equal(typeof e, 'string', a.key);
            if (a.values !== undefined) assert.ok(Object.hasOwn(a.values, e as string), `${a.key}: ${e}`);
            break;
          case 'int':
            assert.ok(Number.isInteger(e), a.key);
            break;
          case 'double':
            assert.equal(typeof e, 'number', a.key);
            break;
          case 'boolean':
            assert.equal(typeof e, 'boolean', a.key);
            break;
          case 'string[]':
            assert.ok(Array.isArray(e), a.key);
            break;
        }
      }
      if (a.values !== undefined) {
        assert.equal(a.type, 'string', `${a.key}: only string attributes are enumerated`);
        for (const value of Object.keys(a.values))
          assert.match(value, /^[a-z][a-z0-9_]*$/, `${a.key}=${value}`);
      }
    }
  });

  test('resource attributes identify the run and the worker', () => {
    const keys = RESOURCE_ATTRIBUTES.map((a) => a.key);
    for (const key of [ATTR_GRPO_RUN_ID, 'grpo.experiment.name', 'gen_ai.request.model', ATTR_GRPO_RANK]) {
      assert.ok(keys.includes(key), key);
    }
    assert.ok(keys.includes('grpo.world_size'));
    assert.equal(attributeDefinition(ATTR_GRPO_RUN_ID)?.requirementLevel, 'required');
  });

  test('the step is never a metric attribute; the reward function is, with the reserved total', () => {
    assert.equal(attributeDefinition(ATTR_GRPO_STEP)?.metricSafe, false);
    const reward = attributeDefinition(ATTR_GRPO_REWARD_FUNCTION);
    assert.equal(reward?.metricSafe, true);
    assert.ok(reward?.examples.includes(REWARD_FUNCTION_TOTAL));
  });

  test('Prometheus label names are unique across all attributes (resource ones included)', () => {
    const labels = ALL_ATTRIBUTES.map((a) => prometheusLabelName(a.key));
    assert.equal(new Set(labels).size, labels.length);
  });

  test('attributeDefinition ignores inherited properties', () => {
    assert.equal(attributeDefinition('toString'), undefined);
    assert.equal(attributeDefinition('__proto__'), undefined);
  });
});
