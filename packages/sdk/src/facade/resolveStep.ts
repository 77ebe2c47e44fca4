import { describeValue } from '../internal/describeValue.js';
import type { GrpoTelemetry } from '../runtime/GrpoTelemetry.js';

/** Whether `step` is a training step: a non-negative safe integer. */
export function isStep(step: unknown): step is number {
  return typeof step === 'number' && Number.isSafeInteger(step) && step >= 0;
}

/**
 * The step of a call: the one it names, else the step the trainer is in (see StepModel). A step that
 * is not a non-negative integer (a string, NaN, -1, 2.5) gets one warning naming the call and the value,
 * the call is counted as dropped (`invalid_value`) and undefined is returned: the caller drops the call.
 */
export function resolveStep(t: GrpoTelemetry, call: string, step: unknown): number | undefined {
  if (step === undefined) return t.currentStep;
  if (isStep(step)) {
    t.nameStep(step);
    return step;
  }
  t.drops.record('metrics', 'invalid_value', call, 1, false);
  t.logger('training').warning(
    `${call}: step must be a non-negative integer, got ${describeValue(step)} (${typeof step}); the call is dropped`,
  );
  return undefined;
}
