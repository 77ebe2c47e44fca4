// Well-known values of enumerated attributes, as const tuples with their union types.
// The meaning of each value is documented in ATTRIBUTES (attributes.ts).

/**
 * Reserved `grpo.reward.function` value for the weighted sum of all reward functions, i.e. the reward the
 * advantages are computed from (TRL's `reward`). Per-function series and the total share one metric, so
 * one query shows both; exclude it when aggregating over functions: `{grpo_reward_function!="total"}`.
 */
export const REWARD_FUNCTION_TOTAL = 'total';

export const SPLIT_VALUES = ['train', 'validation', 'test'] as const;
export type Split = (typeof SPLIT_VALUES)[number];

/** The seed's loggers, one OpenTelemetry Logger each. */
export const CHANNEL_VALUES = [
  'training',
  'model_outputs',
  'rewards',
  'whitelist',
  'metrics',
  'system',
] as const;
export type Channel = (typeof CHANNEL_VALUES)[number];

export const CORRELATION_METHOD_VALUES = ['pearson', 'spearman'] as const;
export type CorrelationMethod = (typeof CORRELATION_METHOD_VALUES)[number];

export const KL_ESTIMATOR_VALUES = ['k1', 'k2', 'k3'] as const;
export type KlEstimator = (typeof KL_ESTIMATOR_VALUES)[number];

export const FORMAT_MODE_VALUES = ['strict', 'lenient'] as const;
export type FormatMode = (typeof FORMAT_MODE_VALUES)[number];

export const PHASE_VALUES = [
  'generation',
  'reward',
  'reference',
  'old_logprob',
  'advantage',
  'update',
  'validation',
  'checkpoint',
] as const;
export type Phase = (typeof PHASE_VALUES)[number];

export const MEMORY_POOL_VALUES = ['rss', 'v8_heap', 'tensor'] as const;
export type MemoryPool = (typeof MEMORY_POOL_VALUES)[number];

export const SIGNAL_KIND_VALUES = [
  'reward_plateau',
  'validation_plateau',
  'entropy_collapse',
  'diversity_collapse',
  'length_collapse',
  'format_collapse',
  'kl_explosion',
  'zero_variance',
] as const;
export type SignalKind = (typeof SIGNAL_KIND_VALUES)[number];

export const TELEMETRY_SIGNAL_VALUES = ['logs', 'metrics', 'traces'] as const;
export type TelemetrySignal = (typeof TELEMETRY_SIGNAL_VALUES)[number];

export const DROP_REASON_VALUES = [
  'rate_limited',
  'sampled',
  'queue_full',
  'export_failed',
  'invalid_value',
  'shutdown',
  'timeout',
  'sink_unavailable',
  'process_exit',
] as const;
export type DropReason = (typeof DROP_REASON_VALUES)[number];

export const SANITIZE_REASON_VALUES = [
  'truncated',
  'formula_escaped',
  'control_characters',
  'coerced',
  'redacted',
] as const;
export type SanitizeReason = (typeof SANITIZE_REASON_VALUES)[number];

export const EXPORTER_VALUES = ['console', 'file', 'csv', 'tensorboard', 'otlp'] as const;
export type ExporterName = (typeof EXPORTER_VALUES)[number];

/** `gen_ai.token.type` values from OpenTelemetry GenAI semantic conventions. */
export const TOKEN_TYPE_VALUES = ['input', 'output'] as const;
export type TokenType = (typeof TOKEN_TYPE_VALUES)[number];

/**
 * `error.type` values for model errors found during validation (error pattern analysis). Exceptions use
 * their class name; anything else `_OTHER`, as OpenTelemetry recommends.
 */
export const VALIDATION_ERROR_TYPE_VALUES = [
  'wrong_answer',
  'no_answer',
  'format_error',
  'incomplete_reasoning',
  'empty',
  'exception',
  'timeout',
] as const;
export type ValidationErrorType = (typeof VALIDATION_ERROR_TYPE_VALUES)[number];
