import type { TimeInput } from '@opentelemetry/api';
import {
  addHrTimes,
  hrTimeToNanoseconds,
  isTimeInputHrTime,
  millisToHrTime,
  otperformance,
  timeInputToHrTime,
} from '@opentelemetry/core';

/**
 * Whether `time` is a time OTel's span takes as meant: a finite, non-negative number (a
 * `performance.now()` reading, not in the future, or epoch milliseconds, as OTel tells them apart), a
 * valid Date, or an HrTime of finite seconds and nanoseconds in [0, 1e9). A `performance.now()` reading
 * from the future would be read by the span as epoch milliseconds (1970), so it is not taken.
 */
export function isSpanTime(time: unknown): time is TimeInput {
  if (typeof time === 'number') {
    if (!Number.isFinite(time) || time < 0) return false;
    return time >= otperformance.timeOrigin / 2 || time <= otperformance.now();
  }
  if (time instanceof Date) return Number.isFinite(time.getTime());
  if (isTimeInputHrTime(time)) {
    const [s, ns] = time;
    return Number.isFinite(s) && s >= 0 && Number.isFinite(ns) && ns >= 0 && ns < 1e9;
  }
  return false;
}

/** A valid span time (see isSpanTime) in nanoseconds since the epoch, for ordering two of them. */
export function spanTimeNanos(time: TimeInput): number {
  return hrTimeToNanoseconds(timeInputToHrTime(time));
}

/**
 * A valid span time as OTel's span would read it, with `offsetMs` (the wall clock minus
 * performance.now()'s) as the tie of a `performance.now()` reading to the epoch, instead of the one the
 * span takes when it starts: an HrTime, which the span takes as it is. Other times are returned as they are.
 */
export function toEpochSpanTime(time: TimeInput, offsetMs: number): TimeInput {
  if (typeof time === 'number' && time <= otperformance.now())
    return addHrTimes(millisToHrTime(otperformance.timeOrigin), millisToHrTime(time + offsetMs));
  return time;
}
