// The public API of @grpo-otel/sdk: what a trainer calls (listed in the README). Building blocks for
// an OpenTelemetry setup of your own (bounded OTLP queues, local sinks, the step sink) are in
// '@grpo-otel/sdk/otel'.

export type { SignalEvent, SignalNotice } from './analysis/AnalysisResult.js';
// Lifecycle and channels
export {
  CHANNELS,
  type ChannelName,
  forceFlush,
  getDrops,
  getLogger,
  getMeter,
  getMetricsLogger,
  getModelLogger,
  getRewardLogger,
  getSystemLogger,
  getTelemetry,
  getTracer,
  getTrainingLogger,
  getWhitelistLogger,
  type InitializeOptions,
  initialize,
  onPlateau,
  onSignal,
  registerTensorMemory,
  shutdown,
} from './api.js';
// Config
export { ConfigError } from './config/ConfigError.js';
export { type ChannelRoute, channelRoutes, IMPLICIT_OTLP_HANDLER } from './config/channelRoutes.js';
export { LEVEL_NUMBERS, type LevelName } from './config/levels.js';
export { type LoadConfigOptions, loadConfigFile, parseConfig } from './config/loadConfig.js';
export type {
  ChannelConfig,
  ConsoleHandlerConfig,
  CsvHandlerConfig,
  FileHandlerConfig,
  FormatterConfig,
  HandlerConfig,
  MetricsConfig,
  NullHandlerConfig,
  OtlpConfig,
  OtlpHandlerConfig,
  OtlpQueueConfig,
  OtlpSettings,
  OtlpTlsSettings,
  ResolvedConfig,
  ResourceConfig,
  TensorBoardHandlerConfig,
} from './config/ResolvedConfig.js';
export { redactUrl } from './config/redactUrl.js';
// The step
export { beginStep } from './facade/beginStep.js';
export { isLoggingStep, type LoggingStepOptions } from './facade/isLoggingStep.js';
// GRPO calls
export {
  type Generation,
  type GenerationMetricsOptions,
  type GenerationReferenceInput,
  logGenerationMetrics,
} from './facade/logGenerationMetrics.js';
export { logHparams } from './facade/logHparams.js';
export { logMemoryUsage, type MemorySnapshot } from './facade/logMemoryUsage.js';
export { ATTR_MODEL_OUTPUT, extractTag, logModelOutput } from './facade/logModelOutput.js';
export { logReward } from './facade/logReward.js';
export { logRewardMetrics, type RewardMetricsOptions } from './facade/logRewardMetrics.js';
export { logStepTiming, type StepTiming } from './facade/logStepTiming.js';
export { logTrainingProgress } from './facade/logTrainingProgress.js';
// Spans
export { recordSpan } from './facade/recordSpan.js';
export { type WithSpanOptions, withSpan, withStepSpan } from './facade/withSpan.js';
export type { DropEntry, DropReason, DropSignal } from './internal/DropCounter.js';
export type { ChannelLogger, LogAttributes } from './logging/ChannelLogger.js';
export type { GrpoTelemetry, GrpoTelemetryOptions } from './runtime/GrpoTelemetry.js';
export { SDK_VERSION } from './runtime/sdkVersion.js';
// Validation
export {
  DatasetError,
  loadValidationDataset,
  parseValidationDataset,
  type ValidationSample,
} from './validation/loadValidationDataset.js';
export {
  runValidation,
  scoreValidationSample,
  setValidationDataset,
  shouldValidate,
  type ValidationErrorType,
  type ValidationResult,
  type ValidationSampleResult,
} from './validation/runValidation.js';
export type {
  GenerateFn,
  GenerateResult,
  ValidationModel,
  ValidationTokenizer,
} from './validation/ValidationModel.js';
