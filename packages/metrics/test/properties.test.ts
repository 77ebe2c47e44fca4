// Invariants checked on random inputs (fast-check): bounds, non-negativity, incremental == batch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  autoHistogram,
  distinctN,
  extractNumericAnswer,
  groupAdvantages,
  histogram,
  klEstimates,
  pairwiseCorrelations,
  pearson,
  RollingWindow,
  RunningStats,
  rank,
  repetitionRate,
  spearman,
  summarize,
  tokenEntropy,
  xmlFormat,
} from '@grpo-otel/metrics';
import fc from 'fast-check';

const RUNS = { numRuns: 200 };
const near = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
/** Finite doubles of moderate magnitude (squares stay finite), sometimes with a large common offset. */
const moderate = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const sample = fc
  .tuple(fc.array(moderate, { maxLength: 300 }), fc.constantFrom(0, 1e9, -3e7))
  .map(([xs, off]) => xs.map((x) => x + off));
const withJunk = fc.array(
  fc.oneof(
    { weight: 8, arbitrary: moderate },
    { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
  ),
  { maxLength: 200 },
);
const logits = fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: 1, maxLength: 40 });
function logSoftmax(z: number[]): number[] {
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((s, x) => s + Math.exp(x - m), 0));
  return z.map((x) => x - lse);
}

test('RunningStats (streaming, merged) == summarize (batch)', () => {
  fc.assert(
    fc.property(sample, fc.nat(), (xs, cut) => {
      const s = summarize(xs);
      const k = xs.length ? cut % (xs.length + 1) : 0;
      const a = new RunningStats().pushAll(xs);
      const b = new RunningStats().pushAll(xs.slice(0, k)).merge(new RunningStats().pushAll(xs.slice(k)));
      // rounding is relative to the data's magnitude (a mean near 0 of values near 1e6 is not exact)
      const scale = xs.reduce((m, x) => Math.max(m, Math.abs(x)), 1);
      for (const r of [a, b]) {
        assert.equal(r.count, s.count);
        if (s.count === 0) continue;
        assert.ok(Math.abs(r.mean - s.mean) <= 1e-12 * scale, `mean ${r.mean} vs ${s.mean}`);
        assert.ok(Math.abs(r.std() - s.std) <= 1e-9 * Math.max(1, s.std), `std ${r.std()} vs ${s.std}`);
        assert.ok(r.min === s.min && r.max === s.max, 'min and max'); // 0 === -0
      }
    }),
    RUNS,
  );
});

test('RollingWindow == recompute over the last w finite values, at every push', () => {
  fc.assert(
    fc.property(withJunk, fc.integer({ min: 1, max: 20 }), (xs, w) => {
      const win = new RollingWindow(w);
      const kept: number[] = [];
      for (const x of xs) {
        win.push(x);
        if (Number.isFinite(x)) kept.push(x);
        const last = kept.slice(-w);
        const s = summarize(last);
        assert.equal(win.count, s.count);
        if (s.count === 0) continue;
        // the rounding of O(1) updates reflects the values seen since the last exact recompute (< 2w)
        const scale = kept.slice(-2 * w).reduce((m, v) => Math.max(m, Math.abs(v)), 1);
        assert.ok(Math.abs(win.mean - s.mean) <= 1e-12 * scale, `mean ${win.mean} vs ${s.mean}`);
        // O(1) updates leave ~1e-16 * scale^2 in the variance (its sqrt dominates a std near 0)
        const v = s.std * s.std;
        assert.ok(
          Math.abs(win.variance() - v) <= 1e-9 * v + 1e-13 * scale * scale,
          `var ${win.variance()} vs ${v}`,
        );
        if (s.min === s.max) assert.equal(win.std(), 0, 'a constant window has std exactly 0');
        assert.ok(win.min === s.min && win.max === s.max, 'min and max'); // 0 === -0
      }
    }),
    RUNS,
  );
});

