// A minimal protobuf decoder: iterates fields of one message and reads their values. Unknown fields
// are skipped by wire type. Malformed input throws a ProtoDecodeError. Used to read TensorBoard events
// (exporter-tensorboard) and OTLP requests (the sink).

export class ProtoDecodeError extends Error {
  override name = 'ProtoDecodeError';
}

export const WIRE = { VARINT: 0, FIXED64: 1, LEN: 2, FIXED32: 5 } as const;

export class ProtoReader {
  pos: number;
  private readonly view: DataView;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end: number = buf.length,
  ) {
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a field key; returns [fieldNumber, wireType]. */
  key(): [number, number] {
    const k = this.uvarint();
    return [Math.floor(k / 8), k % 8];
  }

  uvarint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoDecodeError('truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 0x80;
    }
    throw new ProtoDecodeError('varint longer than 10 bytes');
  }

  /** A varint read as a signed 64-bit integer (precise within the safe integer range). */
  int64(): number {
    const start = this.pos;
    const u = this.uvarint();
    if (u < 2 ** 63) return u;
    // Negative: re-read exactly with BigInt.
    let v = 0n;
    let shift = 0n;
    for (let p = start; p < this.pos; p++) {
      v |= BigInt(this.buf[p]! & 0x7f) << shift;
      shift += 7n;
    }
    return Number(BigInt.asIntN(64, v));
  }

  double(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A fixed64 (unsigned) as a BigInt, exact (OTLP timestamps in nanoseconds). */
  fixed64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** An sfixed64 as a number (precise within the safe integer range). */
  sfixed64(): number {
    this.need(8);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return Number(v);
  }

  /** A fixed32 (unsigned). */
  fixed32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** A bool varint. */
  bool(): boolean {
    return this.uvarint() !== 0;
  }

  float(): number {
    this.need(4);
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** A length-delimited field's bounds: [start, end). Advances past it. */
  lenDelim(): [number, number] {
    const len = this.uvarint();
    this.need(len);
    const start = this.pos;
    this.pos += len;
    return [start, this.pos];
  }

  bytes(): Uint8Array {
    const [s, e] = this.lenDelim();
    return this.buf.subarray(s, e);
  }

  string(): string {
    const [s, e] = this.lenDelim();
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + s, e - s).toString('utf8');
  }

  /** Sub-reader over a nested message. */
  message(): ProtoReader {
    const [s, e] = this.lenDelim();
    return new ProtoReader(this.buf, s, e);
  }

  /** Reads a repeated numeric field, packed or not, appending to `out`. */
  repeated(wire: number, scalarWire: number, read: (r: ProtoReader) => number, out: number[]): void {
    if (wire === WIRE.LEN && scalarWire !== WIRE.LEN) {
      const sub = this.message();
      while (!sub.done()) out.push(read(sub));
    } else if (wire === scalarWire) {
      out.push(read(this));
    } else {
      throw new ProtoDecodeError(`unexpected wire type ${wire}`);
    }
  }

  skip(wire: number): void {
    switch (wire) {
      case WIRE.VARINT:
        this.uvarint();
        return;
      case WIRE.FIXED64:
        this.need(8);
        this.pos += 8;
        return;
      case WIRE.LEN:
        this.lenDelim();
        return;
      case WIRE.FIXED32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new ProtoDecodeError(`unsupported wire type ${wire}`);
    }
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new ProtoDecodeError('truncated field');
  }
}
