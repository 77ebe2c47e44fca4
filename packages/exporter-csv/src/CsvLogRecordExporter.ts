import {
  type FileExporterFileOptions,
  type FileExportFailure,
  FileLogRecordExporter,
  type FileRecord,
} from '@grpo-otel/file-writer';
import { diag } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { createRowFormatter, type RowFormatter } from './formatRow.js';

export interface CsvLogRecordExporterOptions extends FileExporterFileOptions {
  /** The CSV file; parent directories are created. */
  filename: string;
  /**
   * The columns, in order: `timestamp`, `level`, `name`/`channel`, `message`, the aliases in
   * `CSV_COLUMN_ALIASES` (`step`, `question`, `true_answer`, `model_answer`, `model_reasoning`,
   * `model_output`/`completion`, `correct`, `reward`), or any attribute key verbatim.
   */
  columns: readonly string[];
  /** Prefix cells starting with `=`, `+`, `-`, `@`, tab or CR with `'` (default true). */
  formulaEscape?: boolean;
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
export class CsvLogRecordExporter extends FileLogRecordExporter {
  private readonly formatter: RowFormatter;
  /** Whether the writer rolls over by size (and so needs each row as its own record). */
  private readonly rolls: boolean;
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
    const formatter = createRowFormatter(options.columns, { formulaEscape: options.formulaEscape ?? true });
    // A new file starts with the header row again.
    super('CsvLogRecordExporter', options, formatter.header);
    this.formatter = formatter;
    this.rolls = this.writer.maxBytes > 0 && this.writer.backupCount > 0;
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

  /**
   * The batch's rows, encoded to UTF-8 at once: one buffer for the batch, or, when the file rolls
   * over by size, one view of it per row (the writer needs row boundaries). Encoding here, rather
   * than queueing strings, keeps the rows off the JS heap until they are written, and writing cells
   * straight into the buffer builds no row strings at all (measured: most of the time otherwise
   * went to the garbage collector and to flattening rows).
   */
  protected encode(logs: readonly ReadableLogRecord[]): FileRecord[] {
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

  protected override onAccepted(count: number): void {
    this.accepted += count;
  }

  protected override onFailed(count: number, err: unknown, where: FileExportFailure): void {
    this.failed += count;
    if (where === 'write') this.accepted -= count;
    if (where !== 'shutdown' && !this.failureReported) {
      this.failureReported = true;
      diag.error(`CsvLogRecordExporter(${this.writer.filename}): ${count} rows not written`, err);
    }
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