test('token entropy is >= 0 (and <= log of the support), full or top-k, either mode', () => {
  fc.assert(
    fc.property(
      fc.array(logits, { minLength: 1, maxLength: 20 }),
      fc.integer({ min: 1, max: 40 }),
      fc.constantFrom('renormalize' as const, 'lowerBound' as const),
      (rows, k, topK) => {
        const lps = rows.map((z) =>
          logSoftmax(z)
            .sort((a, b) => b - a)
            .slice(0, k),
        );
        const h = tokenEntropy({ logprobs: lps }, { topK });
        assert.ok(h.value >= 0, `entropy ${h.value}`);
        const maxSupport = Math.max(...lps.map((r) => r.length)) + (topK === 'lowerBound' ? 1 : 0);
        assert.ok(h.value <= Math.log(maxSupport) + 1e-12, `entropy ${h.value} above log ${maxSupport}`);
      },
    ),
    RUNS,
  );
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 50 }), { maxLength: 10 }),
      (seqs) => {
        const h = tokenEntropy({ tokens: seqs });
        if (h.tokens > 0) assert.ok(h.value >= 0 && h.value <= Math.log(31) + 1e-12, `entropy ${h.value}`);
      },
    ),
    RUNS,
  );
});

test('k3 KL is >= 0 per token, so every k3 average is >= 0; identical policies give 0', () => {
  const lp = fc.double({ min: -50, max: 0, noNaN: true });
  fc.assert(
    fc.property(fc.array(fc.array(fc.tuple(lp, lp), { maxLength: 30 }), { maxLength: 10 }), (seqs) => {
      const p = seqs.map((s) => s.map(([a]) => a));
      const q = seqs.map((s) => s.map(([, b]) => b));
      const kl = klEstimates(p, q);
      if (kl.tokens === 0) return;
      assert.ok(kl.k3.tokenMean >= 0 && kl.k3.sequenceMean >= 0 && kl.k3.sequenceSum >= 0);
      const same = klEstimates(p, p);
      assert.equal(same.k3.tokenMean, 0);
      assert.equal(same.k1.tokenMean, 0);
    }),
    RUNS,
  );
});

test('correlations are in [-1, 1] or NaN; ranks sum to n(n+1)/2', () => {
  const pairs = fc.array(
    fc.tuple(
      withJunk.map((a) => a[0] ?? 0),
      moderate,
    ),
    { maxLength: 80 },
  );
  fc.assert(
    fc.property(pairs, fc.boolean(), (ps, ties) => {
      const x = ps.map(([a]) => (ties ? Math.round(a / 3e5) : a));
      const y = ps.map(([, b]) => b);
      for (const r of [pearson(x, y), spearman(x, y)]) {
        assert.ok(Number.isNaN(r) || (r >= -1 && r <= 1), `r = ${r}`);
      }
      for (const c of pairwiseCorrelations({ x, y, z: y.map((v) => -v) })) {
        assert.ok(Number.isNaN(c.pearson) || (c.pearson >= -1 && c.pearson <= 1));
        assert.ok(Number.isNaN(c.spearman) || (c.spearman >= -1 && c.spearman <= 1));
      }
      const finite = y.filter(Number.isFinite);
      const rs = rank(finite);
      const n = finite.length;
      assert.ok(
        near(
          rs.reduce((s, v) => s + v, 0),
          (n * (n + 1)) / 2,
          1e-12,
        ),
      );
    }),
    RUNS,
  );
});

test('group advantages have mean ~0 in every group (any scaling), and 0 for constant groups', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 16 }),
      fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { maxLength: 128 }),
      fc.constantFrom('group' as const, 'batch' as const, 'none' as const),
      (g, rewards, scaleRewards) => {
        const a = groupAdvantages(rewards, { groupSize: g, scaleRewards });
        for (let start = 0; start < rewards.length; start += g) {
          const adv = Array.from(a.advantages.subarray(start, start + g));
          const mean = adv.reduce((s, v) => s + v, 0) / adv.length;
          // |mean| is bounded by rounding of (r - mean_g) / (std + eps), relative to the rewards' scale
          assert.ok(Math.abs(mean) <= 1e-9 * (1 + 100 / 1e-4), `group at ${start}: mean advantage ${mean}`);
          if (adv.length > 1 && rewards.slice(start, start + g).every((r) => r === rewards[start])) {
            assert.ok(adv.every((v) => v === 0));
          }
        }
        assert.ok(
          Number.isNaN(a.fracRewardZeroStd) || (a.fracRewardZeroStd >= 0 && a.fracRewardZeroStd <= 1),
        );
      },
    ),
    RUNS,
  );
});

