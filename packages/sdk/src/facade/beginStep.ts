import { diag } from '@opentelemetry/api';
import { describeValue } from '../internal/describeValue.js';
import { forwardCall, forwarding } from '../runtime/callForwarding.js';
import { activeTelemetry } from '../runtime/channelRegistry.js';
import { isStep } from './resolveStep.js';

/**
 * The trainer is now in training step `step`: every value logged without a step of its own (log
 * lines, `logReward`, `logModelOutput`, `logMemoryUsage`, and the calls whose step is left out)
 * belongs to it until the next `beginStep`, in whatever order the step's calls come. Call it at the
 * top of each step. Without it, a value belongs to the step after the last one `logTrainingProgress`
 * reported (TRL's order), 0 before the first report. A bad step is reported once and ignored.
 */
export function beginStep(step: number): void {
  if (forwarding()) {
    forwardCall('beginStep', [step]);
    return;
  }
  const t = activeTelemetry();
  if (!t) return;
  if (!isStep(step)) {
    t.drops.record('metrics', 'invalid_value', 'beginStep', 1, false);
    t.logger('training').warning(
      `beginStep: step must be a non-negative integer, got ${describeValue(step)} (${typeof step}); ignored`,
    );
    return;
  }
  const highest = t.steps.highest;
  if (highest !== undefined && step < highest)
    diag.debug(`grpo-otel: beginStep(${step}) after step ${highest}: the step went back`);
  t.beginStep(step);
}
