import * as K from './attributeKeys.js';
import type { AttributeRef, EventDefinition } from './SpanDefinition.js';

/** One validation sample: question, answers, correctness (the seed's model-output CSV row). */
export const EVENT_GRPO_VALIDATION_SAMPLE = 'grpo.validation.sample';
/** One training completion sampled for inspection (model outputs channel). */
export const EVENT_GRPO_MODEL_OUTPUT = 'grpo.model_output';
/** A plateau or collapse detector became active. */
export const EVENT_GRPO_SIGNAL_TRIGGERED = 'grpo.signal.triggered';
/**
 * The raw data of one training step (rewards per function per completion, completions, lengths,
 * optionally per-token logprobs): what a trainer sends so the sink computes the learning metrics.
 */
export const EVENT_GRPO_STEP_BATCH = 'grpo.step.batch';

const req = (key: string): AttributeRef => ({ key, requirementLevel: 'required' });
const rec = (key: string): AttributeRef => ({ key, requirementLevel: 'recommended' });
const optIn = (key: string): AttributeRef => ({ key, requirementLevel: 'opt_in' });
const cond = (key: string, condition: string): AttributeRef => ({
  key,
  requirementLevel: 'conditionally_required',
  condition,
});

const SAMPLE_CONTENT: readonly AttributeRef[] = [
  rec(K.ATTR_GRPO_SAMPLE_ID),
  optIn(K.ATTR_GRPO_SAMPLE_QUESTION),
  rec(K.ATTR_GRPO_SAMPLE_EXPECTED_ANSWER),
  rec(K.ATTR_GRPO_SAMPLE_ANSWER),
  optIn(K.ATTR_GRPO_SAMPLE_REASONING),
  rec(K.ATTR_GRPO_SAMPLE_FORMAT_VALID),
  rec(K.ATTR_GRPO_SAMPLE_REWARD),
  rec(K.ATTR_GRPO_SAMPLE_COMPLETION_TOKENS),
];

/** Event definitions, keyed by event name. Events are log records with an event name. */
export const EVENTS: Readonly<Record<string, EventDefinition>> = Object.freeze({
  [EVENT_GRPO_VALIDATION_SAMPLE]: {
    name: EVENT_GRPO_VALIDATION_SAMPLE,
    description: 'Result of one validation sample; emitted during the `grpo.validation` span.',
    channel: 'model_outputs',
    body: 'The full completion text (opt-in; truncated to the configured limit).',
    stability: 'development',
    attributes: [
      req(K.ATTR_GRPO_STEP),
      req(K.ATTR_GRPO_SAMPLE_CORRECT),
      cond(K.ATTR_GRPO_VALIDATION_DATASET, 'when more than one validation dataset is used'),
      cond(K.ATTR_ERROR_TYPE, 'when the answer is not correct'),
      ...SAMPLE_CONTENT,
    ],
  },
  [EVENT_GRPO_MODEL_OUTPUT]: {
    name: EVENT_GRPO_MODEL_OUTPUT,
    description: 'One training completion, sampled for inspection (CSV of model outputs).',
    channel: 'model_outputs',
    body: 'The full completion text (opt-in; truncated to the configured limit).',
    stability: 'development',
    attributes: [req(K.ATTR_GRPO_STEP), rec(K.ATTR_GRPO_SAMPLE_CORRECT), ...SAMPLE_CONTENT],
  },
  [EVENT_GRPO_SIGNAL_TRIGGERED]: {
    name: EVENT_GRPO_SIGNAL_TRIGGERED,
    description: 'A plateau or collapse detector became active (also counted by `grpo.signal.activations`).',
    channel: 'training',
    body: 'A human-readable explanation, e.g. "total reward improved < 0.5% over 100 steps".',
    stability: 'development',
    attributes: [
      req(K.ATTR_GRPO_STEP),
      req(K.ATTR_GRPO_SIGNAL_KIND),
      rec(K.ATTR_GRPO_SIGNAL_VALUE),
      rec(K.ATTR_GRPO_SIGNAL_THRESHOLD),
      cond(K.ATTR_GRPO_REWARD_FUNCTION, 'when the detector watches one reward function'),
    ],
  },
  [EVENT_GRPO_STEP_BATCH]: {
    name: EVENT_GRPO_STEP_BATCH,
    description:
      "One training step's raw batch, one record per step, for the analyses at the sink (`grpo-otel sink`): " +
      'the same learning metrics and plateau/collapse signals the SDK computes from `logRewardMetrics` and ' +
      '`logGenerationMetrics`. Arrays are in completion order; rewards are function-major.',
    channel: 'rewards',
    stability: 'development',
    attributes: [
      req(K.ATTR_GRPO_STEP),
      req(K.ATTR_GRPO_GROUP_SIZE),
      req(K.ATTR_GRPO_BATCH_REWARD_FUNCTIONS),
      req(K.ATTR_GRPO_BATCH_REWARDS),
      rec(K.ATTR_GRPO_BATCH_COMPLETIONS),
      rec(K.ATTR_GRPO_BATCH_COMPLETION_LENGTHS),
      optIn(K.ATTR_GRPO_BATCH_ANSWERS),
      optIn(K.ATTR_GRPO_BATCH_EXPECTED_ANSWERS),
      optIn(K.ATTR_GRPO_BATCH_QUESTIONS),
      optIn(K.ATTR_GRPO_BATCH_REFERENCE_STEPS),
      cond(K.ATTR_GRPO_BATCH_REFERENCE_STEP_COUNTS, 'when reference steps are sent'),
      optIn(K.ATTR_GRPO_BATCH_REFERENCE_REASONING),
      optIn(K.ATTR_GRPO_BATCH_REPORTED_METRICS),
      cond(K.ATTR_GRPO_BATCH_TOKEN_COUNTS, 'when per-token arrays are sent'),
      optIn(K.ATTR_GRPO_BATCH_LOGPROBS),
      optIn(K.ATTR_GRPO_BATCH_REF_LOGPROBS),
      optIn(K.ATTR_GRPO_BATCH_ENTROPIES),
    ],
  },
});

/** Every event definition, sorted by name. */
export const ALL_EVENTS: readonly EventDefinition[] = Object.freeze(
  Object.values(EVENTS).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
);
