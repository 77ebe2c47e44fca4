// Conversions of OTLP/JSON-shaped values (see OtlpRequest.ts) to the OpenTelemetry JS data model.
import type { Attributes, AttributeValue, HrTime } from '@opentelemetry/api';
import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import type { OtlpAnyValue, OtlpInt, OtlpKeyValue } from '../OtlpRequest.js';

/** A JSON int64 (string or number), a protobuf number or BigInt, as a number; NaN when not one. */
export function toNumber(v: OtlpInt | number | string | undefined): number {
  if (v === undefined) return Number.NaN;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  return v.trim() === '' ? Number.NaN : Number(v);
}

/** Nanoseconds since the epoch as [seconds, nanoseconds]; undefined for 0, absent or malformed. */
export function toHrTime(v: OtlpInt | undefined): HrTime | undefined {
  if (v === undefined) return undefined;
  let ns: bigint;
  try {
    ns = typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(Math.trunc(v)) : BigInt(v.trim());
  } catch {
    return undefined;
  }
  if (ns <= 0n) return undefined;
  return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
}

/** An OTLP AnyValue as a log AnyValue (int64 as number, bytes as Uint8Array). */
export function toAnyValue(v: OtlpAnyValue | undefined): AnyValue {
  if (v === undefined || v === null) return undefined;
  if (v.stringValue !== undefined) return String(v.stringValue);
  if (v.boolValue !== undefined) return Boolean(v.boolValue);
  if (v.intValue !== undefined) return toNumber(v.intValue);
  if (v.doubleValue !== undefined) return toNumber(v.doubleValue);
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(toAnyValue);
  if (v.kvlistValue !== undefined) {
    const out: AnyValueMap = {};
    for (const kv of v.kvlistValue.values ?? []) out[String(kv.key)] = toAnyValue(kv.value);
    return out;
  }
  if (v.bytesValue !== undefined)
    return typeof v.bytesValue === 'string' ? Buffer.from(v.bytesValue, 'base64') : v.bytesValue;
  return undefined;
}

/** Log record attributes: every value kept as a log AnyValue. */
export function toLogAttributes(kvs: readonly OtlpKeyValue[] | undefined): AnyValueMap {
  const out: AnyValueMap = {};
  if (!Array.isArray(kvs)) return out;
  for (const kv of kvs) if (kv && typeof kv.key === 'string') out[kv.key] = toAnyValue(kv.value);
  return out;
}

/**
 * Metric and resource attributes: primitives and homogeneous primitive arrays (what OTel JS
 * attributes hold); maps and bytes become their JSON text.
 */
export function toAttributes(kvs: readonly OtlpKeyValue[] | undefined): Attributes {
  const out: Attributes = {};
  if (!Array.isArray(kvs)) return out;
  for (const kv of kvs) {
    if (!kv || typeof kv.key !== 'string') continue;
    const v = toAnyValue(kv.value);
    if (v === undefined || v === null) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[kv.key] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number'))
      out[kv.key] = v as AttributeValue;
    else
      out[kv.key] = JSON.stringify(v, (_k, x: unknown) =>
        x instanceof Uint8Array ? `<${x.length} bytes>` : x,
      );
  }
  return out;
}

/** A trace or span id as lowercase hex (JSON sends hex already); undefined when empty or all zero. */
export function toHexId(v: string | Uint8Array | undefined): string | undefined {
  if (v === undefined) return undefined;
  const hex = typeof v === 'string' ? v.toLowerCase() : Buffer.from(v).toString('hex');
  return hex === '' || /^0+$/.test(hex) ? undefined : hex;
}
