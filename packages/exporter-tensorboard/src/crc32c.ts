// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as TFRecord framing uses it, computed
// slice-by-8: eight 256-entry tables, eight input bytes per iteration.

const POLY = 0x82f63b78;

/** T[k * 256 + b]: CRC of byte b followed by k zero bytes. */
const T = /* @__PURE__ */ buildTables();

function buildTables(): Int32Array {
  const t = new Int32Array(8 * 256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[b] = c;
  }
  for (let b = 0; b < 256; b++) {
    let c = t[b]!;
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[k * 256 + b] = c;
    }
  }
  return t;
}

/**
 * CRC-32C of `data[start, end)`. `crc` continues a previous computation (the value it returned);
 * omit it to start afresh. Returns an unsigned 32-bit integer.
 */
export function crc32c(data: Uint8Array, start = 0, end: number = data.length, crc = 0): number {
  let c = ~crc;
  let i = start;
  const t = T;
  for (const last8 = end - 8; i <= last8; i += 8) {
    const lo = c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
    c =
      t[0x700 + (lo & 0xff)]! ^
      t[0x600 + ((lo >>> 8) & 0xff)]! ^
      t[0x500 + ((lo >>> 16) & 0xff)]! ^
      t[0x400 + (lo >>> 24)]! ^
      t[0x300 + data[i + 4]!]! ^
      t[0x200 + data[i + 5]!]! ^
      t[0x100 + data[i + 6]!]! ^
      t[data[i + 7]!]!;
  }
  for (; i < end; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const MASK_DELTA = 0xa282ead8;

/** TFRecord's masked CRC: rotate right by 15 bits, add 0xa282ead8 (mod 2^32). */
export function maskCrc32c(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** Inverse of {@link maskCrc32c}. */
export function unmaskCrc32c(masked: number): number {
  const rot = (masked - MASK_DELTA) >>> 0;
  return ((rot >>> 17) | (rot << 15)) >>> 0;
}
