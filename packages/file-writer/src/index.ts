export { type FileRecord, RotatingFileWriter, type RotatingFileWriterOptions } from './RotatingFileWriter.js';
