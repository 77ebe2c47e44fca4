import { ATTR_GRPO_STEP } from '@grpo-otel/semconv';
import { type Attributes, type Span, SpanStatusCode } from '@opentelemetry/api';
import { getTracer } from '../api.js';
import { safeString } from '../internal/describeValue.js';

/**
 * Runs `fn` inside an active span (e.g. `grpo.step`, `grpo.generate`, `grpo.reward`, `grpo.update`),
 * ending it when `fn` returns or its promise settles, and recording an exception as the span's error.
 */
export function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => T): T {
  return getTracer().startActiveSpan(name, { attributes }, (span) => {
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
  });
}

/** `withSpan('grpo.step', { 'grpo.step': step }, fn)`. */
export function withStepSpan<T>(step: number, fn: (span: Span) => T): T {
  return withSpan('grpo.step', { [ATTR_GRPO_STEP]: step }, fn);
}
