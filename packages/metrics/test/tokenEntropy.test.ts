import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type TokenEntropy, type TopKEntropy, tokenEntropy } from '@grpo-otel/metrics';
import { close, fixture, type GenSpec, split, values } from './helpers.js';

interface LogprobCase {
  name: string;
  logprobs: number[][];
  topK: TopKEntropy;
  expect: TokenEntropy;
}
interface FrequencyCase {
  name: string;
  tokens: (number | string)[][] | GenSpec;
  split?: number;
  expect: { value: number; method: string; tokens: number };
}
interface ReportedCase {
  name: string;
  entropies: number[][];
  expect: TokenEntropy;
}
const { logprobs, reported, frequency } = fixture<{
  logprobs: LogprobCase[];
  reported: ReportedCase[];
  frequency: FrequencyCase[];
}>('entropy.json');

function check(got: TokenEntropy, e: LogprobCase['expect']) {
  close(got.value, e.value, 'entropy');
  assert.equal(got.method, e.method);
  assert.equal(got.tokens, e.tokens, 'tokens');
  assert.equal(got.truncated, e.truncated, 'truncated');
  assert.equal(got.skipped, e.skipped, 'skipped');
}

for (const c of logprobs) {
  test(`tokenEntropy from logprobs matches scipy.stats.entropy: ${c.name}`, () => {
    check(tokenEntropy({ logprobs: c.logprobs }, { topK: c.topK }), c.expect);
  });
  // the same rows as one dense matrix (rows padded with -Infinity), when they can share a width
  const width = Math.max(0, ...c.logprobs.map((r) => r.length));
  if (width > 0 && c.logprobs.every((r) => r.length > 0)) {
    test(`tokenEntropy from a padded LogprobMatrix equals the row form: ${c.name}`, () => {
      const data = new Float64Array(c.logprobs.length * width).fill(Number.NEGATIVE_INFINITY);
      c.logprobs.forEach((r, t) => {
        data.set(r, t * width);
      });
      check(tokenEntropy({ logprobs: { data, width } }, { topK: c.topK }), c.expect);
    });
  }
}

for (const c of reported) {
  test(`tokenEntropy from per-token entropies is their mean (numpy): ${c.name}`, () => {
    check(tokenEntropy({ entropies: c.entropies }), c.expect);
    // typed arrays, as a trainer's tensors come out
    check(tokenEntropy({ entropies: c.entropies.map((q) => Float64Array.from(q)) }), c.expect);
  });
}

for (const c of frequency) {
  test(`tokenEntropy from sampled token frequencies matches scipy.stats.entropy(counts): ${c.name}`, () => {
    const tokens = Array.isArray(c.tokens) ? c.tokens : split(values(c.tokens), c.split!);
    const got = tokenEntropy({ tokens });
    close(got.value, c.expect.value, 'entropy');
    assert.equal(got.method, c.expect.method);
    assert.equal(got.tokens, c.expect.tokens);
  });
}

test('tokenEntropy prefers logprobs, then entropies, then tokens, and says "none" without any', () => {
  assert.equal(tokenEntropy({ logprobs: [[0]], tokens: [[1, 2]] }).method, 'distribution');
  assert.equal(
    tokenEntropy({ logprobs: [[0]], entropies: [[0.5]], tokens: [[1, 2]] }).method,
    'distribution',
  );
  const reported = tokenEntropy({ entropies: [[0.5, 1.5]], tokens: [[1, 2]] });
  assert.equal(reported.method, 'reported');
  assert.equal(reported.value, 1);
  const none = tokenEntropy({});
  assert.equal(none.method, 'none');
  assert.ok(Number.isNaN(none.value));
  assert.throws(
    () => tokenEntropy({ logprobs: { data: [0], width: 0 } }),
    /width must be a positive integer/,
  );
});
