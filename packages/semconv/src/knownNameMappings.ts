import {
  ATTR_GRPO_KL_ESTIMATOR,
  ATTR_GRPO_MEMORY_POOL,
  ATTR_GRPO_PHASE,
  ATTR_GRPO_REWARD_FUNCTION,
} from './attributeKeys.js';
import { REWARD_FUNCTION_TOTAL } from './attributeValues.js';
import type { MetricName } from './metrics.js';

export type Framework = 'trl' | 'verl' | 'openrlhf';

/** Frameworks in lookup priority order (a name logged by several resolves to the first). */
export const FRAMEWORKS: readonly Framework[] = ['trl', 'verl', 'openrlhf'];

/**
 * How a metric name known from TRL, verl or OpenRLHF maps onto these conventions.
 * `name` may contain placeholders `<func>` (one path segment), whose value fills the attribute values
 * written as the same placeholder.
 */
export interface KnownNameMapping {
  readonly framework: Framework;
  /** Their name, e.g. `rewards/<func>/mean`. */
  readonly name: string;
  /** Our metric. */
  readonly metric: MetricName;
  /** Attributes to record with; values may be placeholders from `name`. */
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  /** Multiply their value by this to get ours (units); 1 when absent. */
  readonly scale?: number;
  /**
   * True when their value is a running total; recording it on our counter means adding the increase
   * since the previous value.
   */
  readonly cumulative?: boolean;
  readonly notes: string;
}

const FUNC = { [ATTR_GRPO_REWARD_FUNCTION]: '<func>' } as const;
const TOTAL = { [ATTR_GRPO_REWARD_FUNCTION]: REWARD_FUNCTION_TOTAL } as const;
const GIB = 1024 ** 3;

