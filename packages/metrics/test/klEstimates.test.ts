import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type KlEstimates, klEstimates } from '@grpo-otel/metrics';
import { close, fixture, type GenSpec, split, values } from './helpers.js';

interface Case {
  name: string;
  policy: number[][] | GenSpec;
  ref?: number[][];
  refDelta?: GenSpec;
  split?: number;
  expect: KlEstimates;
}
const cases = fixture<Case[]>('kl.json');

for (const c of cases) {
  test(`klEstimates (k1, k3) match numpy: ${c.name}`, () => {
    let policy: number[][];
    let ref: number[][];
    if (Array.isArray(c.policy)) {
      policy = c.policy;
      ref = c.ref!;
    } else {
      const p = values(c.policy);
      const d = values(c.refDelta!);
      policy = split(p, c.split!);
      ref = split(
        p.map((x, i) => x + d[i]!),
        c.split!,
      );
    }
    const got = klEstimates(policy, ref);
    for (const k of ['k1', 'k3'] as const) {
      for (const a of ['tokenMean', 'sequenceMean', 'sequenceSum'] as const) {
        close(got[k][a], c.expect[k][a], `${k}.${a}`);
      }
    }
    assert.equal(got.tokens, c.expect.tokens, 'tokens');
    assert.equal(got.sequences, c.expect.sequences, 'sequences');
    assert.equal(got.skipped, c.expect.skipped, 'skipped');
  });
}
