/**
 * The time of the call being handled, when it was made on another thread: the telemetry thread sets
 * it while it runs a call the training thread captured, so records carry the time of the call, not
 * the time it was handled. Undefined otherwise (records take the current time).
 */
let callTime: number | undefined;

/** The captured call's time (epoch milliseconds), if a captured call is being handled. */
export function capturedCallTime(): number | undefined {
  return callTime;
}

/** Runs `fn` as the call made at `epochMs`. */
export function atCallTime<T>(epochMs: number, fn: () => T): T {
  const before = callTime;
  callTime = epochMs;
  try {
    return fn();
  } finally {
    callTime = before;
  }
}