/** Known names of TRL (GRPOTrainer), verl (PPO/GRPO trainer) and OpenRLHF, and our equivalents. */
export const KNOWN_NAME_MAPPINGS: readonly KnownNameMapping[] = [
  // --- TRL GRPOTrainer ---------------------------------------------------------------------------
  {
    framework: 'trl',
    name: 'rewards/<func>/mean',
    metric: 'grpo.reward.mean',
    attributes: FUNC,
    notes: 'Mean of one reward function over the batch.',
  },
  {
    framework: 'trl',
    name: 'rewards/<func>/std',
    metric: 'grpo.reward.std',
    attributes: FUNC,
    notes: 'Batch-level standard deviation of one reward function (not the within-group spread).',
  },
  {
    framework: 'trl',
    name: 'rewards/<func>',
    metric: 'grpo.reward.mean',
    attributes: FUNC,
    notes: 'Older TRL versions (before the /mean and /std split).',
  },
  {
    framework: 'trl',
    name: 'reward',
    metric: 'grpo.reward.mean',
    attributes: TOTAL,
    notes: 'Mean of the weighted sum of all reward functions.',
  },
  {
    framework: 'trl',
    name: 'reward_std',
    metric: 'grpo.reward.mean_group_std',
    attributes: TOTAL,
    notes:
      'Mean within-group standard deviation of the total reward (default `scale_rewards="group"`). ' +
      'With `scale_rewards="batch"` TRL logs the batch std instead: `grpo.reward.std{total}`.',
  },
  {
    framework: 'trl',
    name: 'frac_reward_zero_std',
    metric: 'grpo.reward.zero_std_ratio',
    attributes: TOTAL,
    notes: 'Fraction of groups whose total reward has zero spread.',
  },
  {
    framework: 'trl',
    name: 'completions/mean_length',
    metric: 'grpo.completion.mean_length',
    attributes: {},
    notes: 'In tokens.',
  },
  {
    framework: 'trl',
    name: 'completions/min_length',
    metric: 'grpo.completion.min_length',
    attributes: {},
    notes: 'In tokens.',
  },
  {
    framework: 'trl',
    name: 'completions/max_length',
    metric: 'grpo.completion.max_length',
    attributes: {},
    notes: 'In tokens.',
  },
  {
    framework: 'trl',
    name: 'completions/clipped_ratio',
    metric: 'grpo.completion.clipped_ratio',
    attributes: {},
    notes: 'Completions that hit `max_completion_length` without an EOS token.',
  },
  {
    framework: 'trl',
    name: 'completions/mean_terminated_length',
    metric: 'grpo.completion.mean_terminated_length',
    attributes: {},
    notes: 'Mean length of the completions that ended with EOS.',
  },
  {
    framework: 'trl',
    name: 'completions/min_terminated_length',
    metric: 'grpo.completion.min_terminated_length',
    attributes: {},
    notes: 'Shortest completion that ended with EOS.',
  },
  {
    framework: 'trl',
    name: 'completions/max_terminated_length',
    metric: 'grpo.completion.max_terminated_length',
    attributes: {},
    notes: 'Longest completion that ended with EOS.',
  },
  {
    framework: 'trl',
    name: 'kl',
    metric: 'grpo.policy.kl',
    attributes: { [ATTR_GRPO_KL_ESTIMATOR]: 'k3' },
    notes: 'Per-token KL to the reference model, k3 estimator; logged only when beta != 0.',
  },
  {
    framework: 'trl',
    name: 'entropy',
    metric: 'grpo.policy.entropy',
    attributes: {},
    notes: 'Mean per-token entropy of the completions.',
  },
  {
    framework: 'trl',
    name: 'clip_ratio/low_mean',
    metric: 'grpo.policy.clip.low_ratio',
    attributes: {},
    notes: 'Mean over processes; TRL `clip_ratio/low_min` is the minimum over processes (here: per rank).',
  },
  {
    framework: 'trl',
    name: 'clip_ratio/high_mean',
    metric: 'grpo.policy.clip.high_ratio',
    attributes: {},
    notes: 'Mean over processes; TRL `clip_ratio/high_max` is the maximum over processes (here: per rank).',
  },
  {
    framework: 'trl',
    name: 'clip_ratio/region_mean',
    metric: 'grpo.policy.clip.region_ratio',
    attributes: {},
    notes: 'Tokens clipped at either bound.',
  },
  {
    framework: 'trl',
    name: 'loss',
    metric: 'grpo.policy.loss',
    attributes: {},
    notes: 'Logged by the transformers Trainer, averaged over the logging interval.',
  },
  {
    framework: 'trl',
    name: 'grad_norm',
    metric: 'grpo.policy.grad_norm',
    attributes: {},
    notes: 'Logged by the transformers Trainer; before clipping.',
  },
  {
    framework: 'trl',
    name: 'learning_rate',
    metric: 'grpo.policy.learning_rate',
    attributes: {},
    notes: 'Logged by the transformers Trainer.',
  },
  {
    framework: 'trl',
    name: 'num_tokens',
    metric: 'grpo.training.tokens',
    attributes: {},
    cumulative: true,
    notes:
      'Running total of prompt + completion tokens; recorded as increases of the counter, without ' +
      '`gen_ai.token.type` (the split is unknown).',
  },
  {
    framework: 'trl',
    name: 'epoch',
    metric: 'grpo.training.epoch',
    attributes: {},
    notes: 'Fractional epoch, logged by the transformers Trainer.',
  },

  // --- verl ----------------------------------------------------------------------------------------
  {
    framework: 'verl',
    name: 'critic/score/mean',
    metric: 'grpo.reward.mean',
    attributes: TOTAL,
    notes: 'Sequence-level score from the reward function(s), before any KL penalty.',
  },
  {
    framework: 'verl',
    name: 'critic/score/max',
    metric: 'grpo.reward.max',
    attributes: TOTAL,
    notes: 'Largest sequence-level score.',
  },
  {
    framework: 'verl',
    name: 'critic/score/min',
    metric: 'grpo.reward.min',
    attributes: TOTAL,
    notes: 'Smallest sequence-level score.',
  },
  {
    framework: 'verl',
    name: 'critic/rewards/mean',
    metric: 'grpo.reward.kl_penalized.mean',
    attributes: {},
    notes: 'Score minus the in-reward KL penalty (equal to the score unless `use_kl_in_reward`).',
  },
  {
    framework: 'verl',
    name: 'critic/advantages/mean',
    metric: 'grpo.advantage.mean',
    attributes: {},
    notes: 'Over valid response tokens.',
  },
  {
    framework: 'verl',
    name: 'critic/advantages/max',
    metric: 'grpo.advantage.max',
    attributes: {},
    notes: 'Over valid response tokens.',
  },
  {
    framework: 'verl',
    name: 'critic/advantages/min',
    metric: 'grpo.advantage.min',
    attributes: {},
    notes: 'Over valid response tokens.',
  },
  {
    framework: 'verl',
    name: 'actor/entropy',
    metric: 'grpo.policy.entropy',
    attributes: {},
    notes: 'Mean per-token entropy.',
  },
  {
    framework: 'verl',
    name: 'actor/pg_clipfrac',
    metric: 'grpo.policy.clip.region_ratio',
    attributes: {},
    notes: 'Fraction of tokens where the clipped objective was active.',
  },
  {
    framework: 'verl',
    name: 'actor/ppo_kl',
    metric: 'grpo.policy.update_kl',
    attributes: { [ATTR_GRPO_KL_ESTIMATOR]: 'k1' },
    notes: 'KL between the old (sampling) and current policy during the update, not to the reference.',
  },
  {
    framework: 'verl',
    name: 'actor/kl_loss',
    metric: 'grpo.policy.kl',
    attributes: { [ATTR_GRPO_KL_ESTIMATOR]: 'k3' },
    notes:
      'KL to the reference used as a loss term (`use_kl_loss`). The estimator follows `kl_loss_type`: ' +
      '`low_var_kl` (default) is k3, `kl` is k1, `mse` is k2; set the attribute accordingly.',
  },
  {
    framework: 'verl',
    name: 'actor/kl_coef',
    metric: 'grpo.policy.kl_coefficient',
    attributes: {},
    notes: 'Beta of the KL loss.',
  },
  {
    framework: 'verl',
    name: 'actor/pg_loss',
    metric: 'grpo.policy.loss',
    attributes: {},
    notes: 'Policy-gradient part of the loss only (without KL and entropy terms).',
  },
  {
    framework: 'verl',
    name: 'actor/grad_norm',
    metric: 'grpo.policy.grad_norm',
    attributes: {},
    notes: 'Before clipping.',
  },
  {
    framework: 'verl',
    name: 'actor/lr',
    metric: 'grpo.policy.learning_rate',
    attributes: {},
    notes: 'Actor learning rate.',
  },
  {
    framework: 'verl',
    name: 'response_length/mean',
    metric: 'grpo.completion.mean_length',
    attributes: {},
    notes: 'In tokens.',
  },
  {
    framework: 'verl',
    name: 'response_length/max',
    metric: 'grpo.completion.max_length',
    attributes: {},
    notes: 'In tokens.',
  },
  {
    framework: 'verl',
    name: 'response_length/min',
    metric: 'grpo.completion.min_length',
    attributes: {},
    notes: 'In tokens.',
  },
  {
    framework: 'verl',
    name: 'response_length/clip_ratio',
    metric: 'grpo.completion.clipped_ratio',
    attributes: {},
    notes: 'Responses that reached the maximum response length.',
  },
  {
    framework: 'verl',
    name: 'prompt_length/mean',
    metric: 'grpo.prompt.mean_length',
    attributes: {},
    notes: 'In tokens.',
  },
  {
    framework: 'verl',
    name: 'timing_s/gen',
    metric: 'grpo.phase.duration',
    attributes: { [ATTR_GRPO_PHASE]: 'generation' },
    notes: 'Seconds; one histogram measurement per step.',
  },
  {
    framework: 'verl',
    name: 'timing_s/reward',
    metric: 'grpo.phase.duration',
    attributes: { [ATTR_GRPO_PHASE]: 'reward' },
    notes: 'Seconds; one histogram measurement per step.',
  },
  {
    framework: 'verl',
    name: 'timing_s/old_log_prob',
    metric: 'grpo.phase.duration',
    attributes: { [ATTR_GRPO_PHASE]: 'old_logprob' },
    notes: 'Seconds; one histogram measurement per step.',
  },
  {
    framework: 'verl',
    name: 'timing_s/ref',
    metric: 'grpo.phase.duration',
    attributes: { [ATTR_GRPO_PHASE]: 'reference' },
    notes: 'Seconds; one histogram measurement per step.',
  },
  {
    framework: 'verl',
    name: 'timing_s/adv',
    metric: 'grpo.phase.duration',
    attributes: { [ATTR_GRPO_PHASE]: 'advantage' },
    notes: 'Seconds; one histogram measurement per step.',
  },
  {
    framework: 'verl',
    name: 'timing_s/update_actor',
    metric: 'grpo.phase.duration',
    attributes: { [ATTR_GRPO_PHASE]: 'update' },
    notes: 'Seconds; one histogram measurement per step.',
  },
  {
    framework: 'verl',
    name: 'timing_s/testing',
    metric: 'grpo.phase.duration',
    attributes: { [ATTR_GRPO_PHASE]: 'validation' },
    notes: 'Seconds; see also `grpo.validation.duration`.',
  },
  {
    framework: 'verl',
    name: 'timing_s/save_checkpoint',
    metric: 'grpo.phase.duration',
    attributes: { [ATTR_GRPO_PHASE]: 'checkpoint' },
    notes: 'Seconds.',
  },
  {
    framework: 'verl',
    name: 'timing_s/step',
    metric: 'grpo.step.duration',
    attributes: {},
    notes: 'Seconds.',
  },
  {
    framework: 'verl',
    name: 'perf/time_per_step',
    metric: 'grpo.step.duration',
    attributes: {},
    notes: 'Seconds; same value as `timing_s/step`.',
  },
  {
    framework: 'verl',
    name: 'perf/throughput',
    metric: 'grpo.throughput.tokens',
    attributes: {},
    notes: 'Tokens per second per GPU in verl; ours is per worker process.',
  },
  {
    framework: 'verl',
    name: 'perf/total_num_tokens',
    metric: 'grpo.training.tokens',
    attributes: {},
    notes: "The step's prompt + response tokens; added to the counter as is.",
  },
  {
    framework: 'verl',
    name: 'perf/max_memory_allocated_gb',
    metric: 'grpo.memory.peak_usage',
    attributes: { [ATTR_GRPO_MEMORY_POOL]: 'tensor' },
    scale: GIB,
    notes: 'Peak accelerator memory allocated by tensors, in GiB (1024^3 bytes); ours is in bytes.',
  },
  {
    framework: 'verl',
    name: 'training/global_step',
    metric: 'grpo.training.current_step',
    attributes: {},
    notes: 'The global step.',
  },
  {
    framework: 'verl',
    name: 'training/epoch',
    metric: 'grpo.training.epoch',
    attributes: {},
    notes: 'Epoch (integer in verl).',
  },

  // --- OpenRLHF ------------------------------------------------------------------------------------
  {
    framework: 'openrlhf',
    name: 'policy_loss',
    metric: 'grpo.policy.loss',
    attributes: {},
    notes: 'Policy (actor) loss.',
  },
  {
    framework: 'openrlhf',
    name: 'kl',
    metric: 'grpo.policy.kl',
    attributes: { [ATTR_GRPO_KL_ESTIMATOR]: 'k1' },
    notes: 'KL to the reference; the estimator follows `--kl_estimator` (default k1).',
  },
  {
    framework: 'openrlhf',
    name: 'reward',
    metric: 'grpo.reward.mean',
    attributes: TOTAL,
    notes: 'Mean reward-model / reward-function score.',
  },
  {
    framework: 'openrlhf',
    name: 'return',
    metric: 'grpo.reward.kl_penalized.mean',
    attributes: {},
    notes: 'Mean return: the reward with the per-token KL penalty folded in.',
  },
  {
    framework: 'openrlhf',
    name: 'response_length',
    metric: 'grpo.completion.mean_length',
    attributes: {},
    notes: 'Mean response length in tokens.',
  },
  {
    framework: 'openrlhf',
    name: 'total_length',
    metric: 'grpo.sequence.mean_length',
    attributes: {},
    notes: 'Mean prompt + response length in tokens.',
  },
  {
    framework: 'openrlhf',
    name: 'actor_lr',
    metric: 'grpo.policy.learning_rate',
    attributes: {},
    notes: 'Actor learning rate.',
  },
];
