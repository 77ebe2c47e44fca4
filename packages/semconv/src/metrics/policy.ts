import { ATTR_GRPO_KL_ESTIMATOR } from '../attributeKeys.js';
import { defineMetric } from '../internal/define.js';

/** Policy optimisation: entropy, KL, clipping, loss and optimiser state. */
export const POLICY_METRICS = {
  policyEntropy: defineMetric({
    name: 'grpo.policy.entropy',
    instrument: 'gauge',
    unit: '{nat}',
    category: 'policy',
    description: "Mean per-token entropy of the policy's next-token distribution over completion tokens.",
    note: 'In nats. A steady fall towards 0 is the classic sign of mode collapse (TRL `entropy`).',
  }),
  policyKl: defineMetric({
    name: 'grpo.policy.kl',
    instrument: 'gauge',
    unit: '{nat}',
    category: 'policy',
    attributes: [ATTR_GRPO_KL_ESTIMATOR],
    description: 'Mean per-token KL divergence of the policy from the reference model.',
    note: 'How far the model has drifted from where it started (TRL `kl`, estimator k3).',
  }),
  policyUpdateKl: defineMetric({
    name: 'grpo.policy.update_kl',
    instrument: 'gauge',
    unit: '{nat}',
    category: 'policy',
    attributes: [ATTR_GRPO_KL_ESTIMATOR],
    description: 'Mean per-token KL between the sampling (old) policy and the policy being optimised.',
    note: "PPO's approx_kl (verl `actor/ppo_kl`): large values mean the update moved too far per step.",
  }),
  policyKlCoefficient: defineMetric({
    name: 'grpo.policy.kl_coefficient',
    instrument: 'gauge',
    unit: '{coefficient}',
    category: 'policy',
    description: 'Weight (beta) of the KL term, which adaptive KL controllers change during training.',
  }),
  policyClipLowRatio: defineMetric({
    name: 'grpo.policy.clip.low_ratio',
    instrument: 'gauge',
    unit: '1',
    category: 'policy',
    description:
      'Fraction of completion tokens clipped at the lower bound (ratio < 1 - epsilon, negative advantage).',
    note: 'TRL `clip_ratio/low_mean`.',
  }),
  policyClipHighRatio: defineMetric({
    name: 'grpo.policy.clip.high_ratio',
    instrument: 'gauge',
    unit: '1',
    category: 'policy',
    description:
      'Fraction of completion tokens clipped at the upper bound (ratio > 1 + epsilon, positive advantage).',
    note: 'TRL `clip_ratio/high_mean`.',
  }),
  policyClipRegionRatio: defineMetric({
    name: 'grpo.policy.clip.region_ratio',
    instrument: 'gauge',
    unit: '1',
    category: 'policy',
    description: 'Fraction of completion tokens clipped at either bound.',
    note: 'TRL `clip_ratio/region_mean`; verl `actor/pg_clipfrac`.',
  }),
  policyLoss: defineMetric({
    name: 'grpo.policy.loss',
    instrument: 'gauge',
    unit: '{loss}',
    category: 'policy',
    description: 'Loss optimised in the step, averaged over its micro-batches.',
    note:
      'In GRPO the loss is not a learning curve: it is near 0 at the start of each step by construction; ' +
      'watch rewards instead.',
  }),
  policyGradNorm: defineMetric({
    name: 'grpo.policy.grad_norm',
    instrument: 'gauge',
    unit: '{norm}',
    category: 'policy',
    description: 'Global L2 norm of the gradient before clipping.',
  }),
  policyLearningRate: defineMetric({
    name: 'grpo.policy.learning_rate',
    instrument: 'gauge',
    unit: '{learning_rate}',
    category: 'policy',
    description: "Optimiser learning rate used in the step (after the scheduler's update).",
  }),
} as const;
