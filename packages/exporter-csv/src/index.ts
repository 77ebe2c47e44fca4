export {
  type CsvExporterCounts,
  CsvLogRecordExporter,
  type CsvLogRecordExporterOptions,
} from './CsvLogRecordExporter.js';
export { type ColumnAccessor, CSV_COLUMN_ALIASES, columnAccessor } from './columnAccessor.js';
export { csvField, FORMULA_ESCAPE_PREFIX, needsQuotes, startsFormula } from './csvField.js';
export {
  CSV_LINE_ENDING,
  createRowFormatter,
  type RowFormatter,
  type RowFormatterCounts,
  type RowFormatterOptions,
} from './formatRow.js';
export { formatTimestamp } from './formatTimestamp.js';
export { levelName } from './levelName.js';
export { renderValue } from './renderValue.js';
