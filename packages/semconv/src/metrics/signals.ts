import { ATTR_GRPO_REWARD_FUNCTION, ATTR_GRPO_SIGNAL_KIND } from '../attributeKeys.js';
import { defineMetric } from '../internal/define.js';

/** Plateau and collapse detectors. */
export const SIGNAL_METRICS = {
  signalActive: defineMetric({
    name: 'grpo.signal.active',
    instrument: 'gauge',
    unit: '{signal}',
    valueType: 'int',
    category: 'signals',
    attributes: [ATTR_GRPO_SIGNAL_KIND, ATTR_GRPO_REWARD_FUNCTION],
    description: "1 while a detector's condition holds, 0 otherwise.",
    note: 'Reported for every configured detector at each evaluation, so alert rules can use `== 1`. Reward plateaus carry the reward function (`total` for the weighted sum).',
  }),
  signalActivations: defineMetric({
    name: 'grpo.signal.activations',
    instrument: 'counter',
    unit: '{activation}',
    valueType: 'int',
    category: 'signals',
    attributes: [ATTR_GRPO_SIGNAL_KIND, ATTR_GRPO_REWARD_FUNCTION],
    description: 'Times a detector switched from inactive to active.',
    note: 'Each activation also emits a `grpo.signal.triggered` event with the statistic and threshold.',
  }),
} as const;
