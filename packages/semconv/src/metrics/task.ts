import { ATTR_GRPO_SPLIT } from '../attributeKeys.js';
import { defineMetric } from '../internal/define.js';

/** Task performance on training batches (math word problems with a numeric answer, in the seed). */
export const TASK_METRICS = {
  taskAccuracy: defineMetric({
    name: 'grpo.task.accuracy',
    instrument: 'gauge',
    unit: '1',
    category: 'task',
    description: "Fraction of the step's training completions whose extracted answer is correct.",
    note: 'Training batches only; on held-out data see `grpo.validation.accuracy`.',
  }),
  taskAnswerExtractedRatio: defineMetric({
    name: 'grpo.task.answer_extracted_ratio',
    instrument: 'gauge',
    unit: '1',
    category: 'task',
    attributes: [ATTR_GRPO_SPLIT],
    description: 'Fraction of completions from which an answer could be extracted at all.',
  }),
  taskReasoningCompleteness: defineMetric({
    name: 'grpo.task.reasoning_completeness',
    instrument: 'gauge',
    unit: '1',
    category: 'task',
    attributes: [ATTR_GRPO_SPLIT],
    description: 'Mean fraction of the required reasoning steps present in the reasoning section.',
    note: 'Needs reference solutions with steps; computed on a sample, off the hot path.',
  }),
  taskHallucinationRatio: defineMetric({
    name: 'grpo.task.hallucination_ratio',
    instrument: 'gauge',
    unit: '1',
    category: 'task',
    attributes: [ATTR_GRPO_SPLIT],
    description: 'Fraction of reasoning statements not supported by the problem or the reference solution.',
    note: 'Needs reference solutions (usually the validation set: `grpo.split="validation"`).',
  }),
} as const;
