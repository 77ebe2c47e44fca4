import { ATTR_ERROR_TYPE, ATTR_GRPO_VALIDATION_DATASET } from '../attributeKeys.js';
import { VALIDATION_DURATION_BUCKETS } from '../internal/buckets.js';
import { defineMetric } from '../internal/define.js';

const DATASET = [ATTR_GRPO_VALIDATION_DATASET];

/** Periodic validation on held-out data. */
export const VALIDATION_METRICS = {
  validationAccuracy: defineMetric({
    name: 'grpo.validation.accuracy',
    instrument: 'gauge',
    unit: '1',
    category: 'validation',
    attributes: DATASET,
    description: 'Fraction of validation samples answered correctly (zero-shot, greedy or as configured).',
    note: 'Rewards and the other per-split metrics of a validation run carry `grpo.split="validation"`.',
  }),
  validationGeneralizationGap: defineMetric({
    name: 'grpo.validation.generalization_gap',
    instrument: 'gauge',
    unit: '1',
    category: 'validation',
    attributes: DATASET,
    description: 'Training accuracy minus validation accuracy at the time of the validation run.',
    note:
      'Training accuracy is the moving average of `grpo.task.accuracy`. A growing gap means the policy ' +
      'overfits the training prompts. Negative values are possible.',
  }),
  validationDuration: defineMetric({
    name: 'grpo.validation.duration',
    instrument: 'histogram',
    unit: 's',
    category: 'validation',
    attributes: DATASET,
    description: 'Wall-clock duration of a validation run.',
    advice: { explicitBucketBoundaries: VALIDATION_DURATION_BUCKETS },
  }),
  validationSamples: defineMetric({
    name: 'grpo.validation.samples',
    instrument: 'counter',
    unit: '{sample}',
    valueType: 'int',
    category: 'validation',
    attributes: DATASET,
    description: 'Validation samples evaluated.',
  }),
  validationErrors: defineMetric({
    name: 'grpo.validation.errors',
    instrument: 'counter',
    unit: '{error}',
    valueType: 'int',
    category: 'validation',
    attributes: [ATTR_ERROR_TYPE, ATTR_GRPO_VALIDATION_DATASET],
    description: 'Validation samples answered wrongly or not at all, by error type.',
    note:
      'Error pattern analysis: the dominant failure tells which reward function to improve. Timeouts are ' +
      'counted in `grpo.validation.timeouts`, not here.',
  }),
  validationTimeouts: defineMetric({
    name: 'grpo.validation.timeouts',
    instrument: 'counter',
    unit: '{timeout}',
    valueType: 'int',
    category: 'validation',
    attributes: DATASET,
    description: 'Validation samples abandoned because generation or scoring exceeded its time limit.',
  }),
} as const;
