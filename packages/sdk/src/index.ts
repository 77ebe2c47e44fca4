export type { SignalEvent } from './analysis/AnalysisResult.js';
export type { SignalNotice } from './analysis/applyAnalysisResult.js';
export {
  CHANNELS,
  type ChannelName,
  forceFlush,
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
export { beginStep } from './facade/beginStep.js';
export { isLoggingStep, type LoggingStepOptions } from './facade/isLoggingStep.js';
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
export { logTrainingProgress, resolveMetricKey } from './facade/logTrainingProgress.js';
export { recordSpan } from './facade/recordSpan.js';
export { type WithSpanOptions, withSpan, withStepSpan } from './facade/withSpan.js';
export type { DropEntry, DropReason, DropSignal } from './internal/DropCounter.js';
export { ChannelLogger, type LogAttributes } from './logging/ChannelLogger.js';
export {
  ConsoleLogRecordExporter,
  type ConsoleLogRecordExporterOptions,
} from './logging/ConsoleLogRecordExporter.js';
export { LocalSinkProcessor, type LocalSinkProcessorOptions } from './logging/LocalSinkProcessor.js';
export {
  ExportQueue,
  type ExportQueueOptions,
  type ExportQueueSettings,
  type ExportQueueStats,
  type OverflowPolicy,
} from './otlp/ExportQueue.js';
export {
  QueuedLogRecordProcessor,
  type QueuedLogRecordProcessorOptions,
} from './otlp/QueuedLogRecordProcessor.js';
export { QueuedMetricExporter, type QueuedMetricExporterOptions } from './otlp/QueuedMetricExporter.js';
export { QueuedSpanProcessor, type QueuedSpanProcessorOptions } from './otlp/QueuedSpanProcessor.js';
export { GrpoTelemetry, type GrpoTelemetryOptions, SDK_VERSION } from './runtime/GrpoTelemetry.js';
export {
  type StepAnalysis,
  StepMetricSink,
  type StepMetricSinkOptions,
} from './step-metrics/StepMetricSink.js';
export { LocalSpanProcessor, type LocalSpanProcessorOptions } from './traces/LocalSpanProcessor.js';
export { spanToOtlpJsonLine } from './traces/spanToOtlpJsonLine.js';
export {
  TraceFileSpanExporter,
  type TraceFileSpanExporterOptions,
} from './traces/TraceFileSpanExporter.js';
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