test('distinct-n and repetition rate are in [0, 1]', () => {
  const word = fc.constantFrom('a', 'b', 'c', 'the', 'answer', '42');
  const text = fc.array(word, { maxLength: 30 }).map((ws) => ws.join(' '));
  fc.assert(
    fc.property(fc.array(text, { maxLength: 12 }), fc.integer({ min: 1, max: 5 }), (texts, n) => {
      const d = distinctN(texts, n);
      if (d.total > 0) assert.ok(d.value > 0 && d.value <= 1, `distinct-${n} ${d.value}`);
      else assert.ok(Number.isNaN(d.value));
      const r = repetitionRate(texts, n);
      if (r.sequences > 0) assert.ok(r.value >= 0 && r.value < 1, `rep-${n} ${r.value}`);
    }),
    RUNS,
  );
});

test('histograms count every finite value exactly once', () => {
  fc.assert(
    fc.property(withJunk, fc.uniqueArray(moderate, { maxLength: 10 }), (xs, b) => {
      const bounds = [...new Set(b.map((x) => x + 0))].sort((p, q) => p - q); // -0 + 0 is 0
      const finite = xs.filter(Number.isFinite).length;
      const h = histogram(xs, bounds);
      assert.equal(
        h.counts.reduce((s, v) => s + v, 0),
        finite,
      );
      const a = autoHistogram(xs);
      assert.equal(
        a.counts.reduce((s, v) => s + v, 0),
        finite,
      );
      for (let i = 1; i < a.edges.length; i++) assert.ok(a.edges[i]! > a.edges[i - 1]!);
    }),
    RUNS,
  );
});

test('xmlFormat (linear scans) agrees with the regular expressions it documents', () => {
  const strictRe = /^<reasoning>\n[\s\S]*?\n<\/reasoning>\n<answer>\n[\s\S]*?\n<\/answer>\n?$/;
  const lenientRe = /<reasoning>[\s\S]*?<\/reasoning>[\s\S]*?<answer>[\s\S]*?<\/answer>/;
  const unit = fc.constantFrom(
    '<reasoning>',
    '</reasoning>',
    '<answer>',
    '</answer>',
    '\n',
    'x',
    ' ',
    '<',
    '>',
  );
  fc.assert(
    fc.property(fc.string({ unit, maxLength: 14 }), (s) => {
      const f = xmlFormat(s);
      assert.equal(f.strict, strictRe.test(s), JSON.stringify(s));
      assert.equal(f.lenient, lenientRe.test(s), JSON.stringify(s));
      if (f.strict) assert.ok(f.lenient);
    }),
    { numRuns: 2000 },
  );
});

test('extractNumericAnswer reads back integers and decimals however they are written', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: -1e12, max: 1e12 }),
      fc.integer({ min: 0, max: 99 }),
      fc.boolean(),
      (n, cents, commas) => {
        const abs = Math.abs(n);
        const digits = commas ? abs.toLocaleString('en-US') : String(abs);
        const text = `so the total is ${n < 0 ? '-' : ''}${digits}.${String(cents).padStart(2, '0')} dollars`;
        const expected = (n < 0 ? -1 : 1) * Number(`${abs}.${String(cents).padStart(2, '0')}`);
        assert.equal(extractNumericAnswer(text)?.value, expected, text);
        assert.equal(extractNumericAnswer(`<answer>${n}</answer> then 7`)?.value, n);
      },
    ),
    RUNS,
  );
});
