// '@grpo-otel/sdk/otel': the SDK's OpenTelemetry building blocks, for a setup of your own. The SDK
// wires them from its config; a trainer needs none of them (see '@grpo-otel/sdk').

// Local sinks: drained synchronously at process exit
export {
  ConsoleLogRecordExporter,
  type ConsoleLogRecordExporterOptions,
} from './logging/ConsoleLogRecordExporter.js';
export { LocalSinkProcessor, type LocalSinkProcessorOptions } from './logging/LocalSinkProcessor.js';
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
