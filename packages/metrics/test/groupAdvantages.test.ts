import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupAdvantages, type ScaleRewards } from '@grpo-otel/metrics';
import { close, closeAll, fixture, type GenSpec, values } from './helpers.js';

interface Expect {
  advantages?: number[];
  groupMeans?: number[];
  groupStds?: number[];
  advantagesSample?: Record<string, number>;
  groupMeansSample?: Record<string, number>;
  groupStdsSample?: Record<string, number>;
  batchStd: number;
  rewardMean: number;
  rewardStd: number;
  fracRewardZeroStd: number;
  zeroStdGroups: number;
  groups: number;
  skipped: number;
}
interface Case {
  name: string;
  rewards: number[] | GenSpec;
  groupSize?: number;
  groupSizes?: number[];
  scaleRewards: ScaleRewards;
  expect: Expect;
  /** A numpy transliteration of TRL's own code, for TRL-shaped batches. */
  trl?: { advantages: number[]; reward: number; reward_std: number; frac: number };
}
const cases = fixture<Case[]>('grpo.json');

for (const c of cases) {
  test(`groupAdvantages matches numpy (and TRL's formulas): ${c.name}`, () => {
    const opts: Parameters<typeof groupAdvantages>[1] = { scaleRewards: c.scaleRewards };
    if (c.groupSize !== undefined) opts.groupSize = c.groupSize;
    if (c.groupSizes !== undefined) opts.groupSizes = c.groupSizes;
    const g = groupAdvantages(values(c.rewards), opts);
    const e = c.expect;
    if (e.advantages) closeAll(g.advantages, e.advantages, 'advantages');
    if (e.groupMeans) closeAll(g.groupMeans, e.groupMeans, 'groupMeans');
    if (e.groupStds) closeAll(g.groupStds, e.groupStds, 'groupStds');
    for (const [i, v] of Object.entries(e.advantagesSample ?? {}))
      close(g.advantages[+i]!, v, `advantages[${i}]`);
    for (const [i, v] of Object.entries(e.groupMeansSample ?? {}))
      close(g.groupMeans[+i]!, v, `groupMeans[${i}]`);
    for (const [i, v] of Object.entries(e.groupStdsSample ?? {}))
      close(g.groupStds[+i]!, v, `groupStds[${i}]`);
    close(g.batchStd, e.batchStd, 'batchStd');
    close(g.rewardMean, e.rewardMean, 'rewardMean');
    close(g.rewardStd, e.rewardStd, 'rewardStd');
    close(g.fracRewardZeroStd, e.fracRewardZeroStd, 'fracRewardZeroStd');
    assert.equal(g.zeroStdGroups, e.zeroStdGroups, 'zeroStdGroups');
    assert.equal(g.groups, e.groups, 'groups');
    assert.equal(g.skipped, e.skipped, 'skipped');
    if (c.trl) {
      closeAll(g.advantages, c.trl.advantages, 'TRL advantages');
      close(g.rewardMean, c.trl.reward, 'TRL reward');
      close(g.rewardStd, c.trl.reward_std, 'TRL reward_std');
      close(g.fracRewardZeroStd, c.trl.frac, 'TRL frac_reward_zero_std');
    }
  });
}

test('groupAdvantages validates its grouping', () => {
  assert.throws(
    () => groupAdvantages([1, 2], { groupSize: 0 }),
    /groupSize must be a positive integer, got 0/,
  );
  assert.throws(
    () => groupAdvantages([1, 2], { groupSizes: [1, -1] }),
    /groupSizes\[1\] must be a non-negative integer/,
  );
});
