import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProtobufWriter } from '@grpo-otel/protobuf';
import fc from 'fast-check';

/** The little-endian bytes Node's Buffer writes for `v` as a double or a float. */
function viaBuffer(kind: 'double' | 'float', values: number[]): Buffer {
  const size = kind === 'double' ? 8 : 4;
  const b = Buffer.alloc(values.length * size);
  values.forEach((v, i) => {
    if (kind === 'double') b.writeDoubleLE(v, i * size);
    else b.writeFloatLE(v, i * size);
  });
  return b;
}

const SPECIAL = [
  0,
  -0,
  1,
  -1,
  Number.NaN,
  Infinity,
  -Infinity,
  Number.MIN_VALUE,
  Number.MAX_VALUE,
  3.4e38,
  3.5e38,
  1e-46,
  0.1,
];

test('ProtobufWriter: doubles and floats are the little-endian IEEE 754 bytes Buffer writes', () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.double(), fc.float(), fc.constantFrom(...SPECIAL)), { maxLength: 40 }),
      (values) => {
        for (const kind of ['double', 'float'] as const) {
          const w = new ProtobufWriter(4);
          for (const v of values) w[kind](v);
          assert.deepEqual(Buffer.from(w.finish()), viaBuffer(kind, values));
          const packed = new ProtobufWriter(4);
          if (kind === 'double') packed.packedDoubles(1, values);
          else packed.packedFloats(1, values);
          const body = viaBuffer(kind, values);
          // key (field 1, length-delimited), length, then the values.
          const expected =
            values.length === 0
              ? Buffer.alloc(0)
              : Buffer.concat([Buffer.from([0x0a]), varint(body.length), body]);
          assert.deepEqual(Buffer.from(packed.finish()), expected);
        }
      },
    ),
    { numRuns: 300 },
  );
  // Known encodings: 1.0 and -2.5 as doubles; 0.1 rounds to the float 0x3dcccccd.
  const w = new ProtobufWriter(1);
  w.doubleField(1, 1);
  w.doubleField(2, -2.5);
  w.floatField(3, 0.1);
  assert.equal(
    Buffer.from(w.finish()).toString('hex'),
    `09${'000000000000f03f'}11${'00000000000004c0'}1d${'cdcccc3d'}`,
  );
});

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

test('ProtobufWriter: varints are minimal; negative integers take ten bytes (two’s complement)', () => {
  const hex = (f: (w: ProtobufWriter) => void): string => {
    const w = new ProtobufWriter(1);
    f(w);
    return Buffer.from(w.finish()).toString('hex');
  };
  const known: [(w: ProtobufWriter) => void, string][] = [
    [(w) => w.uvarint(0), '00'],
    [(w) => w.uvarint(127), '7f'],
    [(w) => w.uvarint(300), 'ac02'],
    [(w) => w.uvarint(2 ** 32), '8080808010'],
    [(w) => w.uvarint(Number.MAX_SAFE_INTEGER), 'ffffffffffffff0f'],
    [(w) => w.int64(-1), 'ffffffffffffffffff01'],
    [(w) => w.int64(-(2 ** 40)), '8080808080e0ffffff01'],
    [(w) => w.sint32(-2), '03'],
    [(w) => w.sfixed64(-2), 'feffffffffffffff'],
  ];
  for (const [write, expected] of known) assert.equal(hex(write), expected);
  fc.assert(
    fc.property(fc.maxSafeInteger(), (n) => {
      const w = new ProtobufWriter(1);
      w.int64(n);
      const expected = BigInt.asUintN(64, BigInt(n));
      let v = 0n;
      const bytes = w.finish();
      for (let i = bytes.length - 1; i >= 0; i--) v = (v << 7n) | BigInt(bytes[i]! & 0x7f);
      assert.equal(v, expected);
      assert.equal(bytes.length, Math.max(1, Math.ceil(expected.toString(2).length / 7)));
    }),
  );
});

test('ProtobufWriter: strings are UTF-8 (lone surrogates as U+FFFD); long nested bodies move up for their length', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
      const w = new ProtobufWriter(1);
      w.stringField(1, s);
      const body = Buffer.from(new TextEncoder().encode(s));
      assert.deepEqual(
        Buffer.from(w.finish()),
        Buffer.concat([Buffer.from([0x0a]), varint(body.length), body]),
      );
    }),
  );
  for (const size of [0, 127, 128, 16383, 16384, 2 ** 21]) {
    const w = new ProtobufWriter(4);
    w.uvarint(9);
    const mark = w.fork(2);
    w.raw(new Uint8Array(size).fill(7));
    w.ldelim(mark);
    w.uvarint(5);
    const out = Buffer.from(w.finish());
    assert.deepEqual(
      out,
      Buffer.concat([Buffer.from([9, 0x12]), varint(size), Buffer.alloc(size, 7), Buffer.from([5])]),
      `a body of ${size} bytes`,
    );
  }
});

test('ProtobufWriter: reset() starts over; view() and finish() hold what was written since', () => {
  const w = new ProtobufWriter(2);
  w.stringField(1, 'first');
  w.reset();
  w.boolField(3, true);
  assert.equal(w.view().toString('hex'), '1801');
  const copy = w.finish();
  w.reset();
  w.boolField(3, false);
  assert.equal(Buffer.from(copy).toString('hex'), '1801');
});
