export { type CompletionRow, completionsTable } from './completionsTable.js';
export { crc32c, maskCrc32c, unmaskCrc32c } from './crc32c.js';
export {
  CUSTOM_SCALARS_CONFIG_TAG,
  type CustomScalarsCategory,
  type CustomScalarsChart,
  type CustomScalarsLayout,
  customScalarsSummary,
  encodeCustomScalarsLayout,
} from './customScalarsLayout.js';
export { decodeEvent } from './decodeEvent.js';
export { type DecodedValue, decodeSummaryValue, numbers } from './decodeSummaryValue.js';
export {
  DataClass,
  DataType,
  type Event,
  type HistogramProto,
  type SummaryMetadata,
  type SummaryValue,
  type TensorProto,
} from './Event.js';
export {
  EventFileWriter,
  type EventFileWriterOptions,
  type EventFileWriterStats,
} from './EventFileWriter.js';
export { encodeEvent } from './encodeEvent.js';
export {
  type GrpoCustomScalarsLayoutOptions,
  grpoCustomScalarsLayout,
  metricTagPattern,
} from './grpoCustomScalarsLayout.js';
export {
  type ExplicitBucketHistogram,
  histogramFromExplicitBuckets,
} from './histogramFromExplicitBuckets.js';
export {
  type ExponentialBucketHistogram,
  histogramFromExponentialBuckets,
} from './histogramFromExponentialBuckets.js';
export {
  defaultBucketLimits,
  type HistogramFromValuesOptions,
  histogramFromValues,
  type ValuesHistogram,
} from './histogramFromValues.js';
export {
  HPARAMS_EXPERIMENT_TAG,
  HPARAMS_SESSION_END_INFO_TAG,
  HPARAMS_SESSION_START_INFO_TAG,
  type HparamsMetric,
  type HparamsOptions,
  type HparamValue,
  hparamsSessionEndSummary,
  hparamsSummaries,
  type SessionStatus,
} from './hparams.js';
export { escapeMarkdown, type MarkdownCell, type MarkdownTableOptions, markdownTable } from './markdown.js';
export {
  defaultOmitAttribute,
  metricTag,
  type OmitAttribute,
  sanitizeTagComponent,
  sanitizeTagName,
} from './metricTag.js';
export {
  type EventFileContents,
  isEventFileName,
  parseEventFile,
  type ReadEvent,
  type ReadIssue,
  readEvents,
} from './readEvents.js';
export type { StepMetricExporter } from './StepMetricExporter.js';
export {
  histogramSummary,
  PLUGIN_CUSTOM_SCALARS,
  PLUGIN_HISTOGRAMS,
  PLUGIN_HPARAMS,
  PLUGIN_SCALARS,
  PLUGIN_TEXT,
  type ScalarForm,
  scalarSummary,
  stringTensor,
  textSummary,
} from './summaries.js';
export {
  TensorBoardLogRecordExporter,
  type TensorBoardLogRecordExporterOptions,
} from './TensorBoardLogRecordExporter.js';
export {
  TensorBoardMetricExporter,
  type TensorBoardMetricExporterOptions,
  type TensorBoardRunSource,
} from './TensorBoardMetricExporter.js';
export { TensorBoardRun, type TensorBoardRunOptions, type TensorBoardRunStats } from './TensorBoardRun.js';
export {
  frameRecord,
  type ScannedRecord,
  scanRecords,
  TFRECORD_FOOTER_BYTES,
  TFRECORD_HEADER_BYTES,
  writeFramedRecord,
} from './tfrecord.js';
export {
  LOG_TAG_PREFIX,
  logChannel,
  logRecordStep,
  logTag,
  type MetricsToSummariesOptions,
  metricsToSummaries,
  type RenderLogRecordOptions,
  renderLogRecord,
} from './transform.js';
