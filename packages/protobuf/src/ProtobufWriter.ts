/** Wire types of protobuf's encoding. */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

// Doubles and floats are stored into a typed array and their bytes copied: on a little-endian host
// (all Node.js runs on today) those bytes are the little-endian encoding protobuf wants, at a third
// of Buffer#writeDoubleLE's cost. Other hosts take Buffer's methods.
const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);
const F32 = new Float32Array(1);
const F32_BYTES = new Uint8Array(F32.buffer);
F64[0] = 1;
const LITTLE_ENDIAN = F64_BYTES[7] === 0x3f;

type Utf8Write = (this: Buffer, s: string, offset: number) => number;
const utf8Write: Utf8Write =
  (Buffer.prototype as unknown as { utf8Write?: Utf8Write }).utf8Write ??
  function (this: Buffer, s: string, offset: number) {
    return this.write(s, offset, 'utf8');
  };

/** A buffer grown past this is not kept by `reset()`: one huge message does not pin its memory. */
const MAX_KEPT = 4 * 1024 * 1024;

/**
 * A protobuf writer in one pass: fields are appended to one growing buffer; a nested message (or any
 * length-delimited field) reserves one byte for its length and moves its body up when the length
 * needs more. The bytes are the standard encoding with minimal varints, negative integers as ten-byte
 * two's complement varints, strings as UTF-8 (lone surrogates as U+FFFD, as TextEncoder writes them):
 * the bytes of OTel's otlp-transformer and of TensorBoard's own writers for the same fields in the
 * same order. A writer is reused with `reset()`; `view()` is valid until the next write, `finish()`
 * is a copy.
 */
export class ProtobufWriter {
  buf: Buffer;
  pos = 0;
  private readonly initialSize: number;

  constructor(initialSize = 1024) {
    this.initialSize = Math.max(1, initialSize);
    this.buf = Buffer.allocUnsafe(this.initialSize);
  }

  /** Starts over (the buffer is kept unless a message grew it past 4 MiB). */
  reset(): void {
    this.pos = 0;
    if (this.buf.length > MAX_KEPT) this.buf = Buffer.allocUnsafe(this.initialSize);
  }

  /** The bytes written since the last reset (a view: valid until the next write). */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** The bytes written since the last reset, copied. */
  finish(): Uint8Array {
    return Uint8Array.prototype.slice.call(this.buf, 0, this.pos);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  // ------------------------------------------------------------------------------------ scalars

  /** Unsigned varint of a non-negative safe integer. */
  uvarint(value: number): void {
    this.int64(value);
  }

  /** int64/int32 varint: negative values take ten bytes (two's complement), as protobuf encodes them. */
  int64(value: number): void {
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

  /** sint32 (zigzag). */
  sint32(n: number): void {
    this.uvarint(((n << 1) ^ (n >> 31)) >>> 0);
  }

  /** A field's key: its number and wire type. */
  key(field: number, wire: number): void {
    this.uvarint(field * 8 + wire);
  }

  /** A little-endian IEEE 754 double (without key). */
  double(v: number): void {
    this.ensure(8);
    if (!LITTLE_ENDIAN) {
      this.buf.writeDoubleLE(v, this.pos);
      this.pos += 8;
      return;
    }
    const b = this.buf;
    const p = this.pos;
    F64[0] = v;
    b[p] = F64_BYTES[0]!;
    b[p + 1] = F64_BYTES[1]!;
    b[p + 2] = F64_BYTES[2]!;
    b[p + 3] = F64_BYTES[3]!;
    b[p + 4] = F64_BYTES[4]!;
    b[p + 5] = F64_BYTES[5]!;
    b[p + 6] = F64_BYTES[6]!;
    b[p + 7] = F64_BYTES[7]!;
    this.pos = p + 8;
  }

  /** A little-endian IEEE 754 float, `v` rounded to 32 bits (without key). */
  float(v: number): void {
    this.ensure(4);
    if (!LITTLE_ENDIAN) {
      this.buf.writeFloatLE(v, this.pos);
      this.pos += 4;
      return;
    }
    const b = this.buf;
    const p = this.pos;
    F32[0] = v;
    b[p] = F32_BYTES[0]!;
    b[p + 1] = F32_BYTES[1]!;
    b[p + 2] = F32_BYTES[2]!;
    b[p + 3] = F32_BYTES[3]!;
    this.pos = p + 4;
  }

  /** fixed32 of an unsigned 32-bit integer (without key). */
  fixed32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v >>> 0, this.pos);
    this.pos += 4;
  }

