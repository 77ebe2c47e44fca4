import { CONFIG_SCHEMA } from '../config/configSchema.js';
import type { MetricsConfig } from '../config/ResolvedConfig.js';
import { callerSide } from '../runtime/channelRegistry.js';
import { isStep } from './resolveStep.js';

export interface LoggingStepOptions {
  /** The full tier (generation analyses, `metrics.full_metrics_frequency`) instead of the basic one. */
  full?: boolean;
  /** The run's last step: always a logging step of both tiers (so a run's end is always analysed). */
  final?: boolean;
}

/** Frequencies used before `initialize()` (the embedded default's). */
/** Without `initialize()`, the config's defaults. */
const METRICS_SCHEMA = CONFIG_SCHEMA.properties.metrics.properties;
const DEFAULT_FREQUENCIES = {
  loggingFrequency: METRICS_SCHEMA.logging_frequency.default,
  fullMetricsFrequency: METRICS_SCHEMA.full_metrics_frequency.default,
} as const;

/** {@link isLoggingStep} for a given `metrics` config. */
export function loggingStepOf(
  metrics: Pick<MetricsConfig, 'loggingFrequency' | 'fullMetricsFrequency'>,
  step: number,
  options: LoggingStepOptions = {},
): boolean {
  if (!isStep(step)) return false;
  if (options.final === true) return true;
  const every = options.full === true ? metrics.fullMetricsFrequency : metrics.loggingFrequency;
  return step % every === 0;
}

/**
 * The one rule for logging steps, used by the SDK and by trainers: basic metrics (the reward
 * analyses of `logRewardMetrics`) on multiples of `metrics.logging_frequency`; full metrics (the
 * generation analyses of `logGenerationMetrics`) on multiples of `metrics.full_metrics_frequency`
 * (`{ full: true }`); and the run's last step when the trainer says so (`{ final: true }`).
 * Before `initialize()`, the embedded default's frequencies (50 and 250).
 */
export function isLoggingStep(step: number, options: LoggingStepOptions = {}): boolean {
  return loggingStepOf(callerSide()?.config.metrics ?? DEFAULT_FREQUENCIES, step, options);
}
