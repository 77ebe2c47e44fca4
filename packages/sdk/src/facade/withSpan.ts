import { ATTR_GRPO_STEP } from '@grpo-otel/semconv';
import { type Attributes, context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { getTracer } from '../api.js';
import { safeString } from '../internal/describeValue.js';
import { activeTelemetry } from '../runtime/channelRegistry.js';

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
 * dropped `traces` value, where the OTel SDK would discard it with only a diagnostic. A map whose
 * entries are all valid is passed on as is (the tracer copies it), so the common case allocates nothing.
 */
function spanAttributes(attributes: unknown): Attributes {
  if (attributes === undefined || attributes === null) return EMPTY;
  if (typeof attributes !== 'object' || Array.isArray(attributes)) {
    activeTelemetry()?.drops.record('traces', 'invalid_value', 'withSpan');
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
  activeTelemetry()?.drops.record('traces', 'invalid_value', 'withSpan', dropped);
  return out;
}

function fail(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : safeString(err));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: err instanceof Error ? err.message : safeString(err),
  });
  span.end();
}

/** Runs `fn` with `span` active and ends the span when `fn` returns or its promise settles. */
function runInSpan<T>(span: Span, fn: (span: Span) => T): T {
  let out: T;
  try {
    out = fn(span);
  } catch (err) {
    fail(span, err);
    throw err;
  }
  if (out instanceof Promise) {
    return out.then(
      (v) => {
        span.end();
        return v;
      },
      (err) => {
        fail(span, err);
        throw err;
      },
    ) as T;
  }
  span.end();
  return out;
}

/**
 * Runs `fn` inside an active span (e.g. `grpo.step`, `grpo.generate`, `grpo.reward`, `grpo.update`),
 * ending it when `fn` returns or its promise settles, and recording an exception as the span's error.
 * Attributes OTel does not take are left out and counted. Throws a TypeError when `fn` is not a function
 * (a programmer error); whatever `fn` throws is rethrown unchanged.
 *
 * What `tracer.startActiveSpan` does, without a closure per call: the span is started in the active
 * context and `fn` runs in that context with the span set.
 */
export function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => T): T {
  if (typeof fn !== 'function') throw new TypeError(`withSpan: fn must be a function, got ${typeof fn}`);
  const attrs = spanAttributes(attributes);
  const parent = context.active();
  const span = getTracer().startSpan(
    typeof name === 'string' ? name : safeString(name),
    { attributes: attrs },
    parent,
  );
  return context.with(trace.setSpan(parent, span), runInSpan<T>, undefined, span, fn);
}

/** `withSpan('grpo.step', { 'grpo.step': step }, fn)`. */
export function withStepSpan<T>(step: number, fn: (span: Span) => T): T {
  return withSpan('grpo.step', { [ATTR_GRPO_STEP]: step }, fn);
}
