import { RotatingFileWriter } from '@grpo-otel/file-writer';
import { diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { LogFormatter } from '../formatters/FormatInput.js';
import { PythonFormatter, STANDARD_DATEFMT, STANDARD_FORMAT } from '../formatters/PythonFormatter.js';
import { toFormatInput } from '../formatters/toFormatInput.js';

export interface RotatingFileLogRecordExporterOptions {
  /** The log file; parent directories are created. */
  filename: string;
  /** Roll over before a record would take the file past this many bytes. 0 (default): never. */
  maxBytes?: number;
  /** Rolled-over files kept (`name.1` ... `name.N`). 0 (default): never roll over. */
  backupCount?: number;
  /** Permission bits of created files (before the umask). Default 0o640. */
  mode?: number;
  /** Permission bits of created directories (before the umask). Default 0o750. */
  dirMode?: number;
  /**
   * Write each exported batch on the caller's thread, into the OS page cache, before `export` calls
   * back (see RotatingFileWriter's `syncWrites`), instead of through libuv's thread pool. Default false.
   */
  syncWrites?: boolean;
  /** Default: the seed's `standard` formatter (`%(asctime)s - %(name)s - %(levelname)s - %(message)s`). */
  formatter?: LogFormatter;
}

/**
 * Python's RotatingFileHandler as an OTel `LogRecordExporter`: one formatted line per record
 * (a multi-line message keeps its newlines, as in Python), appended to a file that rolls over at
 * `maxBytes` keeping `backupCount` old files. Writes are asynchronous (or, with `syncWrites`, done
 * before `export` returns); batching is the processor's job. `export()` never throws and calls back exactly once; a record its formatter cannot format is
 * written as a minimal line rather than lost.
 */
export class RotatingFileLogRecordExporter implements LogRecordExporter {
  private readonly writer: RotatingFileWriter;
  private readonly formatter: LogFormatter;
  private shutdownPromise: Promise<void> | undefined;
  private formatFailureReported = false;

  constructor(options: RotatingFileLogRecordExporterOptions) {
    const writerOptions: ConstructorParameters<typeof RotatingFileWriter>[0] = { filename: options.filename };
    if (options.maxBytes !== undefined) writerOptions.maxBytes = options.maxBytes;
    if (options.backupCount !== undefined) writerOptions.backupCount = options.backupCount;
    if (options.mode !== undefined) writerOptions.mode = options.mode;
    if (options.dirMode !== undefined) writerOptions.dirMode = options.dirMode;
    if (options.syncWrites !== undefined) writerOptions.syncWrites = options.syncWrites;
    writerOptions.onReopen = (reason) =>
      diag.warn(
        `RotatingFileLogRecordExporter(${options.filename}): the file was ${reason} while open; writing goes on in a new file`,
      );
    this.writer = new RotatingFileWriter(writerOptions);
    if (options.formatter !== undefined && typeof options.formatter.format !== 'function') {
      throw new TypeError('RotatingFileLogRecordExporter: formatter must have a format(input) method');
    }
    this.formatter =
      options.formatter ?? new PythonFormatter({ format: STANDARD_FORMAT, datefmt: STANDARD_DATEFMT });
  }

  get filename(): string {
    return this.writer.filename;
  }

  export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    let called = false;
    const done = (result: ExportResult): void => {
      if (called) return;
      called = true;
      try {
        resultCallback(result);
      } catch (err) {
        diag.error('RotatingFileLogRecordExporter: the export result callback threw', err);
      }
    };
    if (this.shutdownPromise) {
      done({ code: ExportResultCode.FAILED, error: this.shutDownError() });
      return;
    }
    let lines: string[];
    try {
      lines = this.formatAll(logs);
    } catch (err) {
      done({ code: ExportResultCode.FAILED, error: asError(err) });
      return;
    }
    this.writer.write(lines).then(
      () => done({ code: ExportResultCode.SUCCESS }),
      (err: unknown) => done({ code: ExportResultCode.FAILED, error: asError(err) }),
    );
  }

  /** Resolves once every record received so far is in the file and synced to disk. */
  forceFlush(): Promise<void> {
    return this.writer.flush();
  }

  /** Flushes and closes the file. Idempotent; afterwards `export` fails. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.writer.close();
    return this.shutdownPromise;
  }

  /**
   * For process exit: formats and writes synchronously, after whatever earlier exports have not
   * handed to the OS yet. Throws (the fs error, or after shutdown) when the records are not written.
   */
  exportSync(logs: readonly ReadableLogRecord[]): void {
    if (this.shutdownPromise) throw this.shutDownError();
    this.writer.writeSync(this.formatAll(logs));
  }

  /** For process exit: writes what is queued synchronously and syncs the file. */
  forceFlushSync(): void {
    this.writer.flushSync();
  }

  private shutDownError(): Error {
    return new Error(`RotatingFileLogRecordExporter(${this.writer.filename}): export after shutdown`);
  }

  private formatAll(logs: readonly ReadableLogRecord[]): string[] {
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

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
