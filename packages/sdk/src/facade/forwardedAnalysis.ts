import { currentSide } from '../runtime/channelRegistry.js';
import { loggingStepOf } from './isLoggingStep.js';

/**
 * What `logRewardMetrics` / `logGenerationMetrics` return when the call went to the telemetry thread:
 * whether the step is analysed (the tier is enabled and it is a logging step of it). The callers add
 * their batch's shape checks (what makes the call return false there); the values themselves are
 * checked and counted on the telemetry thread. A call without a step (the current step, known
 * there) returns false.
 */
export function forwardedAnalysis(
  tier: 'rewardMetrics' | 'generationMetrics',
  step: unknown,
  options: unknown,
): boolean {
  const config = currentSide()?.config;
  if (!config || typeof step !== 'number' || !config.metrics.enable[tier]) return false;
  const final =
    options !== null && typeof options === 'object' && (options as { final?: unknown }).final === true;
  return loggingStepOf(config.metrics, step, {
    ...(tier === 'generationMetrics' ? { full: true } : {}),
    final,
  });
}
