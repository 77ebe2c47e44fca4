export { RotatingFileWriter, type RotatingFileWriterOptions } from './RotatingFileWriter.js';
