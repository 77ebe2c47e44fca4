// StringSanitizer and normalizeAttributes on hostile strings and values, checked against
// expectations written out by hand (and a property: the output is always well-formed UTF-16).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getLogger, withSpan } from '@grpo-otel/sdk';
import fc from 'fast-check';
import { MAX_KEY_LENGTH, normalizeAttributes } from '../src/internal/normalizeAttributes.js';
import { type SanitizeReason, StringSanitizer } from '../src/internal/StringSanitizer.js';

function sanitizer(max = 10, redact: RegExp[] = []) {
  const counts: Partial<Record<SanitizeReason, number>> = {};
  const z = new StringSanitizer(max, redact, (r) => {
    counts[r] = (counts[r] ?? 0) + 1;
  });
  return { z, counts };
}

test('control characters and lone surrogates become U+FFFD, counted once per string', () => {
  const { z, counts } = sanitizer(100);
  assert.equal(z.apply('a\u0000b\u001b[31mc\u007fd\u0085'), 'a\uFFFDb\uFFFD[31mc\uFFFDd\uFFFD');
  assert.equal(z.apply('x\uD800y\uDC00z'), 'x\uFFFDy\uFFFDz');
  assert.equal(z.apply('pair \uD83D\uDE00 ok'), 'pair \uD83D\uDE00 ok');
  assert.equal(z.apply('tab\tand\nlines\r\n'), 'tab\tand\nlines\r\n');
  assert.deepEqual(counts, { control_characters: 2 });
});

test('truncation keeps surrogate pairs whole and says how much was cut', () => {
  const { z, counts } = sanitizer(5);
  assert.equal(z.apply('abcd\uD83D\uDE00xyz'), 'abcd…[truncated 5 chars]');
  assert.equal(z.apply('abcde'), 'abcde');
  assert.equal(z.apply('abcdefgh'), 'abcde…[truncated 3 chars]');
  assert.deepEqual(counts, { truncated: 2 });
});

test('the output is always well-formed, at most the limit plus the marker', () => {
  const { z } = sanitizer(16);
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
      const out = z.apply(s);
      assert.doesNotMatch(out, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
      assert.doesNotMatch(out, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
      assert.ok(out.length <= 16 + '…[truncated 99 chars]'.length);
    }),
    { numRuns: 300, seed: 7 },
  );
});

test('normalizeAttributes: coerces, drops and counts what OTel would discard silently', () => {
  const { z, counts } = sanitizer(100);
  let dropped = 0;
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const attrs: Record<string, unknown> = {
    ok: 1,
    nan: Number.NaN,
    inf: Number.NEGATIVE_INFINITY,
    big: 12345678901234567890n,
    '': 'empty key',
    sym: Symbol('s'),
    fn: () => 1,
    date: new Date(0),
    err: new TypeError('bad'),
    arr: [1, Symbol('x'), 'a\u0000'],
    nested: { deep: { inf: Number.POSITIVE_INFINITY } },
    cyclic,
    map: new Map(),
    [`${'k'.repeat(MAX_KEY_LENGTH + 10)}`]: 'long key',
  };
  Object.defineProperty(attrs, '__proto__', { value: 'p', enumerable: true });
  const out = normalizeAttributes(attrs as never, z, (n) => {
    dropped += n;
  });
  assert.deepEqual(out, {
    ok: 1,
    nan: 'NaN',
    inf: '-Infinity',
    big: '12345678901234567890',
    date: '1970-01-01T00:00:00.000Z',
    err: 'TypeError: bad',
    arr: [1, null, 'a\uFFFD'],
    nested: { deep: { inf: 'Infinity' } },
    cyclic: {},
    [`${'k'.repeat(MAX_KEY_LENGTH)}…[truncated 10 chars]`]: 'long key',
  });
  // '', sym, fn, the array's symbol, the cycle's back-reference, the Map, __proto__.
  assert.equal(dropped, 7);
  assert.deepEqual(counts, { coerced: 6, control_characters: 1, truncated: 1 });
});

test('a valid map comes back as the same object (no copy on the hot path)', () => {
  const { z } = sanitizer(100);
  const attrs = { a: 1, b: 'x', c: [1, 2], d: { e: true }, f: null };
  assert.equal(
    normalizeAttributes(attrs, z, () => assert.fail('nothing to drop')),
    attrs,
  );
});

test('before initialize(), a hostile message to a channel logger does not throw', () => {
  assert.doesNotThrow(() => getLogger('unbound').info(Symbol('quiet') as unknown as string));
  assert.doesNotThrow(() => getLogger('unbound').log(undefined as unknown as string, 'x'));
});

test('withSpan: a callback that is not a function is a TypeError (a programmer error), named clearly', () => {
  assert.throws(() => withSpan('x', {}, 42 as never), {
    name: 'TypeError',
    message: 'withSpan: fn must be a function, got number',
  });
});
