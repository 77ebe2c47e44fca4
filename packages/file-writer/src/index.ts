export {
  AppendOnlyFile,
  type AppendOnlyFileOptions,
  closeAfterFlush,
  type PathState,
} from './AppendOnlyFile.js';
export {
  type FileExporterFileOptions,
  type FileExportFailure,
  FileLogRecordExporter,
} from './FileLogRecordExporter.js';
export { type FileRecord, RotatingFileWriter, type RotatingFileWriterOptions } from './RotatingFileWriter.js';
