// OTLP/JSON-shaped values (see OtlpRequest.ts: from either encoding, untrusted) written back as
// OTLP/JSON the way OpenTelemetry JS's JsonTraceSerializer writes them: ids as lowercase hex, times as
// decimal nanosecond strings, int64 values as JSON numbers (as strings beyond the safe range), bytes
// as base64, non-finite doubles as protojson names them ("NaN", "Infinity", "-Infinity").
import type { OtlpAnyValue, OtlpInt, OtlpKeyValue } from '../OtlpRequest.js';
import { toHexId, toNumber } from './otlpValues.js';

/** An AnyValue as OTLP/JSON; `{}` for an empty or unreadable one. */
export type JsonAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: number | string }
  | { doubleValue: number | string }
  | { arrayValue: { values: JsonAnyValue[] } }
  | { kvlistValue: { values: JsonKeyValue[] } }
  | { bytesValue: string }
  | Record<string, never>;

export interface JsonKeyValue {
  key: string;
  value: JsonAnyValue;
}

/** Nesting deeper than this is written as `{}` (JSON.parse itself allows any depth). */
const MAX_DEPTH = 64;

export function toJsonAnyValue(v: OtlpAnyValue | undefined, depth = 0): JsonAnyValue {
  if (v === null || typeof v !== 'object' || depth > MAX_DEPTH) return {};
  if (v.stringValue !== undefined) return { stringValue: String(v.stringValue) };
  if (v.boolValue !== undefined) return { boolValue: v.boolValue === true };
  if (v.intValue !== undefined) {
    const n = toJsonInt(v.intValue);
    return n === undefined ? {} : { intValue: n };
  }
  if (v.doubleValue !== undefined) {
    if (typeof v.doubleValue !== 'number' && typeof v.doubleValue !== 'string') return {};
    const d = toNumber(v.doubleValue);
    const unreadable = Number.isNaN(d) && typeof v.doubleValue === 'string' && v.doubleValue !== 'NaN';
    if (unreadable) return {};
    return { doubleValue: Number.isFinite(d) ? d : String(d) };
  }
  if (v.arrayValue !== undefined) {
    const values = Array.isArray(v.arrayValue?.values) ? v.arrayValue.values : [];
    return { arrayValue: { values: values.map((x) => toJsonAnyValue(x, depth + 1)) } };
  }
  if (v.kvlistValue !== undefined) {
    return { kvlistValue: { values: toJsonKeyValues(v.kvlistValue?.values, depth + 1) } };
  }
  if (v.bytesValue !== undefined) {
    if (v.bytesValue instanceof Uint8Array)
      return { bytesValue: Buffer.from(v.bytesValue).toString('base64') };
    return typeof v.bytesValue === 'string' ? { bytesValue: v.bytesValue } : {};
  }
  return {};
}

/** Key-value lists (attributes, kvlists) as OTLP/JSON; entries without a string key are left out. */
export function toJsonKeyValues(kvs: readonly OtlpKeyValue[] | undefined, depth = 0): JsonKeyValue[] {
  if (!Array.isArray(kvs)) return [];
  const out: JsonKeyValue[] = [];
  for (const kv of kvs)
    if (kv !== null && typeof kv === 'object' && typeof kv.key === 'string')
      out.push({ key: kv.key, value: toJsonAnyValue(kv.value, depth) });
  return out;
}

/** An int64 as a JSON number, or its decimal string beyond the safe range; undefined when not one. */
function toJsonInt(v: OtlpInt): number | string | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  let n: bigint;
  try {
    if (typeof v === 'bigint') n = v;
    else if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) n = BigInt(v.trim());
    else return undefined;
  } catch {
    return undefined;
  }
  const asNumber = Number(n);
  return Number.isSafeInteger(asNumber) ? asNumber : n.toString();
}

/** Nanoseconds since the epoch as a decimal string; '0' when absent; undefined when malformed. */
export function toJsonNanos(v: OtlpInt | undefined): string | undefined {
  if (v === undefined || v === null) return '0';
  try {
    if (typeof v === 'bigint') return v >= 0n ? v.toString() : undefined;
    if (typeof v === 'number')
      return Number.isFinite(v) && v >= 0 ? BigInt(Math.trunc(v)).toString() : undefined;
    if (typeof v === 'string' && /^\s*\d+\s*$/.test(v)) return BigInt(v.trim()).toString();
  } catch {
    // not a number
  }
  return undefined;
}

/**
 * A trace id (16 bytes) or span id (8 bytes) as lowercase hex: '' when absent, empty or all zero
 * (no id); undefined when malformed (wrong length, not hex, not a string or bytes).
 */
export function toJsonId(v: unknown, bytes: 8 | 16): string | undefined {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string' && !(v instanceof Uint8Array)) return undefined;
  const hex = toHexId(v);
  if (hex === undefined) return '';
  return hex.length === 2 * bytes && /^[0-9a-f]+$/.test(hex) ? hex : undefined;
}

/** A count (dropped_*_count, uint32): 0 when absent or not a non-negative integer. */
export function toJsonCount(v: unknown): number {
  const n = typeof v === 'number' || typeof v === 'string' ? toNumber(v) : Number.NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** A fixed32 bit field (flags): 0 when absent or not an integer. */
export function toJsonFlags(v: unknown): number {
  const n = typeof v === 'number' || typeof v === 'string' ? toNumber(v) : Number.NaN;
  return Number.isSafeInteger(n) ? n >>> 0 : 0;
}

/** An enum field given as its number or its protojson name (`SPAN_KIND_SERVER`); `fallback` when neither. */
export function toJsonEnum(v: unknown, names: readonly string[], fallback = 0): number {
  if (typeof v === 'string') {
    const i = names.indexOf(v);
    if (i >= 0) return i;
  }
  const n = typeof v === 'number' || typeof v === 'string' ? toNumber(v) : Number.NaN;
  return Number.isInteger(n) && n >= 0 && n < names.length ? n : fallback;
}
