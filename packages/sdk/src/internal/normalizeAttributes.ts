import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import type { StringSanitizer } from './StringSanitizer.js';

/** Attributes kept per record (OpenTelemetry's default `attributeCountLimit`); the rest are dropped. */
export const MAX_ATTRIBUTES = 128;
/** Longest attribute key kept, in characters; longer keys are cut and end with the truncation marker. */
export const MAX_KEY_LENGTH = 256;
/** Deepest nesting of arrays and maps kept; a deeper (or cyclic) value is dropped. */
export const MAX_DEPTH = 8;

const DROP = Symbol('drop');
type Normalized = AnyValue | typeof DROP;

/**
 * Makes log attributes valid OpenTelemetry `AnyValue`s that every sink renders the same way, instead
 * of leaving the SDK to discard what it does not take (it drops empty keys, bigints, functions,
 * symbols, class instances and cycles with only a diagnostic):
 * - strings go through the sanitizer (redaction, control characters, lone surrogates, length);
 * - NaN and ±Infinity become the strings `NaN`, `Infinity`, `-Infinity`, bigints their digits, dates
 *   their ISO text, errors `Name: message`, typed arrays (other than bytes) arrays: counted `coerced`;
 * - keys are sanitized and cut at {@link MAX_KEY_LENGTH};
 * - the empty key, symbols, functions, other objects, cycles, nesting deeper than {@link MAX_DEPTH},
 *   attributes past {@link MAX_ATTRIBUTES} and keys that collide after cutting are dropped, and
 *   `onDrop` is told how many.
 * Returns `attrs` itself when nothing had to change.
 */
export function normalizeAttributes(
  attrs: AnyValueMap,
  z: StringSanitizer,
  onDrop: (count: number) => void,
): AnyValueMap {
  const dropped = { n: 0 };
  const out = normalizeMap(attrs, z, dropped, 0, [], MAX_ATTRIBUTES);
  if (dropped.n > 0) onDrop(dropped.n);
  return out === DROP ? {} : (out as AnyValueMap);
}

function normalizeMap(
  map: Record<string, unknown>,
  z: StringSanitizer,
  dropped: { n: number },
  depth: number,
  seen: object[],
  maxKeys: number,
): Normalized {
  seen.push(map);
  let out: Record<string, AnyValue> | undefined;
  const keys = Object.keys(map);
  let kept = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const v = map[key];
    let nk = key;
    let nv: Normalized;
    if (key.length === 0 || key === '__proto__' || kept >= maxKeys) {
      // `__proto__` cannot be set as an own key by assignment (every exporter would lose it).
      nv = DROP;
    } else {
      nk = z.key(key, MAX_KEY_LENGTH);
      nv = normalizeValue(v, z, dropped, depth + 1, seen);
      if (nk !== key && (Object.hasOwn(map, nk) || (out !== undefined && Object.hasOwn(out, nk)))) {
        nv = DROP; // two keys that are the same after cutting: keep the first.
      }
    }
    if (nv === DROP) dropped.n++;
    else kept++;
    if (out === undefined && (nv !== v || nk !== key)) {
      out = {};
      for (let j = 0; j < i; j++) out[keys[j]!] = map[keys[j]!] as AnyValue;
    }
    if (out !== undefined && nv !== DROP) out[nk] = nv;
  }
  seen.pop();
  return out ?? (map as AnyValueMap);
}

function normalizeValue(
  v: unknown,
  z: StringSanitizer,
  dropped: { n: number },
  depth: number,
  seen: object[],
): Normalized {
  switch (typeof v) {
    case 'string':
      return z.apply(v);
    case 'number':
      if (Number.isFinite(v)) return v;
      z.note('coerced');
      return String(v);
    case 'boolean':
    case 'undefined':
      return v;
    case 'bigint':
      z.note('coerced');
      return v.toString();
    case 'object': {
      if (v === null || v instanceof Uint8Array) return v;
      // The ancestors on the path (at most MAX_DEPTH): a linear scan is cheaper than a Set.
      if (depth > MAX_DEPTH || seen.includes(v)) return DROP;
      if (Array.isArray(v)) return normalizeArray(v, z, dropped, depth, seen);
      if (v instanceof Date) {
        if (Number.isNaN(v.getTime())) return DROP;
        z.note('coerced');
        return v.toISOString();
      }
      if (v instanceof Error) {
        z.note('coerced');
        return z.apply(`${v.name}: ${v.message}`);
      }
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
        z.note('coerced');
        return normalizeArray(Array.from(v as unknown as ArrayLike<number>), z, dropped, depth, seen);
      }
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) return DROP;
      return normalizeMap(v as Record<string, unknown>, z, dropped, depth, seen, Number.POSITIVE_INFINITY);
    }
    default:
      // symbol, function
      return DROP;
  }
}

function normalizeArray(
  arr: readonly unknown[],
  z: StringSanitizer,
  dropped: { n: number },
  depth: number,
  seen: object[],
): Normalized {
  seen.push(arr);
  let out: AnyValue[] | undefined;
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    let nv = normalizeValue(v, z, dropped, depth + 1, seen);
    if (nv === DROP) {
      // Keep positions: a dropped element becomes null.
      dropped.n++;
      nv = null;
    }
    if (out === undefined && nv !== v) out = arr.slice(0, i) as AnyValue[];
    if (out !== undefined) out.push(nv);
  }
  seen.pop();
  return out ?? (arr as AnyValue[]);
}
