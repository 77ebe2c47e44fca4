// A minimal protobuf encoder for the few TensorBoard messages we write: varints, fixed 32/64-bit
// floats, length-delimited strings/bytes/messages and packed doubles. Nested messages reserve one
// byte for their length and shift their body when it needs more (rare: bodies over 127 bytes).

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

// Doubles and floats are stored into a typed array and their bytes copied: on a little-endian host
// (all Node.js runs on today) those bytes are the little-endian encoding protobuf wants, at a third
// of Buffer#writeDoubleLE's cost. Other hosts take Buffer's methods.
const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);
const F32 = new Float32Array(1);
const F32_BYTES = new Uint8Array(F32.buffer);
F64[0] = 1;
const LITTLE_ENDIAN = F64_BYTES[7] === 0x3f;

export class ProtoWriter {
  buf: Buffer;
  pos = 0;

  constructor(initialSize = 1024) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  reset(): void {
    this.pos = 0;
  }

  /** The bytes written since the last reset (a view: valid until the next write). */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** The bytes written since the last reset, copied. */
  finish(): Uint8Array {
    return Uint8Array.prototype.slice.call(this.buf, 0, this.pos);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Unsigned varint of a non-negative safe integer. */
  uvarint(n: number): void {
    this.ensure(10);
    const b = this.buf;
    let p = this.pos;
    while (n >= 0x80) {
      b[p++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    b[p++] = n;
    this.pos = p;
  }

  /** int64/int32 varint: negative values take ten bytes (two's complement), as protobuf encodes them. */
  int64(n: number): void {
    if (n >= 0) {
      this.uvarint(n);
      return;
    }
    let v = BigInt.asUintN(64, BigInt(Math.trunc(n)));
    this.ensure(10);
    for (let i = 0; i < 9; i++) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  key(field: number, wire: number): void {
    this.uvarint(field * 8 + wire);
  }

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

  stringField(field: number, s: string): void {
    this.key(field, WIRE_LEN);
    this.string(s);
  }

  /** A length-prefixed UTF-8 string (without key). */
  string(s: string): void {
    const n = s.length;
    // Short ASCII strings (tags): one pass, no encoder call.
    if (n < 128) {
      this.ensure(n + 1);
      const b = this.buf;
      const start = this.pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        b[start + i] = c;
      }
      if (i === n) {
        b[this.pos] = n;
        this.pos = start + n;
        return;
      }
    }
    const len = Buffer.byteLength(s, 'utf8');
    this.uvarint(len);
    this.ensure(len);
    this.buf.write(s, this.pos, len, 'utf8');
    this.pos += len;
  }

  bytesField(field: number, data: Uint8Array): void {
    this.key(field, WIRE_LEN);
    this.uvarint(data.length);
    this.raw(data);
  }

  raw(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
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

  /** Starts a nested message (or any length-delimited field); returns the mark for {@link ldelim}. */
  fork(field: number): number {
    this.key(field, WIRE_LEN);
    this.ensure(1);
    const mark = this.pos;
    this.pos += 1;
    return mark;
  }

  /** Ends the nested message started at `mark`: writes its length, moving the body if needed. */
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
