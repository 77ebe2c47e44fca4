/**
 * A protobuf writer for OTLP requests, one pass, strings encoded natively (`Buffer.write`, UTF-8).
 * OTel's own writer (otlp-transformer) sizes the request in a first pass and copies every string
 * character by character in JavaScript in both passes: on a training thread, where the export code
 * runs a few times a second and never gets hot, those loops are most of the export's cost.
 *
 * The bytes are the same as OTel's: standard protobuf, fields in the same order, minimal varints
 * (a length is reserved one byte and the content moved up when it needs more), lone surrogates
 * replaced by U+FFFD as TextEncoder does. packages/sdk/test/protobuf{Logs,Traces,Metrics}.test.ts
 * compare the two byte for byte. One request is written at a time (synchronously): writers share
 * one scratch buffer.
 */
type Utf8Write = (this: Buffer, s: string, offset: number) => number;
// Buffer's own UTF-8 writer (what `buf.write(s, offset, 'utf8')` calls after checking its arguments;
// protobufjs writes strings with it too); `write` where it is missing.
const utf8Write: Utf8Write =
  (Buffer.prototype as unknown as { utf8Write?: Utf8Write }).utf8Write ??
  function (this: Buffer, s: string, offset: number) {
    return this.write(s, offset, 'utf8');
  };

// The buffer requests are written into, kept between requests (finish() copies the result out):
// a request costs one allocation of its own size, whatever it grows through while written.
let scratch: Buffer = Buffer.allocUnsafeSlow(64 * 1024);
const MAX_KEPT = 4 * 1024 * 1024;

export class ProtobufWriter {
  private buf: Buffer;
  pos = 0;

  constructor() {
    this.buf = scratch;
  }

  private ensure(size: number): void {
    const needed = this.pos + size;
    if (needed <= this.buf.length) return;
    let n = this.buf.length * 2;
    while (n < needed) n *= 2;
    const next = Buffer.allocUnsafeSlow(n);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    if (n <= MAX_KEPT) scratch = next;
  }

  /** A copy of the request written so far (the writer's buffer is reused by the next request). */
  finish(): Uint8Array {
    const out = new Uint8Array(this.pos);
    out.set(this.buf.subarray(0, this.pos));
    return out;
  }

  /** An unsigned varint; negative and 64-bit integers as int64 (two's complement), as OTel writes them. */
  varint(value: number): void {
    this.ensure(10);
    const b = this.buf;
    if (value >= 0 && value <= 0xffffffff) {
      let v = value >>> 0;
      while (v > 0x7f) {
        b[this.pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      b[this.pos++] = v;
      return;
    }
    splitInt64(value);
    let low = int64Parts[0]!;
    let high = int64Parts[1]!;
    while (high > 0 || low > 0x7f) {
      b[this.pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    b[this.pos++] = low & 0x7f;
  }

  tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  /** A string as UTF-8: one native write into room for the longest encoding, then its length before it. */
  string(s: string): void {
    this.ensure(3 * s.length + 1);
    const at = this.pos++;
    this.pos += utf8Write.call(this.buf, s, this.pos);
    this.endMessage(at);
  }

  bytes(bytes: Uint8Array): void {
    this.varint(bytes.length);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
  }

  fixed64(low: number, high: number): void {
    this.ensure(8);
    this.buf.writeUInt32LE(low >>> 0, this.pos);
    this.buf.writeUInt32LE(high >>> 0, this.pos + 4);
    this.pos += 8;
  }

  /** sfixed64 from a number (two's complement for negatives), as OTel writes it. */
  sfixed64(value: number): void {
    splitInt64(value);
    this.fixed64(int64Parts[0]!, int64Parts[1]!);
  }

  /** sint32 (zigzag). */
  sint32(value: number): void {
    this.varint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  double(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /** Reserves one byte for the length of a message; pass the result to {@link endMessage}. */
  beginMessage(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Writes the length of the message begun at `at`, moving its content up if the length needs more bytes. */
  endMessage(at: number): void {
    const length = this.pos - at - 1;
    if (length < 0x80) {
      this.buf[at] = length;
      return;
    }
    const size = length < 0x4000 ? 2 : length < 0x200000 ? 3 : length < 0x10000000 ? 4 : 5;
    this.ensure(size - 1);
    this.buf.copy(this.buf, at + size, at + 1, this.pos);
    this.pos += size - 1;
    let v = length;
    let p = at;
    while (v > 0x7f) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[p] = v;
  }
}

/** splitInt64's result: the low and high 32 bits of a 64-bit two's complement integer. */
const int64Parts = new Uint32Array(2);

/** Fills int64Parts with `value` in two's complement (negatives as OTel writes them). */
function splitInt64(value: number): void {
  if (value >= 0) {
    int64Parts[0] = value >>> 0;
    int64Parts[1] = (value / 0x100000000) >>> 0;
    return;
  }
  const abs = Math.abs(value);
  let low = ~(abs >>> 0) >>> 0;
  let high = ~((abs / 0x100000000) >>> 0) >>> 0;
  low = (low + 1) >>> 0;
  if (low === 0) high = (high + 1) >>> 0;
  int64Parts[0] = low;
  int64Parts[1] = high;
}
