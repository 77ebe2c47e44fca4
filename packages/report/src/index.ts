export { type BuildReportOptions, buildReportModel } from './buildReportModel.js';
export { CHART_SPECS, type ChartSpec, defaultWindow, type SeriesDraft } from './chartSpecs.js';
export { type CompletionTableOptions, completionTables, evenlySpaced } from './completionTables.js';
export { escapeHtml, jsonForHtmlScript } from './escapeHtml.js';
export { histogramQuantile, type QuantileHistogram } from './histogramQuantile.js';
export { type ChartLibrary, loadChartLibrary } from './loadChartLibrary.js';
export { type HistogramSeries, type MetricSeries, MetricSource } from './MetricSource.js';
export { type CsvParseResult, parseCsv } from './parseCsv.js';
export { type LogTextRecord, parseJsonArrayPrefix, parseLogText } from './parseLogText.js';
export { ReportError } from './ReportError.js';
export type {
  CellKind,
  Chart,
  ChartSeries,
  CompletionTable,
  MissingChart,
  ReportModel,
  SeriesStyle,
  SignalMark,
  SummaryItem,
} from './ReportModel.js';
export type {
  CsvTable,
  HistogramPoint,
  RunContents,
  RunFolder,
  ScalarPoint,
  TextPoint,
} from './RunFolder.js';
export { readRunFolder } from './readRunFolder.js';
export { contentSecurityPolicy, renderReportHtml } from './renderReportHtml.js';
export { signalMarks } from './signalMarks.js';
export { undoFormulaEscape } from './undoFormulaEscape.js';
export { unescapeMarkdown } from './unescapeMarkdown.js';
export {
  DEFAULT_REPORT_FILE,
  type ReportResult,
  type WriteReportOptions,
  writeReport,
} from './writeReport.js';
