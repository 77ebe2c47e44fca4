// The withSpan of 552cb3b (startActiveSpan with a closure per call, attributes always copied through
// Object.entries), frozen here as the baseline bench/otlp/spans.ts compares the current one with.
import type { Attributes, Span } from '../../packages/sdk/node_modules/@opentelemetry/api/build/src/index.js';
import { getTracer } from '../../packages/sdk/src/api.js';
import { safeString } from '../../packages/sdk/src/internal/describeValue.js';
import { activeTelemetry } from '../../packages/sdk/src/runtime/channelRegistry.js';

type Primitive = string | number | boolean;
const isPrimitive = (v: unknown): v is Primitive =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

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

export function withSpanBaseline<T>(name: string, attributes: Attributes, fn: (span: Span) => T): T {
  if (typeof fn !== 'function') throw new TypeError(`withSpan: fn must be a function, got ${typeof fn}`);
  const attrs = spanAttributes(attributes);
  return getTracer().startActiveSpan(
    typeof name === 'string' ? name : safeString(name),
    { attributes: attrs },
    (span) => {
      const fail = (err: unknown) => {
        span.recordException(err instanceof Error ? err : safeString(err));
        span.setStatus({
          code: 2, // SpanStatusCode.ERROR
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
