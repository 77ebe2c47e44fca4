import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32c, maskCrc32c, unmaskCrc32c } from '@grpo-otel/exporter-tensorboard';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// RFC 3720 (iSCSI), appendix B.4: CRC-32C test vectors.
const RFC3720: [string, Uint8Array, number][] = [
  ['32 bytes of zeros', new Uint8Array(32), 0x8a9136aa],
  ['32 bytes of 0xff', new Uint8Array(32).fill(0xff), 0x62a8ab43],
  ['32 incrementing bytes 0x00..0x1f', Uint8Array.from({ length: 32 }, (_, i) => i), 0x46dd794e],
  ['32 decrementing bytes 0x1f..0x00', Uint8Array.from({ length: 32 }, (_, i) => 31 - i), 0x113fdb5c],
  [
    'an iSCSI SCSI Read (10) command PDU',
    hex(`01 c0 00 00 00 00 00 00 00 00 00 00 00 00 00 00
         14 00 00 00 00 00 04 00 00 00 00 14 00 00 00 18
         28 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00`),
    0xd9963a56,
  ],
];

for (const [name, data, expected] of RFC3720) {
  test(`crc32c: RFC 3720 vector, ${name}`, () => {
    assert.equal(crc32c(data), expected);
  });
}

test('crc32c: the check value of "123456789" is 0xe3069283', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
});

test('crc32c: ranges and continuation agree with one pass over every split point', () => {
  const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 131 + 7) & 0xff);
  const whole = crc32c(data);
  for (let cut = 0; cut <= data.length; cut += 13) {
    assert.equal(crc32c(data, cut, data.length, crc32c(data, 0, cut)), whole, `split at ${cut}`);
  }
  assert.equal(crc32c(data, 10, 20), crc32c(data.subarray(10, 20)));
  assert.equal(crc32c(new Uint8Array(0)), 0);
});

test('maskCrc32c: TFRecord masking and its inverse', () => {
  // ((crc >>> 15) | (crc << 17)) + 0xa282ead8, mod 2^32.
  assert.equal(maskCrc32c(0), 0xa282ead8);
  assert.equal(
    maskCrc32c(0x8a9136aa),
    (((0x8a9136aa >>> 15) | (0x8a9136aa << 17)) >>> 0) + 0xa282ead8 - 2 ** 32,
  );
  for (const c of [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xe3069283, 0x12345678]) {
    assert.equal(unmaskCrc32c(maskCrc32c(c)), c);
  }
});
