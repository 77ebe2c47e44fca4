import * as K from './attributeKeys.js';
import {
  EVENT_GRPO_MODEL_OUTPUT,
  EVENT_GRPO_SIGNAL_TRIGGERED,
  EVENT_GRPO_VALIDATION_SAMPLE,
} from './events.js';
import type { AttributeRef, SpanDefinition } from './SpanDefinition.js';

/** One training step: generation, scoring, update. The root of a step's trace. */
export const SPAN_GRPO_STEP = 'grpo.step';
/** Sampling the group completions for the step's prompts. */
export const SPAN_GRPO_GENERATE = 'grpo.generate';
/** Scoring completions with the reward functions. */
export const SPAN_GRPO_REWARD = 'grpo.reward';
/** The policy-gradient update. */
export const SPAN_GRPO_UPDATE = 'grpo.update';
/** A periodic validation run on held-out data. */
export const SPAN_GRPO_VALIDATION = 'grpo.validation';

const req = (key: string): AttributeRef => ({ key, requirementLevel: 'required' });
const rec = (key: string): AttributeRef => ({ key, requirementLevel: 'recommended' });
const cond = (key: string, condition: string): AttributeRef => ({
  key,
  requirementLevel: 'conditionally_required',
  condition,
});

/** Span definitions, keyed by span name. All spans are `internal`. */
export const SPANS: Readonly<Record<string, SpanDefinition>> = Object.freeze({
  [SPAN_GRPO_STEP]: {
    name: SPAN_GRPO_STEP,
    kind: 'internal',
    description: 'One training step, from sampling to the optimiser update.',
    stability: 'development',
    attributes: [req(K.ATTR_GRPO_STEP), rec(K.ATTR_GRPO_BATCH_SIZE), rec(K.ATTR_GRPO_GROUP_SIZE)],
    events: [EVENT_GRPO_MODEL_OUTPUT, EVENT_GRPO_SIGNAL_TRIGGERED],
  },
  [SPAN_GRPO_GENERATE]: {
    name: SPAN_GRPO_GENERATE,
    kind: 'internal',
    parent: SPAN_GRPO_STEP,
    description: "Sampling `grpo.group.size` completions for each of the step's prompts.",
    stability: 'development',
    attributes: [
      req(K.ATTR_GRPO_STEP),
      req(K.ATTR_GEN_AI_OPERATION_NAME),
      rec(K.ATTR_GEN_AI_REQUEST_MODEL),
      rec(K.ATTR_GEN_AI_REQUEST_TEMPERATURE),
      rec(K.ATTR_GEN_AI_REQUEST_TOP_P),
      rec(K.ATTR_GEN_AI_REQUEST_MAX_TOKENS),
      rec(K.ATTR_GEN_AI_REQUEST_CHOICE_COUNT),
      rec(K.ATTR_GEN_AI_USAGE_INPUT_TOKENS),
      rec(K.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS),
    ],
    events: [],
  },
  [SPAN_GRPO_REWARD]: {
    name: SPAN_GRPO_REWARD,
    kind: 'internal',
    parent: SPAN_GRPO_STEP,
    description: 'Scoring the completions; one child `grpo.reward` span per reward function.',
    stability: 'development',
    attributes: [
      req(K.ATTR_GRPO_STEP),
      cond(K.ATTR_GRPO_REWARD_FUNCTION, 'on the per-function child spans'),
      cond(K.ATTR_ERROR_TYPE, 'when a reward function threw'),
    ],
    events: [],
  },
  [SPAN_GRPO_UPDATE]: {
    name: SPAN_GRPO_UPDATE,
    kind: 'internal',
    parent: SPAN_GRPO_STEP,
    description: 'Advantage computation, loss, backward pass and optimiser step.',
    stability: 'development',
    attributes: [req(K.ATTR_GRPO_STEP)],
    events: [],
  },
  [SPAN_GRPO_VALIDATION]: {
    name: SPAN_GRPO_VALIDATION,
    kind: 'internal',
    description: 'A validation run: generation and scoring over the held-out set, between training steps.',
    stability: 'development',
    attributes: [
      req(K.ATTR_GRPO_STEP),
      rec(K.ATTR_GRPO_SPLIT),
      cond(K.ATTR_GRPO_VALIDATION_DATASET, 'when more than one validation dataset is used'),
      rec(K.ATTR_GRPO_VALIDATION_SAMPLE_COUNT),
      cond(K.ATTR_ERROR_TYPE, 'when the run failed'),
    ],
    events: [EVENT_GRPO_VALIDATION_SAMPLE],
  },
});

/** Every span definition, sorted by name. */
export const ALL_SPANS: readonly SpanDefinition[] = Object.freeze(
  Object.values(SPANS).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
);
