import type { Attributes } from '@opentelemetry/api';
import { callerSide } from '../runtime/channelRegistry.js';

const EMPTY: Attributes = Object.freeze({}) as Attributes;
const hasOwn = Object.prototype.hasOwnProperty;

function isPrimitive(v: unknown): boolean {
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean';
}

/** An array of one primitive type (null and undefined elements allowed), as OTel takes it. */
function isHomogeneousArray(v: unknown[]): boolean {
  let type: string | undefined;
  for (const x of v) {
    if (x === null || x === undefined) continue;
    if (!isPrimitive(x)) return false;
    if (type === undefined) type = typeof x;
    else if (typeof x !== type) return false;
  }
  return true;
}

function isValid(k: string, v: unknown): boolean {
  return (
    k !== '' &&
    k !== '__proto__' &&
    (v === undefined || isPrimitive(v) || (Array.isArray(v) && isHomogeneousArray(v)))
  );
}

/**
 * The attributes a span takes (OTel: a primitive, or an array of one primitive type); anything else
 * (the empty key, objects, bigints, symbols, mixed arrays, a non-map) is left out and counted as a
 * dropped `traces` value of `api` (the SDK function called), where the OTel SDK would discard it with
 * only a diagnostic. A map whose entries are all valid is passed on as is (the tracer copies it), so
 * the common case allocates nothing.
 */
export function spanAttributes(attributes: unknown, api: string): Attributes {
  if (attributes === undefined || attributes === null) return EMPTY;
  if (typeof attributes !== 'object' || Array.isArray(attributes)) {
    callerSide()?.drops.record('traces', 'invalid_value', api);
    return EMPTY;
  }
  const map = attributes as Record<string, unknown>;
  let dropped = 0;
  for (const k in map) {
    if (hasOwn.call(map, k) && !isValid(k, map[k])) dropped++;
  }
  // Inherited enumerable keys are never taken (Object.entries and OTel's copy skip them too).
  if (dropped === 0) return map as Attributes;
  const out: Attributes = {};
  for (const k in map) {
    if (hasOwn.call(map, k) && isValid(k, map[k])) out[k] = map[k] as Attributes[string];
  }
  callerSide()?.drops.record('traces', 'invalid_value', api, dropped);
  return out;
}
