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
export { ChannelLogger, type LogAttributes } from './ChannelLogger.js';
export { ConfigError } from './config/ConfigError.js';
export { type ChannelRoute, channelRoutes, IMPLICIT_OTLP_HANDLER } from './config/channelRoutes.js';
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
export {
  ExportQueue,
  type ExportQueueOptions,
  type ExportQueueSettings,
  type ExportQueueStats,
  type OverflowPolicy,
} from './export/ExportQueue.js';
export {
  QueuedLogRecordProcessor,
  type QueuedLogRecordProcessorOptions,
} from './export/QueuedLogRecordProcessor.js';
export { QueuedMetricExporter, type QueuedMetricExporterOptions } from './export/QueuedMetricExporter.js';
export { QueuedSpanProcessor, type QueuedSpanProcessorOptions } from './export/QueuedSpanProcessor.js';
export {
  ConsoleLogRecordExporter,
  type ConsoleLogRecordExporterOptions,
} from './exporters/ConsoleLogRecordExporter.js';
export { spanToOtlpJsonLine } from './exporters/spanToOtlpJsonLine.js';
export {
  TraceFileSpanExporter,
  type TraceFileSpanExporterOptions,
} from './exporters/TraceFileSpanExporter.js';
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
export { LEVEL_NUMBERS, type LevelName } from './levels.js';
export { LocalSinkProcessor, type LocalSinkProcessorOptions } from './processors/LocalSinkProcessor.js';
export { LocalSpanProcessor, type LocalSpanProcessorOptions } from './processors/LocalSpanProcessor.js';
export {
  type StepAnalysis,
  StepMetricSink,
  type StepMetricSinkOptions,
} from './processors/StepMetricSink.js';
export { GrpoTelemetry, type GrpoTelemetryOptions, SDK_VERSION } from './runtime/GrpoTelemetry.js';
export { beginStep } from './step/beginStep.js';
export { isLoggingStep, type LoggingStepOptions } from './step/isLoggingStep.js';
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
