import { type FileRecord, RotatingFileWriter, type RotatingFileWriterOptions } from '@grpo-otel/file-writer';
import { diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { createRowFormatter, type RowFormatter } from './formatRow.js';

export interface CsvLogRecordExporterOptions {
  /** The CSV file; parent directories are created. */
  filename: string;
  /**
   * The columns, in order: `timestamp`, `level`, `name`/`channel`, `message`, the aliases in
   * `CSV_COLUMN_ALIASES` (`step`, `question`, `true_answer`, `model_answer`, `model_reasoning`,
   * `model_output`/`completion`, `correct`, `reward`), or any attribute key verbatim.
   */
  columns: readonly string[];
  /** Roll over before a row would take the file past this many bytes. 0 (default): never. */
  maxBytes?: number;
  /** Rolled-over files kept (`name.1` newest ... `name.N` oldest). 0 (default): never roll over. */
  backupCount?: number;
  /** Prefix cells starting with `=`, `+`, `-`, `@`, tab or CR with `'` (default true). */
  formulaEscape?: boolean;
  /** Permission bits of created files (before the umask). Default 0o640. */
  mode?: number;
  /** Permission bits of created directories (before the umask). Default 0o750. */
  dirMode?: number;
  /**
   * Write each exported batch on the caller's thread, into the OS page cache, before `export` calls
   * back (see RotatingFileWriter's `syncWrites`), instead of through libuv's thread pool. Default false.
   */
  syncWrites?: boolean;
}

/** What the exporter has done, for reporting (all counts since construction). */
export interface CsvExporterCounts {
  /** Rows handed to the file (written, or being written). */
  rowsAccepted: number;
  /** Rows whose export failed (an fs error, or export after shutdown). */
  rowsFailed: number;
  /** Cells given the formula-escape prefix. */
  formulaEscapedCells: number;
  /** Rows with lone surrogates, written with U+FFFD in their place. */
  loneSurrogateRows: number;
}

/**
 * An OTel `LogRecordExporter` writing one CSV row per log record: the configured columns, RFC 4180
 * quoting, rows ending in CR LF, UTF-8 without a BOM, formula-injection protection. The header row
 * starts every file: the first, each one after a size-based rollover, and a file that already
 * exists is appended to only if it starts with the same header (and ends with a whole row);
 * otherwise it is renamed aside to `name.YYYY-MM-DD_HH-MM-SS` (UTC) and a new file started, so
 * changing the columns never mixes two schemas in one file nor deletes the old one.
 *
 * It does not batch (the processor does): `export` formats the batch and hands the rows to the file
 * writer, which writes asynchronously, off the caller's stack (or, with `syncWrites`, before `export`
 * returns); the callback comes once they are written. `export` never throws and calls back exactly once. `forceFlush` resolves when every
 * record received so far is written and fdatasync'ed. `shutdown` is idempotent, flushes and closes;
 * afterwards `export` fails. `exportSync`/`forceFlushSync` are for the process's exit path.
 */
export class CsvLogRecordExporter implements LogRecordExporter {
  private readonly writer: RotatingFileWriter;
  private readonly formatter: RowFormatter;
  /** Whether the writer rolls over by size (and so needs each row as its own record). */
  private readonly rolls: boolean;
  private shutdownPromise: Promise<void> | undefined;
  private accepted = 0;
  private failed = 0;
  private failureReported = false;

  constructor(options: CsvLogRecordExporterOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError('CsvLogRecordExporter: options must be an object with filename and columns');
    }
    validateColumns(options.columns);
    if (options.formulaEscape !== undefined && typeof options.formulaEscape !== 'boolean') {
      throw new TypeError(
        `CsvLogRecordExporter: formulaEscape must be true or false, got ${String(options.formulaEscape)}`,
      );
    }
    this.formatter = createRowFormatter(options.columns, { formulaEscape: options.formulaEscape ?? true });
    const writerOptions: RotatingFileWriterOptions = {
      filename: options.filename,
      header: this.formatter.header,
    };
    if (options.maxBytes !== undefined) writerOptions.maxBytes = options.maxBytes;
    if (options.backupCount !== undefined) writerOptions.backupCount = options.backupCount;
    if (options.mode !== undefined) writerOptions.mode = options.mode;
    if (options.dirMode !== undefined) writerOptions.dirMode = options.dirMode;
    if (options.syncWrites !== undefined) writerOptions.syncWrites = options.syncWrites;
    // A new file starts with the header row again.
    writerOptions.onReopen = (reason) =>
      diag.warn(
        `CsvLogRecordExporter(${options.filename}): the file was ${reason} while open; writing goes on in a new file`,
      );
    try {
      this.writer = new RotatingFileWriter(writerOptions);
      this.rolls = this.writer.maxBytes > 0 && this.writer.backupCount > 0;
    } catch (err) {
      const e = err as Error;
      e.message = e.message.replace(/^RotatingFileWriter:/, 'CsvLogRecordExporter:');
      throw e;
    }
  }

  get filename(): string {
    return this.writer.filename;
  }

  get columns(): readonly string[] {
    return this.formatter.columns;
  }

  /** The header row, line ending included. */
  get header(): string {
    return this.formatter.header;
  }

  get counts(): CsvExporterCounts {
    const c = this.formatter.counts;
    return {
      rowsAccepted: this.accepted,
      rowsFailed: this.failed,
      formulaEscapedCells: c.formulaEscapedCells,
      loneSurrogateRows: c.loneSurrogateRows,
    };
  }

  export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    let called = false;
    const done = (result: ExportResult): void => {
      if (called) return;
      called = true;
      try {
        resultCallback(result);
      } catch (err) {
        diag.error('CsvLogRecordExporter: the export result callback threw', err);
      }
    };
    const count = Array.isArray(logs) ? logs.length : 0;
    if (this.shutdownPromise) {
      this.failed += count;
      done({ code: ExportResultCode.FAILED, error: this.shutDownError() });
      return;
    }
    let rows: FileRecord[];
    try {
      rows = this.encodeAll(logs);
    } catch (err) {
      this.fail(count, err);
      done({ code: ExportResultCode.FAILED, error: asError(err) });
      return;
    }
    this.accepted += count;
    this.writer.write(rows).then(
      () => done({ code: ExportResultCode.SUCCESS }),
      (err: unknown) => {
        this.accepted -= count;
        this.fail(count, err);
        done({ code: ExportResultCode.FAILED, error: asError(err) });
      },
    );
  }

  /** Resolves once every record received so far is in the file and synced to disk (fdatasync). */
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
   * handed to the OS yet. Throws (the fs error, or after shutdown) when the rows are not written.
   */
  exportSync(logs: readonly ReadableLogRecord[]): void {
    if (this.shutdownPromise) {
      this.failed += logs.length;
      throw this.shutDownError();
    }
    const rows = this.encodeAll(logs);
    try {
      this.writer.writeSync(rows);
    } catch (err) {
      this.failed += logs.length;
      throw err;
    }
    this.accepted += logs.length;
  }

  /** For process exit: writes what is queued synchronously and syncs the file. */
  forceFlushSync(): void {
    this.writer.flushSync();
  }

  /**
   * The batch's rows, encoded to UTF-8 at once: one buffer for the batch, or, when the file rolls
   * over by size, one view of it per row (the writer needs row boundaries). Encoding here, rather
   * than queueing strings, keeps the rows off the JS heap until they are written, and writing cells
   * straight into the buffer builds no row strings at all (measured: most of the time otherwise
   * went to the garbage collector and to flattening rows).
   */
  private encodeAll(logs: readonly ReadableLogRecord[]): FileRecord[] {
    if (logs.length === 0) return [];
    if (!this.rolls) return [this.formatter.encode(logs)];
    const ends: number[] = [];
    const bytes = this.formatter.encode(logs, ends);
    const views = new Array<FileRecord>(ends.length);
    let start = 0;
    for (let i = 0; i < ends.length; i++) {
      views[i] = bytes.subarray(start, ends[i]);
      start = ends[i]!;
    }
    return views;
  }

  private fail(count: number, err: unknown): void {
    this.failed += count;
    if (!this.failureReported) {
      this.failureReported = true;
      diag.error(`CsvLogRecordExporter(${this.writer.filename}): ${count} rows not written`, err);
    }
  }

  private shutDownError(): Error {
    return new Error(`CsvLogRecordExporter(${this.writer.filename}): export after shutdown`);
  }
}

function validateColumns(columns: unknown): asserts columns is readonly string[] {
  if (!Array.isArray(columns) || columns.length === 0) {
    throw new TypeError('CsvLogRecordExporter: columns must be a non-empty array of column names');
  }
  const seen = new Set<string>();
  for (const [i, c] of columns.entries()) {
    if (typeof c !== 'string' || c === '') {
      throw new TypeError(
        `CsvLogRecordExporter: columns[${i}] must be a non-empty string, got ${JSON.stringify(c) ?? String(c)}`,
      );
    }
    if (seen.has(c)) throw new TypeError(`CsvLogRecordExporter: column '${c}' is listed twice`);
    seen.add(c);
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
