import { ATTR_GRPO_STEP } from '@grpo-otel/semconv';
import {
  type Attributes,
  context,
  type Span,
  SpanStatusCode,
  type TimeInput,
  trace,
} from '@opentelemetry/api';
import { getTracer } from '../api.js';
import { safeString } from '../internal/describeValue.js';
import { isSpanTime } from '../internal/spanTime.js';
import { callerSide } from '../runtime/channelRegistry.js';
import { spanAttributes } from './spanAttributes.js';

export interface WithSpanOptions {
  /**
   * When the span started, if before the call (OTel's TimeInput: a `performance.now()` reading, epoch
   * milliseconds, a Date or an HrTime). Lets a step's spans be created together when the step is
   * reported, rather than one OTel call at each phase boundary. An invalid time is counted as a dropped
   * `traces` value and the span starts now.
   */
  startTime?: TimeInput;
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
export function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => T,
  options?: WithSpanOptions,
): T {
  if (typeof fn !== 'function') throw new TypeError(`withSpan: fn must be a function, got ${typeof fn}`);
  const attrs = spanAttributes(attributes, 'withSpan');
  let startTime = options?.startTime;
  if (startTime !== undefined && !isSpanTime(startTime)) {
    callerSide()?.drops.record('traces', 'invalid_value', 'withSpan');
    startTime = undefined;
  }
  const parent = context.active();
  const span = getTracer().startSpan(
    typeof name === 'string' ? name : safeString(name),
    startTime === undefined ? { attributes: attrs } : { attributes: attrs, startTime },
    parent,
  );
  return context.with(trace.setSpan(parent, span), runInSpan<T>, undefined, span, fn);
}

/** `withSpan('grpo.step', { 'grpo.step': step }, fn, options)`. */
export function withStepSpan<T>(step: number, fn: (span: Span) => T, options?: WithSpanOptions): T {
  return withSpan('grpo.step', { [ATTR_GRPO_STEP]: step }, fn, options);
}
