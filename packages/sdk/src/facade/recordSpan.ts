import { type Attributes, context, type TimeInput, trace } from '@opentelemetry/api';
import { otperformance } from '@opentelemetry/core';
import { getTracer } from '../api.js';
import { safeString } from '../internal/describeValue.js';
import { isSpanTime, spanTimeNanos, toEpochSpanTime } from '../internal/spanTime.js';
import { callerSide } from '../runtime/channelRegistry.js';
import { spanAttributes } from './spanAttributes.js';

/**
 * Records a span that has already happened: a phase the trainer timed itself (generation, reward,
 * update, ...), as a child of the active span (say the step's, from `withStepSpan`), from `startTime` to
 * `endTime` (OTel's TimeInput: `performance.now()` readings, epoch milliseconds, Dates or HrTimes).
 *
 * Why not `withSpan` around each phase: every OTel call at a phase boundary comes right after the
 * phase's kernels, when its code has gone cold, and costs several times what it costs warm. Recording
 * the phases when the step is reported, together with its other telemetry, pays that once per step.
 *
 * `children`, when given, runs with the recorded span active, so that the spans it records (say one per
 * reward function inside `grpo.reward`) are its children; the span ends after it, even if it throws
 * (rethrown unchanged).
 *
 * A time that is not one, one in the future, or an end before the start: the span is not recorded and
 * one `traces` value of `recordSpan` is counted as dropped (`children` still runs, under the active
 * span). Attributes OTel does not take are left out and counted, as in `withSpan`. Before
 * `initialize()` or with the SDK disabled it only runs `children`.
 */
export function recordSpan(
  name: string,
  attributes: Attributes,
  startTime: TimeInput,
  endTime: TimeInput,
  children?: () => void,
): void {
  if (children !== undefined && typeof children !== 'function') {
    throw new TypeError(`recordSpan: children must be a function, got ${typeof children}`);
  }
  const t = callerSide();
  const valid =
    t !== undefined &&
    isSpanTime(startTime) &&
    isSpanTime(endTime) &&
    spanTimeNanos(endTime) >= spanTimeNanos(startTime);
  if (!valid) {
    t?.drops.record('traces', 'invalid_value', 'recordSpan');
    children?.();
    return;
  }
  // One tie of performance.now() to the wall clock for a span and the spans `children` records: OTel
  // ties each span's own when it starts (Date.now(), whole milliseconds, read just before
  // performance.now()), so a parent and its children, each tied apart, could disagree by a millisecond,
  // or by as long as the thread was preempted between the two readings.
  const outer = treeOffsetMs === undefined;
  if (outer) treeOffsetMs = Date.now() - (otperformance.timeOrigin + otperformance.now());
  const offset = treeOffsetMs as number;
  try {
    const parent = context.active();
    const span = getTracer().startSpan(
      typeof name === 'string' ? name : safeString(name),
      { attributes: spanAttributes(attributes, 'recordSpan'), startTime: toEpochSpanTime(startTime, offset) },
      parent,
    );
    if (children === undefined) {
      span.end(toEpochSpanTime(endTime, offset));
      return;
    }
    try {
      context.with(trace.setSpan(parent, span), children);
    } finally {
      span.end(toEpochSpanTime(endTime, offset));
    }
  } finally {
    if (outer) treeOffsetMs = undefined;
  }
}

/** The wall clock minus performance.now()'s, for the recordSpan tree being recorded (see recordSpan). */
let treeOffsetMs: number | undefined;
