import { crc32c, maskCrc32c, unmaskCrc32c } from './crc32c.js';

/** Bytes before a TFRecord's data: uint64 LE length, masked CRC-32C of those 8 bytes. */
export const TFRECORD_HEADER_BYTES = 12;
/** Bytes after a TFRecord's data: masked CRC-32C of the data. */
export const TFRECORD_FOOTER_BYTES = 4;

/**
 * Writes the TFRecord framing of `data` into `out` at `offset` (which must have room for
 * data.length + 16 bytes); `data` may already sit at offset + 12 in `out` (then it is not copied).
 * Returns the offset after the record.
 */
export function writeFramedRecord(out: Uint8Array, offset: number, data: Uint8Array): number {
  const n = data.length;
  const dataStart = offset + TFRECORD_HEADER_BYTES;
  if (!(data.buffer === out.buffer && data.byteOffset === out.byteOffset + dataStart))
    out.set(data, dataStart);
  writeU32(out, offset, n >>> 0);
  writeU32(out, offset + 4, Math.floor(n / 0x1_0000_0000));
  writeU32(out, offset + 8, maskCrc32c(crc32c(out, offset, offset + 8)));
  const end = dataStart + n;
  writeU32(out, end, maskCrc32c(crc32c(out, dataStart, end)));
  return end + TFRECORD_FOOTER_BYTES;
}

/** `data` framed as one TFRecord. */
export function frameRecord(data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(data.length + TFRECORD_HEADER_BYTES + TFRECORD_FOOTER_BYTES);
  writeFramedRecord(out, 0, data);
  return out;
}

/** What {@link scanRecords} found at one offset. */
export type ScannedRecord =
  | { kind: 'record'; offset: number; data: Uint8Array }
  /** The file ends inside this record (a writer killed mid-write): nothing after it. */
  | { kind: 'torn'; offset: number; available: number; expected: number }
  /** The length's CRC does not match: the rest of the file cannot be framed. */
  | { kind: 'corrupt-length'; offset: number }
  /** The data's CRC does not match (a flipped byte); scanning goes on after it. */
  | { kind: 'corrupt-data'; offset: number; length: number };

/**
 * Splits a buffer of TFRecords, checking both CRCs of each. Yields every record in order; stops after
 * a torn record (the buffer ends inside it) or a corrupted length. A record whose data CRC fails is
 * reported and skipped (its length was intact, so the next record is found).
 */
export function* scanRecords(buf: Uint8Array): Generator<ScannedRecord> {
  let off = 0;
  while (off < buf.length) {
    const left = buf.length - off;
    if (left < TFRECORD_HEADER_BYTES) {
      yield { kind: 'torn', offset: off, available: left, expected: TFRECORD_HEADER_BYTES };
      return;
    }
    const lenCrc = readU32(buf, off + 8);
    if (unmaskCrc32c(lenCrc) !== crc32c(buf, off, off + 8)) {
      yield { kind: 'corrupt-length', offset: off };
      return;
    }
    const len = readU32(buf, off) + readU32(buf, off + 4) * 0x1_0000_0000;
    const total = TFRECORD_HEADER_BYTES + len + TFRECORD_FOOTER_BYTES;
    if (left < total) {
      yield { kind: 'torn', offset: off, available: left, expected: total };
      return;
    }
    const dataStart = off + TFRECORD_HEADER_BYTES;
    const dataEnd = dataStart + len;
    if (unmaskCrc32c(readU32(buf, dataEnd)) !== crc32c(buf, dataStart, dataEnd)) {
      yield { kind: 'corrupt-data', offset: off, length: len };
    } else {
      yield { kind: 'record', offset: off, data: buf.subarray(dataStart, dataEnd) };
    }
    off += total;
  }
}

function writeU32(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = v >>> 24;
}

function readU32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}
