import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ProtoWriter } from '../src/internal/ProtoWriter.js';

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

test('ProtoWriter: doubles and floats are the little-endian IEEE 754 bytes Buffer writes', () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.double(), fc.float(), fc.constantFrom(...SPECIAL)), { maxLength: 40 }),
      (values) => {
        for (const kind of ['double', 'float'] as const) {
          const w = new ProtoWriter(4);
          for (const v of values) w[kind](v);
          assert.deepEqual(Buffer.from(w.finish()), viaBuffer(kind, values));
          const packed = new ProtoWriter(4);
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
  const w = new ProtoWriter(1);
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
