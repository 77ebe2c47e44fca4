import { ATTR_GRPO_STEP } from '@grpo-otel/semconv';
import { type Attributes, type Span, SpanStatusCode } from '@opentelemetry/api';
import { getTracer } from '../api.js';
import { safeString } from '../internal/describeValue.js';
import { activeTelemetry } from '../runtime/channelRegistry.js';

type Primitive = string | number | boolean;
const isPrimitive = (v: unknown): v is Primitive =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/**
 * The attributes a span takes (OTel: a primitive, or an array of one primitive type); anything else
 * (the empty key, objects, bigints, symbols, mixed arrays, a non-map) is left out and counted as a
 * dropped `traces` value, where the OTel SDK would discard it with only a diagnostic.
 */
function spanAttributes(attributes: unknown): Attributes {
  if (attributes === undefined || attributes === null) return {};
  const t = activeTelemetry();
  if (typeof attributes !== 'object' || Array.isArray(attributes)) {
    t?.drops.record('traces', 'invalid_value', 'withSpan');
    return {};
  }
  const out: Attributes = {};
  let dropped = 0;
  for (const [k, v] of Object.entries(attributes)) {
    const ok =
      k !== '' &&
      k !== '__proto__' &&
      (v === undefined ||
        isPrimitive(v) ||
        (Array.isArray(v) &&
          v.every(
            (x) =>
              x === null || x === undefined || (isPrimitive(x) && typeof x === typeof v.find(isPrimitive)),
          )));
    if (ok) out[k] = v as Attributes[string];
    else dropped++;
  }
  if (dropped > 0) t?.drops.record('traces', 'invalid_value', 'withSpan', dropped);
  return out;
}

/**
 * Runs `fn` inside an active span (e.g. `grpo.step`, `grpo.generate`, `grpo.reward`, `grpo.update`),
 * ending it when `fn` returns or its promise settles, and recording an exception as the span's error.
 * Attributes OTel does not take are left out and counted. Throws a TypeError when `fn` is not a function
 * (a programmer error); whatever `fn` throws is rethrown unchanged.
 */
export function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => T): T {
  if (typeof fn !== 'function') throw new TypeError(`withSpan: fn must be a function, got ${typeof fn}`);
  const attrs = spanAttributes(attributes);
  return getTracer().startActiveSpan(
    typeof name === 'string' ? name : safeString(name),
    { attributes: attrs },
    (span) => {
      const fail = (err: unknown) => {
        span.recordException(err instanceof Error ? err : safeString(err));
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: err instanceof Error ? err.message : safeString(err),
        });
        span.end();
      };
      try {
        const out = fn(span);
        if (out instanceof Promise) {
          return out.then(
            (v) => {
              span.end();
              return v;
            },
            (err) => {
              fail(err);
              throw err;
            },
          ) as T;
        }
        span.end();
        return out;
      } catch (err) {
        fail(err);
        throw err;
      }
    },
  );
}

/** `withSpan('grpo.step', { 'grpo.step': step }, fn)`. */
export function withStepSpan<T>(step: number, fn: (span: Span) => T): T {
  return withSpan('grpo.step', { [ATTR_GRPO_STEP]: step }, fn);
}
