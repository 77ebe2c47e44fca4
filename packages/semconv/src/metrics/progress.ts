import { ATTR_GEN_AI_TOKEN_TYPE, ATTR_GRPO_PHASE } from '../attributeKeys.js';
import { PHASE_DURATION_BUCKETS, STEP_DURATION_BUCKETS } from '../internal/buckets.js';
import { defineMetric } from '../internal/define.js';

/** Training progress, timing and throughput. */
export const PROGRESS_METRICS = {
  trainingSteps: defineMetric({
    name: 'grpo.training.steps',
    instrument: 'counter',
    unit: '{step}',
    valueType: 'int',
    category: 'progress',
    description: 'Optimisation steps completed.',
  }),
  trainingCurrentStep: defineMetric({
    name: 'grpo.training.current_step',
    instrument: 'gauge',
    unit: '{step}',
    valueType: 'int',
    category: 'progress',
    description: "The trainer's global step.",
    note: 'Lets Prometheus queries relate wall-clock time to steps (TensorBoard is keyed by step already).',
  }),
  trainingEpoch: defineMetric({
    name: 'grpo.training.epoch',
    instrument: 'gauge',
    unit: '{epoch}',
    category: 'progress',
    description: 'Fractional epoch over the training prompts.',
  }),
  trainingSamples: defineMetric({
    name: 'grpo.training.samples',
    instrument: 'counter',
    unit: '{sample}',
    valueType: 'int',
    category: 'progress',
    description: 'Completions generated and scored (prompts times group size).',
  }),
  trainingTokens: defineMetric({
    name: 'grpo.training.tokens',
    instrument: 'counter',
    unit: '{token}',
    valueType: 'int',
    category: 'progress',
    attributes: [ATTR_GEN_AI_TOKEN_TYPE],
    description: 'Tokens processed, prompt (`input`) and completion (`output`).',
    note: 'TRL `num_tokens` is the running sum over both token types.',
  }),
  stepDuration: defineMetric({
    name: 'grpo.step.duration',
    instrument: 'histogram',
    unit: 's',
    category: 'progress',
    description: 'Wall-clock duration of a training step, generation to optimiser update.',
    advice: { explicitBucketBoundaries: STEP_DURATION_BUCKETS },
  }),
  phaseDuration: defineMetric({
    name: 'grpo.phase.duration',
    instrument: 'histogram',
    unit: 's',
    category: 'progress',
    attributes: [ATTR_GRPO_PHASE],
    description: 'Wall-clock duration of one phase of a training step.',
    advice: { explicitBucketBoundaries: PHASE_DURATION_BUCKETS },
    note: 'verl `timing_s/<phase>`. Summed over phases it approaches `grpo.step.duration`.',
  }),
  throughputSamples: defineMetric({
    name: 'grpo.throughput.samples',
    instrument: 'gauge',
    unit: '{sample}/s',
    category: 'progress',
    description: 'Completions processed per second of wall-clock time in the last step.',
    note:
      'Per worker process; sum over `instance` for the run. Prometheus can also derive it as ' +
      '`rate(grpo_training_samples_total[5m])`; the gauge gives TensorBoard a per-step value.',
  }),
  throughputTokens: defineMetric({
    name: 'grpo.throughput.tokens',
    instrument: 'gauge',
    unit: '{token}/s',
    category: 'progress',
    attributes: [ATTR_GEN_AI_TOKEN_TYPE],
    description: 'Tokens processed per second of wall-clock time in the last step.',
    note: 'Per worker process (verl `perf/throughput` is per GPU).',
  }),
} as const;
