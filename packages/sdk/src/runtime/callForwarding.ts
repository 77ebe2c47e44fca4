/**
 * The calls the training thread hands to the telemetry thread, by name: each public call checks
 * {@link forwarding} first and, while a telemetry thread runs (`telemetry_thread.enabled`), gives its
 * arguments to {@link forwardCall} and returns; the telemetry thread runs the same function with the
 * same arguments, in the order they were made, under the trace context and time of the call.
 */
export type ForwardedCall =
  | 'beginStep'
  | 'logReward'
  | 'logRewardMetrics'
  | 'logGenerationMetrics'
  | 'logModelOutput'
  | 'logStepTiming'
  | 'logTrainingProgress'
  | 'logHparams'
  | 'logMemoryUsage'
  | 'recordValidation';

type Forwarder = (call: ForwardedCall, args: unknown[]) => void;

let forwarder: Forwarder | undefined;

/** Whether calls are forwarded to a telemetry thread now. */
export function forwarding(): boolean {
  return forwarder !== undefined;
}

/** Hands a call to the telemetry thread (only while {@link forwarding}). */
export function forwardCall(call: ForwardedCall, args: unknown[]): void {
  forwarder?.(call, args);
}

export function setForwarder(f: Forwarder | undefined): void {
  forwarder = f;
}
