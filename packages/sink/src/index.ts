export {
  AnalysisForwarder,
  type AnalysisForwarderOptions,
  type AnalysisForwarderStats,
} from './AnalysisForwarder.js';
export { analysisSettings } from './analysisSettings.js';
export { decodeOtlpProtobuf } from './decodeOtlpProtobuf.js';
export { mergeStepBatches } from './mergeStepBatches.js';
export type {
  OtlpAnyValue,
  OtlpKeyValue,
  OtlpLogRecord,
  OtlpLogsRequest,
  OtlpMetric,
  OtlpMetricsRequest,
  OtlpResource,
  OtlpScope,
  OtlpSignal,
  OtlpSpan,
  OtlpSpanEvent,
  OtlpSpanLink,
  OtlpTracesRequest,
} from './OtlpRequest.js';
export {
  DEFAULT_CSV_COLUMNS,
  DEFAULT_TEXT_CHANNELS,
  OtlpSink,
  type OtlpSinkOptions,
  type OtlpSinkTlsOptions,
} from './OtlpSink.js';
export { OtlpJsonError, parseOtlpJson } from './parseOtlpJson.js';
export { parseStepBatch, type StepBatch, StepBatchError, stepBatchJobs } from './parseStepBatch.js';
export {
  RunAnalyses,
  SINK_ORIGIN_ATTRIBUTE,
  SINK_SCOPE_NAME,
  type StepAnalysisOutput,
} from './RunAnalyses.js';
export { type RunIdentity, runIdentity, safeRunName } from './runIdentity.js';
export { SinkRun, type SinkRunOptions } from './SinkRun.js';
export { type SinkDropReason, SinkStats, type SinkStatsSnapshot } from './SinkStats.js';
export { pointStep, splitMetricsByStep } from './splitMetricsByStep.js';
export { TraceFile, type TraceFileOptions } from './TraceFile.js';
export { toLogRecords } from './toLogRecords.js';
export { type ToResourceMetricsResult, toResourceMetrics } from './toResourceMetrics.js';
export { type SpanLines, toSpanLines } from './toSpanLines.js';
