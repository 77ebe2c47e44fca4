import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunningStats, rewardStatistics, summarize, weightedTotal } from '@grpo-otel/metrics';
import { close, closeAll, fixture, type GenSpec, values } from './helpers.js';

interface Stats {
  count: number;
  skipped: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  median: number;
}
interface SummaryCase {
  name: string;
  values: number[] | GenSpec;
  ddof0: Stats;
  ddof1: Stats;
}
interface WeightedCase {
  name: string;
  rewards: Record<string, number[]>;
  weights: Record<string, number>;
  total: number[];
  functions: Record<string, Stats>;
  totalSummary: Stats;
}
const { summary, weighted } = fixture<{ summary: SummaryCase[]; weighted: WeightedCase[] }>('summary.json');

function same(
  actual: Omit<Stats, 'skipped'> & { skipped?: number },
  expected: Stats,
  what: string,
  median = true,
) {
  assert.equal(actual.count, expected.count, `${what}: count`);
  if (actual.skipped !== undefined) assert.equal(actual.skipped, expected.skipped, `${what}: skipped`);
  for (const k of ['mean', 'std', 'min', 'max', ...(median ? ['median'] : [])] as const) {
    close(actual[k as keyof Stats] as number, expected[k as keyof Stats], `${what}: ${k}`);
  }
}

for (const c of summary) {
  test(`summarize matches numpy (mean, std ddof 0 and 1, median): ${c.name}`, () => {
    const xs = values(c.values);
    same(summarize(xs), c.ddof0, 'ddof 0');
    same(summarize(xs, { ddof: 1 }), c.ddof1, 'ddof 1');
  });
  test(`RunningStats (streaming) matches numpy: ${c.name}`, () => {
    const xs = values(c.values);
    const r = new RunningStats().pushAll(xs);
    const s0 = {
      count: r.count,
      skipped: r.skipped,
      mean: r.mean,
      std: r.std(),
      min: r.min,
      max: r.max,
      median: 0,
    };
    same(s0, c.ddof0, 'ddof 0', false);
    close(r.std(1), c.ddof1.std, 'ddof 1 std');
    // split in three and merged (as three workers would), including through a plain snapshot
    const a = Math.floor(xs.length / 3);
    const b = Math.floor((2 * xs.length) / 3);
    const m = new RunningStats()
      .pushAll(xs.slice(0, a))
      .merge(new RunningStats().pushAll(xs.slice(a, b)))
      .merge(new RunningStats().pushAll(xs.slice(b)).snapshot());
    same(
      { ...s0, count: m.count, skipped: m.skipped, mean: m.mean, std: m.std(), min: m.min, max: m.max },
      c.ddof0,
      'merged',
      false,
    );
    const restored = RunningStats.fromState(JSON.parse(JSON.stringify(m.snapshot())));
    close(restored.variance(1), m.variance(1), 'restored variance');
  });
}

for (const c of weighted) {
  test(`weightedTotal and rewardStatistics match numpy's nansum (TRL): ${c.name}`, () => {
    closeAll(weightedTotal(c.rewards, c.weights), c.total, 'total');
    const s = rewardStatistics(c.rewards, { weights: c.weights });
    for (const [name, e] of Object.entries(c.functions)) same(s.functions[name]!, e, name);
    same(s.total, c.totalSummary, 'total summary');
  });
}

test('weightedTotal rejects a non-finite weight with the function name', () => {
  assert.throws(() => weightedTotal({ a: [1] }, { a: Number.NaN }), /weight of "a" must be finite/);
});

test('RunningStats: empty is NaN, non-finite values are counted not added, reset forgets', () => {
  const r = new RunningStats();
  assert.ok(Number.isNaN(r.mean) && Number.isNaN(r.std()) && Number.isNaN(r.min));
  r.push(Number.NaN).push(Number.POSITIVE_INFINITY).push(2);
  assert.equal(r.count, 1);
  assert.equal(r.skipped, 2);
  assert.equal(r.std(), 0);
  assert.ok(Number.isNaN(r.std(1)));
  r.reset();
  assert.equal(r.count, 0);
  assert.equal(r.skipped, 0);
});
