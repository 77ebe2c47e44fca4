import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairwiseCorrelations, pearson, rank, spearman } from '@grpo-otel/metrics';
import { close, closeAll, fixture, type GenSpec, values } from './helpers.js';

interface PairCase {
  name: string;
  x: number[] | GenSpec;
  y: number[] | GenSpec;
  expect: { pearson: number; spearman: number; n: number };
}
interface RankCase {
  name: string;
  values: number[];
  expect: number[];
}
interface Pairwise {
  rewards: Record<string, number[]>;
  expect: { a: string; b: string; pearson: number; spearman: number; n: number }[];
}
const {
  pairs,
  rank: ranks,
  pairwise,
} = fixture<{ pairs: PairCase[]; rank: RankCase[]; pairwise: Pairwise }>('correlation.json');

for (const c of pairs) {
  test(`pearson and spearman match scipy.stats: ${c.name}`, () => {
    const x = values(c.x);
    const y = values(c.y);
    close(pearson(x, y), c.expect.pearson, 'pearson');
    close(spearman(x, y), c.expect.spearman, 'spearman');
  });
}

for (const c of ranks) {
  test(`rank (average ties) matches scipy.stats.rankdata: ${c.name}`, () => {
    closeAll(rank(c.values), c.expect, 'ranks');
  });
}

test('pairwiseCorrelations: every pair of reward functions, as scipy', () => {
  const got = pairwiseCorrelations(pairwise.rewards);
  assert.deepEqual(
    got.map((p) => [p.a, p.b, p.n]),
    pairwise.expect.map((p) => [p.a, p.b, p.n]),
  );
  for (let i = 0; i < got.length; i++) {
    close(got[i]!.pearson, pairwise.expect[i]!.pearson, `${got[i]!.a}/${got[i]!.b} pearson`);
    close(got[i]!.spearman, pairwise.expect[i]!.spearman, `${got[i]!.a}/${got[i]!.b} spearman`);
  }
});

test('rank leaves NaN unranked', () => {
  const r = rank([3, Number.NaN, 1]);
  assert.deepEqual([r[0], r[2]], [2, 1]);
  assert.ok(Number.isNaN(r[1]));
});
