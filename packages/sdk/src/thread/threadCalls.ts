import { beginStep } from '../facade/beginStep.js';
import { logGenerationMetrics } from '../facade/logGenerationMetrics.js';
import { logHparams } from '../facade/logHparams.js';
import { recordMemoryUsage } from '../facade/logMemoryUsage.js';
import { logModelOutput } from '../facade/logModelOutput.js';
import { logReward } from '../facade/logReward.js';
import { logRewardMetrics } from '../facade/logRewardMetrics.js';
import { logStepTiming } from '../facade/logStepTiming.js';
import { logTrainingProgress } from '../facade/logTrainingProgress.js';
import type { ForwardedCall } from '../runtime/callForwarding.js';
import { activeTelemetry } from '../runtime/channelRegistry.js';
import { recordValidation } from '../validation/runValidation.js';

/**
 * What the telemetry thread runs for each forwarded call: the same public function (no telemetry
 * thread runs there, so it does the work), or, for the calls that read something on the training
 * thread, the part that records the reading.
 */
export const threadCalls: Readonly<Record<ForwardedCall, (...args: never[]) => unknown>> = {
  beginStep,
  logReward,
  logRewardMetrics,
  logGenerationMetrics,
  logModelOutput,
  logStepTiming,
  logTrainingProgress,
  logHparams,
  logMemoryUsage: (m: NodeJS.MemoryUsage, tm: { numBytes: number; numTensors: number } | undefined) => {
    const t = activeTelemetry();
    return t ? recordMemoryUsage(t, m, tm ?? undefined) : undefined;
  },
  recordValidation,
};
