import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ALL_EVENTS,
  ALL_SPANS,
  type AttributeRef,
  attributeDefinition,
  CHANNEL_VALUES,
  EVENT_GRPO_VALIDATION_SAMPLE,
  EVENTS,
  SPAN_GRPO_GENERATE,
  SPAN_GRPO_REWARD,
  SPAN_GRPO_STEP,
  SPAN_GRPO_UPDATE,
  SPAN_GRPO_VALIDATION,
  SPANS,
} from '@grpo-otel/semconv';

const OTEL_NAME = /^[a-z][a-z0-9]*([._][a-z0-9]+)*$/;

function checkRefs(owner: string, refs: readonly AttributeRef[]): void {
  const keys = refs.map((r) => r.key);
  assert.equal(new Set(keys).size, keys.length, `${owner}: duplicate attribute`);
  for (const r of refs) {
    const def = attributeDefinition(r.key);
    assert.ok(def !== undefined, `${owner}: attribute ${r.key} is not defined`);
    assert.ok(
      !def.resource || r.key === 'gen_ai.request.model',
      `${owner}: ${r.key} belongs on the Resource`,
    );
    assert.equal(
      r.condition !== undefined,
      r.requirementLevel === 'conditionally_required',
      `${owner}: ${r.key} condition iff conditionally required`,
    );
  }
}

describe('spans', () => {
  test('the step, generation, reward, update and validation spans are defined', () => {
    assert.deepEqual(ALL_SPANS.map((s) => s.name).sort(), [
      SPAN_GRPO_GENERATE,
      SPAN_GRPO_REWARD,
      SPAN_GRPO_STEP,
      SPAN_GRPO_UPDATE,
      SPAN_GRPO_VALIDATION,
    ]);
  });

  test('names are well-formed, parents and events exist, attributes are defined', () => {
    for (const s of ALL_SPANS) {
      assert.match(s.name, OTEL_NAME);
      if (s.parent !== undefined) assert.ok(Object.hasOwn(SPANS, s.parent), `${s.name}: parent ${s.parent}`);
      for (const e of s.events) assert.ok(Object.hasOwn(EVENTS, e), `${s.name}: event ${e}`);
      checkRefs(s.name, s.attributes);
      assert.ok(
        s.attributes.some((r) => r.key === 'grpo.step' && r.requirementLevel === 'required'),
        `${s.name} must carry the step`,
      );
    }
  });
});

describe('events', () => {
  test('names are well-formed, channels known, attributes defined', () => {
    for (const e of ALL_EVENTS) {
      assert.match(e.name, OTEL_NAME);
      assert.ok((CHANNEL_VALUES as readonly string[]).includes(e.channel), `${e.name}: channel ${e.channel}`);
      checkRefs(e.name, e.attributes);
    }
  });

  test('a validation sample says whether it was correct and, if not, why', () => {
    const sample = EVENTS[EVENT_GRPO_VALIDATION_SAMPLE];
    assert.ok(sample !== undefined);
    const level = (key: string) => sample.attributes.find((r) => r.key === key)?.requirementLevel;
    assert.equal(level('grpo.sample.correct'), 'required');
    assert.equal(level('error.type'), 'conditionally_required');
    assert.equal(level('grpo.sample.question'), 'opt_in');
  });
});
