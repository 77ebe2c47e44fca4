import {
  ATTR_GRPO_CORRELATION_METHOD,
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_REWARD_OTHER_FUNCTION,
  ATTR_GRPO_SPLIT,
  ATTR_GRPO_WINDOW_SIZE,
} from '../attributeKeys.js';
import { ADVANTAGE_BUCKETS, GROUP_STD_BUCKETS, REWARD_BUCKETS } from '../internal/buckets.js';
import { defineMetric } from '../internal/define.js';

const PER_FUNCTION = [ATTR_GRPO_REWARD_FUNCTION, ATTR_GRPO_SPLIT];
const TOTAL_NOTE =
  'Reported per reward function and, with `grpo.reward.function="total"`, for the weighted total.';

/** Rewards per function and in total, their group statistics, and advantages. */
export const REWARD_METRICS = {
  rewardValue: defineMetric({
    name: 'grpo.reward.value',
    instrument: 'histogram',
    unit: '{reward}',
    category: 'rewards',
    attributes: PER_FUNCTION,
    description: 'Reward given to each completion.',
    advice: { explicitBucketBoundaries: REWARD_BUCKETS },
    note:
      `${TOTAL_NOTE} One measurement per completion. The distribution shows mode collapse (mass piling ` +
      'onto one value) and reward hacking (mass moving to the maximum of a cheap function).',
  }),
  rewardMean: defineMetric({
    name: 'grpo.reward.mean',
    instrument: 'gauge',
    unit: '{reward}',
    category: 'rewards',
    attributes: PER_FUNCTION,
    description: "Mean reward over the step's completions.",
    note: `${TOTAL_NOTE} TRL \`rewards/<func>/mean\` and \`reward\`.`,
  }),
  rewardStd: defineMetric({
    name: 'grpo.reward.std',
    instrument: 'gauge',
    unit: '{reward}',
    category: 'rewards',
    attributes: PER_FUNCTION,
    description: "Standard deviation of the reward over all of the step's completions (batch level).",
    note: `${TOTAL_NOTE} TRL \`rewards/<func>/std\`. For the within-group spread see \`grpo.reward.mean_group_std\`.`,
  }),
  rewardMin: defineMetric({
    name: 'grpo.reward.min',
    instrument: 'gauge',
    unit: '{reward}',
    category: 'rewards',
    attributes: PER_FUNCTION,
    description: "Smallest reward among the step's completions.",
    note: TOTAL_NOTE,
  }),
  rewardMax: defineMetric({
    name: 'grpo.reward.max',
    instrument: 'gauge',
    unit: '{reward}',
    category: 'rewards',
    attributes: PER_FUNCTION,
    description: "Largest reward among the step's completions.",
    note: TOTAL_NOTE,
  }),
  rewardMedian: defineMetric({
    name: 'grpo.reward.median',
    instrument: 'gauge',
    unit: '{reward}',
    category: 'rewards',
    attributes: PER_FUNCTION,
    description: "Median reward over the step's completions.",
    note: TOTAL_NOTE,
  }),
  rewardMovingAverage: defineMetric({
    name: 'grpo.reward.moving_average',
    instrument: 'gauge',
    unit: '{reward}',
    category: 'rewards',
    attributes: [...PER_FUNCTION, ATTR_GRPO_WINDOW_SIZE],
    description: 'Mean of the per-step mean rewards over the last `grpo.window.size` steps (default 100).',
    note: `${TOTAL_NOTE} The learning-progress trend line, and the input of the reward plateau detector.`,
  }),
  rewardCorrelation: defineMetric({
    name: 'grpo.reward.correlation',
    instrument: 'gauge',
    unit: '{coefficient}',
    category: 'rewards',
    attributes: [
      ATTR_GRPO_REWARD_FUNCTION,
      ATTR_GRPO_REWARD_OTHER_FUNCTION,
      ATTR_GRPO_CORRELATION_METHOD,
      ATTR_GRPO_SPLIT,
    ],
    description: "Correlation, in [-1, 1], between two reward functions over the step's completions.",
    note:
      'One series per unordered pair of functions (never `total`) and method. Strongly negative values ' +
      'mean the functions pull against each other (e.g. format vs correctness). Undefined (not reported) ' +
      'when either function is constant over the step.',
  }),
  rewardGroupStd: defineMetric({
    name: 'grpo.reward.group_std',
    instrument: 'histogram',
    unit: '{reward}',
    category: 'rewards',
    attributes: PER_FUNCTION,
    description: 'Standard deviation of the reward within each group (completions of one prompt).',
    advice: { explicitBucketBoundaries: GROUP_STD_BUCKETS },
    note:
      `${TOTAL_NOTE} One measurement per group. GRPO learns only from groups with non-zero spread; the ` +
      'first bucket (<= 0) counts the groups that teach nothing.',
  }),
  rewardMeanGroupStd: defineMetric({
    name: 'grpo.reward.mean_group_std',
    instrument: 'gauge',
    unit: '{reward}',
    category: 'rewards',
    attributes: PER_FUNCTION,
    description: 'Mean over groups of the within-group reward standard deviation.',
    note: `${TOTAL_NOTE} TRL \`reward_std\` (with the default group scaling).`,
  }),
  rewardZeroStdRatio: defineMetric({
    name: 'grpo.reward.zero_std_ratio',
    instrument: 'gauge',
    unit: '1',
    category: 'rewards',
    attributes: PER_FUNCTION,
    description: 'Fraction of groups whose completions all received the same reward.',
    note: `${TOTAL_NOTE} TRL \`frac_reward_zero_std\`. Near 1 means the batch gives no learning signal.`,
  }),
  rewardKlPenalizedMean: defineMetric({
    name: 'grpo.reward.kl_penalized.mean',
    instrument: 'gauge',
    unit: '{reward}',
    category: 'rewards',
    description: 'Mean sequence reward after subtracting the in-reward KL penalty (reward - beta * KL).',
    note:
      'Only differs from `grpo.reward.mean{grpo.reward.function="total"}` when the KL penalty is applied ' +
      'to the reward rather than to the loss (verl `critic/rewards/mean`, OpenRLHF `return`).',
  }),
  advantageValue: defineMetric({
    name: 'grpo.advantage.value',
    instrument: 'histogram',
    unit: '{advantage}',
    category: 'rewards',
    description: 'Group-relative advantage of each completion.',
    advice: { explicitBucketBoundaries: ADVANTAGE_BUCKETS },
    note: 'One measurement per completion: (reward - group mean) / group std, or as configured.',
  }),
  advantageMean: defineMetric({
    name: 'grpo.advantage.mean',
    instrument: 'gauge',
    unit: '{advantage}',
    category: 'rewards',
    description: "Mean advantage over the step's completions (close to 0 by construction).",
  }),
  advantageStd: defineMetric({
    name: 'grpo.advantage.std',
    instrument: 'gauge',
    unit: '{advantage}',
    category: 'rewards',
    description: "Standard deviation of the advantages over the step's completions.",
  }),
  advantageMin: defineMetric({
    name: 'grpo.advantage.min',
    instrument: 'gauge',
    unit: '{advantage}',
    category: 'rewards',
    description: "Smallest advantage among the step's completions.",
  }),
  advantageMax: defineMetric({
    name: 'grpo.advantage.max',
    instrument: 'gauge',
    unit: '{advantage}',
    category: 'rewards',
    description: "Largest advantage among the step's completions.",
  }),
} as const;
