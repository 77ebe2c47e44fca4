import { type FileExporterFileOptions, FileLogRecordExporter } from '@grpo-otel/file-writer';
import { diag } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { LogFormatter } from './formatters/FormatInput.js';
import { PythonFormatter, STANDARD_DATEFMT, STANDARD_FORMAT } from './formatters/PythonFormatter.js';
import { toFormatInput } from './formatters/toFormatInput.js';

export interface RotatingFileLogRecordExporterOptions extends FileExporterFileOptions {
  /** Default: the seed's `standard` formatter (`%(asctime)s - %(name)s - %(levelname)s - %(message)s`). */
  formatter?: LogFormatter;
}

/**
 * Python's RotatingFileHandler as an OTel `LogRecordExporter`: one formatted line per record
 * (a multi-line message keeps its newlines, as in Python), appended to a file that rolls over at
 * `maxBytes` keeping `backupCount` old files. Writes are asynchronous (or, with `syncWrites`, done
 * before `export` returns); batching is the processor's job. `export()` never throws and calls back
 * exactly once (the lifecycle is `FileLogRecordExporter`'s); a record its formatter cannot format is
 * written as a minimal line rather than lost.
 */
export class RotatingFileLogRecordExporter extends FileLogRecordExporter {
  private readonly formatter: LogFormatter;
  private formatFailureReported = false;

  constructor(options: RotatingFileLogRecordExporterOptions) {
    if (options?.formatter !== undefined && typeof options.formatter.format !== 'function') {
      throw new TypeError('RotatingFileLogRecordExporter: formatter must have a format(input) method');
    }
    super('RotatingFileLogRecordExporter', options);
    this.formatter =
      options.formatter ?? new PythonFormatter({ format: STANDARD_FORMAT, datefmt: STANDARD_DATEFMT });
  }

  protected encode(logs: readonly ReadableLogRecord[]): string[] {
    const lines = new Array<string>(logs.length);
    for (let i = 0; i < logs.length; i++) lines[i] = `${this.formatOne(logs[i]!)}\n`;
    return lines;
  }

  private formatOne(record: ReadableLogRecord): string {
    let input: ReturnType<typeof toFormatInput> | undefined;
    try {
      input = toFormatInput(record);
      return this.formatter.format(input);
    } catch (err) {
      if (!this.formatFailureReported) {
        this.formatFailureReported = true;
        diag.warn(
          `RotatingFileLogRecordExporter(${this.writer.filename}): the formatter threw; writing a minimal line instead`,
          err,
        );
      }
      return minimalLine(input);
    }
  }
}

/** `<ISO time> <LEVEL> <name> <message>`: what is left when the configured formatter fails. */
function minimalLine(input: ReturnType<typeof toFormatInput> | undefined): string {
  if (!input) return '[unformattable log record]';
  try {
    const d = new Date(Math.floor(input.timeMs));
    const time = Number.isNaN(d.getTime()) ? '-' : d.toISOString();
    return `${time} ${input.levelname} ${input.name} ${input.message}`;
  } catch {
    return '[unformattable log record]';
  }
}
