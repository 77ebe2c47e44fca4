// Text metrics against plain-Python references (re, str.split, sets of tuples) from the generator.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clippedRatio,
  distinctN,
  duplicateCompletions,
  formatAdherence,
  lengthDistribution,
  parseCompletion,
  reasoningAnswerRatio,
  repetitionRate,
  tokenizeWords,
  xmlFormat,
} from '@grpo-otel/metrics';
import { close, fixture } from './helpers.js';

interface Stats {
  count: number;
  skipped: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  median: number;
}
interface Fixture {
  xml: {
    text: string;
    strict: boolean;
    lenient: boolean;
    sections: { reasoning?: string; answer?: string };
  }[];
  ratio: {
    texts: string[];
    expect: {
      ratio: number;
      meanRatio: number;
      reasoningTokens: number;
      answerTokens: number;
      parsed: number;
      skipped: number;
    };
  };
  tokenize: { text: string; words: string[] }[];
  lengths: { texts: string[]; tokenCounts: number[]; expect: { chars: Stats; tokens: Stats } }[];
  clipped: {
    name: string;
    tokenCounts: number[];
    maxTokens: number | null;
    terminated: boolean[] | null;
    expect: { ratio: number; clipped: number; total: number; terminatedLengths: Stats };
  }[];
  ngrams: {
    name: string;
    sequences: (string | (number | string)[])[];
    distinct: Record<string, { value: number; unique: number; total: number }>;
    repetition: Record<string, { value: number; sequences: number; skipped: number }>;
  }[];
  duplicates: {
    name: string;
    texts: string[];
    groupSize?: number;
    groupSizes?: number[];
    expect: {
      rate: number;
      duplicates: number;
      total: number;
      groupsWithDuplicates: number;
      identicalGroups: number;
      groups: number;
    };
  }[];
}
const f = fixture<Fixture>('text.json');

function sameStats(a: Stats, e: Stats, what: string) {
  assert.equal(a.count, e.count, `${what}: count`);
  assert.equal(a.skipped, e.skipped, `${what}: skipped`);
  for (const k of ['mean', 'std', 'min', 'max', 'median'] as const) close(a[k], e[k], `${what}: ${k}`);
}

const show = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…(${s.length})` : s);

test('xmlFormat matches Python re.fullmatch (strict) and re.search (lenient); parseCompletion matches str.split', () => {
  for (const c of f.xml) {
    assert.deepEqual(xmlFormat(c.text), { strict: c.strict, lenient: c.lenient }, show(c.text));
    assert.deepEqual(parseCompletion(c.text), c.sections, show(c.text));
  }
  const a = formatAdherence(f.xml.map((c) => c.text));
  assert.equal(a.strictCount, f.xml.filter((c) => c.strict).length);
  assert.equal(a.lenientCount, f.xml.filter((c) => c.lenient).length);
  assert.equal(a.total, f.xml.length);
  close(a.strict, a.strictCount / f.xml.length, 'strict rate');
});

test('reasoningAnswerRatio counts words as Python len(s.split())', () => {
  const got = reasoningAnswerRatio(f.ratio.texts);
  const e = f.ratio.expect;
  close(got.ratio, e.ratio, 'ratio');
  close(got.meanRatio, e.meanRatio, 'meanRatio');
  assert.deepEqual(
    [got.reasoningTokens, got.answerTokens, got.parsed, got.skipped],
    [e.reasoningTokens, e.answerTokens, e.parsed, e.skipped],
  );
});

test("tokenizeWords splits exactly as Python's str.split()", () => {
  for (const c of f.tokenize) assert.deepEqual(tokenizeWords(c.text), c.words, show(c.text));
});

test('lengthDistribution: characters as Python len (code points), tokens as numpy', () => {
  for (const c of f.lengths) {
    const got = lengthDistribution({ texts: c.texts, tokenCounts: c.tokenCounts });
    sameStats(got.chars!, c.expect.chars, 'chars');
    sameStats(got.tokens!, c.expect.tokens, 'tokens');
  }
});

for (const c of f.clipped) {
  test(`clippedRatio: ${c.name}`, () => {
    const input: Parameters<typeof clippedRatio>[0] = { tokenCounts: c.tokenCounts };
    if (c.maxTokens !== null) input.maxTokens = c.maxTokens;
    if (c.terminated !== null) input.terminated = c.terminated;
    const got = clippedRatio(input);
    close(got.ratio, c.expect.ratio, 'ratio');
    assert.equal(got.clipped, c.expect.clipped);
    assert.equal(got.total, c.expect.total);
    const tl = c.expect.terminatedLengths;
    assert.equal(got.terminatedLengths.count, tl.count);
    for (const k of ['mean', 'std', 'min', 'max', 'median'] as const)
      close(got.terminatedLengths[k], tl[k], k);
  });
}

for (const c of f.ngrams) {
  test(`distinctN and repetitionRate match Python sets of n-gram tuples: ${c.name}`, () => {
    for (const [n, e] of Object.entries(c.distinct)) {
      const got = distinctN(c.sequences, Number(n));
      close(got.value, e.value, `distinct-${n}`);
      assert.equal(got.unique, e.unique, `distinct-${n} unique`);
      assert.equal(got.total, e.total, `distinct-${n} total`);
    }
    for (const [n, e] of Object.entries(c.repetition)) {
      const got = repetitionRate(c.sequences, Number(n));
      close(got.value, e.value, `rep-${n}`);
      assert.equal(got.sequences, e.sequences, `rep-${n} sequences`);
      assert.equal(got.skipped, e.skipped, `rep-${n} skipped`);
    }
  });
}

for (const c of f.duplicates) {
  test(`duplicateCompletions within groups: ${c.name}`, () => {
    const opts: Parameters<typeof duplicateCompletions>[1] = {};
    if (c.groupSize !== undefined) opts.groupSize = c.groupSize;
    if (c.groupSizes !== undefined) opts.groupSizes = c.groupSizes;
    const got = duplicateCompletions(c.texts, opts);
    close(got.rate, c.expect.rate, 'rate');
    const { rate: _r, ...rest } = got;
    const { rate: _e, ...expected } = c.expect;
    assert.deepEqual(rest, expected);
  });
}

test('duplicateCompletions normalize option; repetitionRate default n is 4', () => {
  assert.equal(duplicateCompletions(['a ', ' a'], { normalize: (s) => s.trim() }).duplicates, 1);
  assert.equal(repetitionRate(['a b c d a b c d']).value, 1 - 4 / 5);
});
