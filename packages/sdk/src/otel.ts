// '@grpo-otel/sdk/otel': the SDK's OpenTelemetry building blocks, for a setup of your own. The SDK
// wires them from its config; a trainer needs none of them (see '@grpo-otel/sdk').

// The step analyses (pure: no I/O, no OTel), as the analysis worker runs them; the sink runs them too
export type {
  AnalysisResult,
  EncodedGauges,
  HistogramValue,
  SignalEvent,
} from './analysis/AnalysisResult.js';
export { Analyzer } from './analysis/Analyzer.js';
export { GaugeTable } from './analysis/GaugeTable.js';
export type {
  AnalysisSettings,
  GenerationJob,
  GenerationReference,
  PackedTokens,
  RewardJob,
} from './analysis/protocol.js';
// Local sinks: drained synchronously at process exit
export {
  ConsoleLogRecordExporter,
  type ConsoleLogRecordExporterOptions,
} from './logging/ConsoleLogRecordExporter.js';
// Python-logging lines (the seed's `standard` formatter) and the rotating log file
export type { FormatInput, LogFormatter } from './logging/formatters/FormatInput.js';
export {
  PythonFormatter,
  type PythonFormatterOptions,
  STANDARD_DATEFMT,
  STANDARD_FORMAT,
} from './logging/formatters/PythonFormatter.js';
export { LocalSinkProcessor, type LocalSinkProcessorOptions } from './logging/LocalSinkProcessor.js';
export {
  RotatingFileLogRecordExporter,
  type RotatingFileLogRecordExporterOptions,
} from './logging/RotatingFileLogRecordExporter.js';
// Bounded, retrying OTLP queues (one per signal)
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
// Values keyed by training step, for step exporters such as TensorBoard's
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
