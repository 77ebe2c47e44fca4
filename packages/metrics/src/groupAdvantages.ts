import { meanStd } from './internal/finite.js';
import { type GroupingOptions, groupSizesOf } from './internal/groups.js';

/** How TRL scales group-centred rewards (`GRPOConfig.scale_rewards`). */
export type ScaleRewards = 'group' | 'batch' | 'none';

/**
 * Grouping (`groupSize`, TRL's `num_generations`, or explicit `groupSizes`) and scaling. Rewards outside
 * every group get advantage NaN and are counted in `skipped`.
 */
export interface GroupAdvantagesOptions extends GroupingOptions {
  /** 'group' (default): divide by the group's std; 'batch': by the whole batch's std; 'none': do not divide. */
  scaleRewards?: ScaleRewards;
  /** Added to the std before dividing (TRL: 1e-4). */
  epsilon?: number;
}

export interface GroupAdvantages {
  /** Per completion: (r - groupMean) / (std + epsilon), or r - groupMean with 'none'; NaN where r is not finite. */
  advantages: Float64Array;
  /** Per group: mean of its finite rewards (NaN for a group without any). */
  groupMeans: Float64Array;
  /**
   * Per group: unbiased std (ddof = 1, torch's `Tensor.std`) of its finite rewards; 0 for a group with a
   * single finite reward (as TRL when `num_generations` is 1); NaN for a group without any.
   */
  groupStds: Float64Array;
  /** Std of all finite rewards, ddof = 1 (0 with fewer than 2; NaN with none): the divisor under 'batch'. */
  batchStd: number;
  /** TRL's `reward`: mean of the finite rewards. */
  rewardMean: number;
  /**
   * TRL's `reward_std`: the mean over completions of the std each was scaled by, i.e. the group stds
   * weighted by group size under 'group' and 'none', the batch std under 'batch'.
   */
  rewardStd: number;
  /**
   * TRL's `frac_reward_zero_std`: the fraction of completions whose std is 0 (torch.isclose: <= 1e-8).
   * Under 'group' and 'none' this is the fraction of groups with zero std, weighted by group size (for
   * TRL's equal-sized groups, simply the fraction of groups); under 'batch' it is 1 or 0 (TRL tests the
   * batch std there). NaN when there is no finite reward.
   */
  fracRewardZeroStd: number;
  /** Non-empty groups whose std is 0 (<= 1e-8), whatever the scaling. */
  zeroStdGroups: number;
  /** Number of groups (including empty ones). */
  groups: number;
  /** Rewards left out: non-finite, or outside every group. */
  skipped: number;
}

/** torch.isclose(std, 0) with its default tolerances: |std| <= atol (1e-8) + rtol * 0. */
const ZERO_STD = 1e-8;

/**
 * GRPO's group-relative advantages, as TRL computes them in
 * `GRPOTrainer._generate_and_score_completions` (trl/trainer/grpo_trainer.py):
 *
 *   mean_g = mean(r in g); std_g = sqrt(sum((r - mean_g)^2) / (|g| - 1))   (torch's unbiased std)
 *   A_i = (r_i - mean_g) / (std + 1e-4)   with std = std_g ('group'), the batch std ('batch'),
 *   A_i = r_i - mean_g                     ('none', Dr. GRPO style)
 *
 * and the metrics TRL logs beside them (`reward`, `reward_std`, `frac_reward_zero_std`). Source followed:
 * huggingface/trl, trl/trainer/grpo_trainer.py, `_generate_and_score_completions`, in the releases where
 * `scale_rewards` is 'group' | 'batch' | 'none' (older ones had a boolean, true meaning 'group'): rewards
 * are the `nansum` of weighted reward functions (our `weightedTotal`), viewed as (-1, num_generations);
 * the std is `Tensor.std` (unbiased), replaced by zeros when num_generations (or the batch) is 1;
 * `is_std_zero = torch.isclose(std_rewards, 0)`. TRL computes in float32 on the device, we in float64.
 * Non-finite rewards are left out of their group's statistics (their advantage is NaN); groups of size 1
 * have std 0 and advantage 0; empty groups have NaN mean and std and no weight.
 */
export function groupAdvantages(
  rewards: ArrayLike<number>,
  options?: GroupAdvantagesOptions,
): GroupAdvantages {
  const n = rewards.length;
  const scale = options?.scaleRewards ?? 'group';
  const eps = options?.epsilon ?? 1e-4;
  const sizes = groupSizesOf(n, options, 'groupAdvantages');
  const groups = sizes.length;
  const groupMeans = new Float64Array(groups);
  const groupStds = new Float64Array(groups);
  const advantages = new Float64Array(n).fill(Number.NaN);
  // Finite rewards, in order, for the batch statistics; per-group finite counts.
  const finite = new Float64Array(n);
  let nf = 0;
  let weightedStd = 0;
  let zeroWeight = 0;
  let zeroStdGroups = 0;
  const buf = new Float64Array(n);
  let start = 0;
  for (let gi = 0; gi < groups; gi++) {
    const end = Math.min(n, start + sizes[gi]!);
    let c = 0;
    for (let i = start; i < end; i++) {
      const r = rewards[i]!;
      if (Number.isFinite(r)) {
        buf[c++] = r;
        finite[nf++] = r;
      }
    }
    if (c === 0) {
      groupMeans[gi] = groupStds[gi] = Number.NaN;
    } else {
      const { mean, std: sampleStd } = meanStd(buf, 1, 0, c);
      const std = c > 1 ? sampleStd : 0;
      groupMeans[gi] = mean;
      groupStds[gi] = std;
      weightedStd += c * std;
      if (std <= ZERO_STD) {
        zeroWeight += c;
        zeroStdGroups++;
      }
    }
    start = end;
  }
  let rewardMean = Number.NaN;
  let batchStd = Number.NaN;
  if (nf > 0) {
    const b = meanStd(finite, 1, 0, nf);
    rewardMean = b.mean;
    batchStd = nf > 1 ? b.std : 0;
  }
  start = 0;
  for (let gi = 0; gi < groups; gi++) {
    const end = Math.min(n, start + sizes[gi]!);
    const mean = groupMeans[gi]!;
    const div = scale === 'none' ? 1 : (scale === 'batch' ? batchStd : groupStds[gi]!) + eps;
    for (let i = start; i < end; i++) {
      const r = rewards[i]!;
      if (Number.isFinite(r)) {
        const a = (r - mean) / div;
        // r - mean overflows for rewards near ±Number.MAX_VALUE: divide first then.
        advantages[i] = Number.isFinite(a) ? a : r / div - mean / div;
      }
    }
    start = end;
  }
  let rewardStd: number;
  let fracRewardZeroStd: number;
  if (nf === 0) {
    rewardStd = fracRewardZeroStd = Number.NaN;
  } else if (scale === 'batch') {
    rewardStd = batchStd;
    fracRewardZeroStd = batchStd <= ZERO_STD ? 1 : 0;
  } else {
    rewardStd = weightedStd / nf;
    fracRewardZeroStd = zeroWeight / nf;
  }
  return {
    advantages,
    groupMeans,
    groupStds,
    batchStd,
    rewardMean,
    rewardStd,
    fracRewardZeroStd,
    zeroStdGroups,
    groups,
    skipped: n - nf,
  };
}