  /** fixed64 from its low and high 32 bits (without key). */
  fixed64(low: number, high: number): void {
    this.ensure(8);
    this.buf.writeUInt32LE(low >>> 0, this.pos);
    this.buf.writeUInt32LE(high >>> 0, this.pos + 4);
    this.pos += 8;
  }

  /** sfixed64 from a number (two's complement for negatives), as OTel writes it (without key). */
  sfixed64(v: number): void {
    splitInt64(v);
    this.fixed64(int64Parts[0]!, int64Parts[1]!);
  }

  /** A length-prefixed UTF-8 string (without key). */
  string(s: string): void {
    this.ensure(3 * s.length + 1);
    const at = this.pos++;
    this.pos += utf8Write.call(this.buf, s, this.pos);
    this.ldelim(at);
  }

  /** Length-prefixed bytes (without key). */
  bytes(data: Uint8Array): void {
    this.uvarint(data.length);
    this.raw(data);
  }

  /** Bytes as they are: an already encoded part of a message. */
  raw(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  // ------------------------------------------------------------------------------------- fields

  varintField(field: number, n: number): void {
    this.key(field, WIRE_VARINT);
    this.int64(n);
  }

  boolField(field: number, b: boolean): void {
    this.key(field, WIRE_VARINT);
    this.uvarint(b ? 1 : 0);
  }

  doubleField(field: number, v: number): void {
    this.key(field, WIRE_FIXED64);
    this.double(v);
  }

  floatField(field: number, v: number): void {
    this.key(field, WIRE_FIXED32);
    this.float(v);
  }

  stringField(field: number, s: string): void {
    this.key(field, WIRE_LEN);
    this.string(s);
  }

  bytesField(field: number, data: Uint8Array): void {
    this.key(field, WIRE_LEN);
    this.bytes(data);
  }

  packedDoubles(field: number, values: ArrayLike<number>): void {
    if (values.length === 0) return;
    this.key(field, WIRE_LEN);
    this.uvarint(values.length * 8);
    this.ensure(values.length * 8);
    for (let i = 0; i < values.length; i++) this.double(values[i]!);
  }

  packedFloats(field: number, values: ArrayLike<number>): void {
    if (values.length === 0) return;
    this.key(field, WIRE_LEN);
    this.uvarint(values.length * 4);
    this.ensure(values.length * 4);
    for (let i = 0; i < values.length; i++) this.float(values[i]!);
  }

  packedVarints(field: number, values: ArrayLike<number>): void {
    if (values.length === 0) return;
    const mark = this.fork(field);
    for (let i = 0; i < values.length; i++) this.int64(values[i]!);
    this.ldelim(mark);
  }

  // --------------------------------------------------------------------------- nested messages

  /** Starts a nested message (or any length-delimited field) with its key; returns the mark for {@link ldelim}. */
  fork(field: number): number {
    this.key(field, WIRE_LEN);
    return this.beginMessage();
  }

  /** Starts a length-delimited body whose key was written already; returns the mark for {@link ldelim}. */
  beginMessage(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Ends the body started at `mark`: writes its length, moving the body up if the length needs more bytes. */
  ldelim(mark: number): void {
    const len = this.pos - mark - 1;
    if (len < 0x80) {
      this.buf[mark] = len;
      return;
    }
    let extra = 0;
    for (let l = len; l >= 0x80; l = Math.floor(l / 0x80)) extra++;
    this.ensure(extra);
    this.buf.copyWithin(mark + 1 + extra, mark + 1, this.pos);
    let p = mark;
    let n = len;
    while (n >= 0x80) {
      this.buf[p++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[p] = n;
    this.pos += extra;
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
