// fast-check arbitraries of hostile input for the public API (shared by the hostile-input tests).
import fc from 'fast-check';

/** The numbers that break arithmetic: NaN, ±Infinity, -0, the ends of the double range, unsafe integers. */
export const EXTREME_NUMBERS: readonly number[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
];

/** Numbers a trainer can produce by accident: the extremes often, and ordinary ones. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(...EXTREME_NUMBERS),
  fc.double(),
  fc.integer(),
);

/** Finite doubles over the whole range, their extremes often (no NaN, no ±Infinity). */
export const finiteNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(...EXTREME_NUMBERS.filter(Number.isFinite)),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Text payloads aimed at each sink: CSV formulas, HTML/markdown for TensorBoard, control characters. */
export const PAYLOADS: readonly string[] = [
  '=HYPERLINK("http://127.0.0.1/x","click")',
  "=cmd|' /C calc'!A0",
  '+1+2',
  '-2+3',
  '@SUM(A1:A2)',
  '\t=1',
  '\r=1',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[click](javascript:alert(1))',
  '<a href="javascript:alert(1)">x</a>',
  '# heading\n| a | b |\n|---|---|\n| <b>x</b> | `y` |',
  '```\ncode\n```',
  '\u0000\u0001\u0007\u001b[31mred\u001b[0m\u007f\u0085',
  '\uD800',
  '\uDC00 lone low',
  'pair \uD83D\uDE00 then lone \uD83D',
  '123456789012345678901234567890',
  '-0',
  'NaN',
  'line1\nline2\r\nline3\u2028x',
  '"quoted", with, commas',
  '',
];

/** Strings: payloads, arbitrary UTF-16 (lone surrogates included), binary-like, and long ones. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PAYLOADS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      maxLength: 40,
    }),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...PAYLOADS), fc.integer({ min: 1000, max: 20_000 }))
      .map(([p, n]) => p + 'x'.repeat(n)),
  },
);

/** Attribute keys with odd characters. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    'a.b[0]',
    'x\ny',
    'k\u0000',
    '\uD800',
    'ключ',
    '键',
    '🙂',
    'constructor',
    '__proto__',
    'toString',
    'grpo.step',
    'x',
    'question',
  ),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: 300, max: 2000 }).map((n) => 'k'.repeat(n)),
);

function cyclic(): unknown {
  const o: Record<string, unknown> = { a: 1 };
  o.self = o;
  return o;
}

function throwingToString(): unknown {
  const o = Object.create(null) as Record<string, unknown>;
  o.toString = () => {
    throw new Error('toString throws');
  };
  return o;
}

class Custom {
  x = 1;
}

/** Values of any JavaScript type, valid OTel AnyValues or not. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileNumber,
    hostileString,
    fc.bigInt(),
    fc.boolean(),
    fc.constantFrom(null, undefined),
    fc.constant(Symbol('s')),
    fc.constant(() => 1),
    fc.constant(new Date(0)),
    fc.constant(new Date(Number.NaN)),
    fc.constant(new Error('boom')),
    fc.constant(new Uint8Array([0, 255, 10])),
    fc.constant(new Float32Array([1.5, Number.NaN])),
    fc.constant(new Map([['a', 1]])),
    fc.constant(new Custom()),
    fc.constant(null).map(cyclic),
    fc.constant(null).map(throwingToString),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** An attributes argument: usually a map with hostile keys and values, sometimes not a map at all. */
export const hostileAttributes: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(hostileKey, hostileValue, { maxKeys: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, 'attrs', 42, [1, 2]) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 129, max: 200 })
      .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))),
  },
);
