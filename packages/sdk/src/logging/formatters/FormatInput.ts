/**
 * What a formatter sees of a log record: the fields of Python's LogRecord that have an OTel source.
 * Built once per record by `toFormatInput`, so formatters stay pure functions of plain data.
 */
export interface FormatInput {
  /** Epoch milliseconds; may be fractional (sub-millisecond precision from the record's hrTime). */
  timeMs: number;
  /** Logger name: the channel (the record's instrumentation scope name). */
  name: string;
  /** Python level name (DEBUG, INFO, WARNING, ERROR, CRITICAL, NOTSET, or the record's own text). */
  levelname: string;
  /** Python level number (10..50; 0 when unknown). */
  levelno: number;
  /** The log body as text (non-string bodies as JSON). */
  message: string;
  /** The record's attributes, unchanged. */
  attributes: Readonly<Record<string, unknown>>;
  /** From the OTel `exception.*` attributes, when the record carries any. */
  exception?: { type?: string; message?: string; stacktrace?: string };
}

/** Turns a record into one line of text. */
export interface LogFormatter {
  /** The formatted record WITHOUT a trailing newline (a multi-line message keeps its own newlines). */
  format(input: FormatInput): string;
}
