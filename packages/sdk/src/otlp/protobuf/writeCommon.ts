import { ProtobufWriter } from '@grpo-otel/protobuf';
import type { HrTime } from '@opentelemetry/api';

// The OTLP common messages (opentelemetry/proto/common/v1, resource/v1), written field by field in
// the order and with the same choices as OTel's otlp-transformer (common-serializer), so the bytes match.

const hasOwn = Object.prototype.hasOwnProperty;

// One request is written at a time (synchronously): the serializers share one writer, whose buffer is
// kept between requests (finish() copies each request out), so a request costs one allocation of its
// own size, whatever the buffer grew through while it was written.
const shared = new ProtobufWriter(64 * 1024);

/** The writer of a new request: the shared one, emptied. */
export function requestWriter(): ProtobufWriter {
  shared.reset();
  return shared;
}
const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;

/** HrTime as fixed64 nanoseconds, split so that every product stays an exact double (OTel's method). */
export function writeHrTimeAsFixed64(w: ProtobufWriter, hrTime: HrTime): void {
  const seconds = hrTime[0];
  const nanos = hrTime[1];
  const lower16 = (seconds & 0xffff) * 1e9;
  const upper = ((seconds / 0x10000) >>> 0) * 1e9;
  const lowerLow = lower16 >>> 0;
  const lowerHigh = Math.floor(lower16 / 0x100000000);
  const upperLow = ((upper & 0xffff) * 0x10000) >>> 0;
  const upperHigh = (upper / 0x10000) >>> 0;
  const low = lowerLow + upperLow + nanos;
  const carry = Math.floor(low / 0x100000000);
  w.fixed64(low >>> 0, (lowerHigh + upperHigh + carry) >>> 0);
}

/** An AnyValue: string, bool, int64 (integers in range) or double, bytes, array, kvlist; nothing else. */
export function writeAnyValue(w: ProtobufWriter, value: unknown): void {
  const t = typeof value;
  if (t === 'string') {
    w.key(1, 2);
    w.string(value as string);
  } else if (t === 'boolean') {
    w.key(2, 0);
    w.int64(value ? 1 : 0);
  } else if (t === 'number') {
    const n = value as number;
    if (Number.isInteger(n) && n >= MIN_INT64 && n < MAX_INT64) {
      w.key(3, 0);
      w.int64(n);
    } else {
      w.key(4, 1);
      w.double(n);
    }
  } else if (value instanceof Uint8Array) {
    w.key(7, 2);
    w.bytes(value);
  } else if (Array.isArray(value)) {
    w.key(5, 2);
    const array = w.beginMessage();
    for (const item of value) {
      w.key(1, 2);
      const at = w.beginMessage();
      writeAnyValue(w, item);
      w.ldelim(at);
    }
    w.ldelim(array);
  } else if (t === 'object' && value !== null) {
    w.key(6, 2);
    const list = w.beginMessage();
    const obj = value as Record<string, unknown>;
    for (const k in obj) {
      if (!hasOwn.call(obj, k)) continue;
      w.key(1, 2);
      const kv = w.beginMessage();
      writeKeyValue(w, k, obj[k]);
      w.ldelim(kv);
    }
    w.ldelim(list);
  }
  // Anything else (undefined, null, functions, symbols, bigints): an empty AnyValue, as OTel writes it.
}

function writeKeyValue(w: ProtobufWriter, key: string, value: unknown): void {
  w.key(1, 2);
  w.string(key);
  w.key(2, 2);
  const at = w.beginMessage();
  writeAnyValue(w, value);
  w.ldelim(at);
}

/** Attributes as repeated KeyValue under `field`. */
export function writeAttributes(w: ProtobufWriter, attributes: object, field: number): void {
  const a = attributes as Record<string, unknown>;
  for (const key in a) {
    if (!hasOwn.call(a, key)) continue;
    w.key(field, 2);
    const at = w.beginMessage();
    writeKeyValue(w, key, a[key]);
    w.ldelim(at);
  }
}

export interface ScopeLike {
  name: string;
  version?: string | undefined;
  schemaUrl?: string | undefined;
  attributes?: object | undefined;
  droppedAttributesCount?: number | undefined;
}

export function writeInstrumentationScope(w: ProtobufWriter, scope: ScopeLike, field: number): void {
  w.key(field, 2);
  const at = w.beginMessage();
  w.key(1, 2);
  w.string(scope.name);
  if (scope.version) {
    w.key(2, 2);
    w.string(scope.version);
  }
  if (scope.attributes) writeAttributes(w, scope.attributes, 3);
  if (scope.droppedAttributesCount) {
    w.key(4, 0);
    w.int64(scope.droppedAttributesCount);
  }
  w.ldelim(at);
}

export function writeResource(w: ProtobufWriter, resource: { attributes?: object }, field: number): void {
  w.key(field, 2);
  const at = w.beginMessage();
  if (resource.attributes) writeAttributes(w, resource.attributes, 1);
  w.key(2, 0);
  w.int64(0);
  w.ldelim(at);
}

/** Items grouped by resource, then by scope (object identity), in the order they first appear: OTel's grouping. */
export function groupByResourceAndScope<T extends { resource: unknown; instrumentationScope: unknown }>(
  items: readonly T[],
): Map<T['resource'], Map<T['instrumentationScope'], T[]>> {
  const byResource = new Map<T['resource'], Map<T['instrumentationScope'], T[]>>();
  for (const item of items) {
    let scopes = byResource.get(item.resource);
    if (!scopes) {
      scopes = new Map();
      byResource.set(item.resource, scopes);
    }
    let list = scopes.get(item.instrumentationScope);
    if (!list) {
      list = [];
      scopes.set(item.instrumentationScope, list);
    }
    list.push(item);
  }
  return byResource;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return c - 55;
}

/** Hex trace/span id to bytes, exactly as OTel's hexToBinary (ids are short: a plain loop). */
export function hexToBinary(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >>> 1);
  for (let i = 0, o = 0; o < out.length; i += 2, o++) {
    out[o] = (hexDigit(hex.charCodeAt(i)) << 4) | hexDigit(hex.charCodeAt(i + 1));
  }
  return out;
}
