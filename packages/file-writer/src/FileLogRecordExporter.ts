import { diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { type FileRecord, RotatingFileWriter, type RotatingFileWriterOptions } from './RotatingFileWriter.js';

/** Where the records of an export went missing (see `FileLogRecordExporter.onFailed`). */
export type FileExportFailure = 'shutdown' | 'encode' | 'write';

/** The file options every file-backed log record exporter takes. */
export interface FileExporterFileOptions {
  /** The file; parent directories are created. */
  filename: string;
  /** Roll over before a record would take the file past this many bytes. 0 (default): never. */
  maxBytes?: number;
  /** Rolled-over files kept (`name.1` newest ... `name.N` oldest). 0 (default): never roll over. */
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
}

/**
 * The lifecycle an OTel `LogRecordExporter` writing to a `RotatingFileWriter` has, whatever it writes:
 * `export` encodes the batch (the subclass's `encode`) and hands it to the writer, never throws and
 * calls back exactly once, when the records are written or lost; `forceFlush` resolves when every
 * record received so far is written and fdatasync'ed; `shutdown` is idempotent, flushes and closes,
 * and afterwards `export` fails; `exportSync`/`forceFlushSync` are for the process's exit path. A
 * subclass counts what it wants through `onAccepted`/`onFailed`.
 */
export abstract class FileLogRecordExporter implements LogRecordExporter {
  protected readonly writer: RotatingFileWriter;
  private shutdownPromise: Promise<void> | undefined;

  /**
   * `name` prefixes messages and errors (the class's name); `header` starts every file (see
   * RotatingFileWriter). Throws what the writer throws on bad options, under `name`.
   */
  protected constructor(
    protected readonly name: string,
    options: FileExporterFileOptions,
    header?: string,
  ) {
    const writerOptions: RotatingFileWriterOptions = { filename: options.filename };
    if (header !== undefined) writerOptions.header = header;
    if (options.maxBytes !== undefined) writerOptions.maxBytes = options.maxBytes;
    if (options.backupCount !== undefined) writerOptions.backupCount = options.backupCount;
    if (options.mode !== undefined) writerOptions.mode = options.mode;
    if (options.dirMode !== undefined) writerOptions.dirMode = options.dirMode;
    if (options.syncWrites !== undefined) writerOptions.syncWrites = options.syncWrites;
    writerOptions.onReopen = (reason) =>
      diag.warn(
        `${name}(${options.filename}): the file was ${reason} while open; writing goes on in a new file`,
      );
    try {
      this.writer = new RotatingFileWriter(writerOptions);
    } catch (err) {
      if (err instanceof Error) err.message = err.message.replace(/^RotatingFileWriter:/, `${name}:`);
      throw err;
    }
  }

  get filename(): string {
    return this.writer.filename;
  }

  /** The batch as the file's records; may throw (the batch then fails as a whole). */
  protected abstract encode(logs: readonly ReadableLogRecord[]): FileRecord[];

  /** `count` records handed to the writer. */
  protected onAccepted(_count: number): void {}

  /**
   * `count` records not written: after shutdown, because `encode` threw, or because the write failed
   * (those were `onAccepted` before).
   */
  protected onFailed(_count: number, _err: unknown, _where: FileExportFailure): void {}

  export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    let called = false;
    const done = (result: ExportResult): void => {
      if (called) return;
      called = true;
      try {
        resultCallback(result);
      } catch (err) {
        diag.error(`${this.name}: the export result callback threw`, err);
      }
    };
    if (!Array.isArray(logs)) {
      const error = this.notAnArray(logs);
      this.onFailed(0, error, 'encode');
      done({ code: ExportResultCode.FAILED, error });
      return;
    }
    const count = logs.length;
    if (this.shutdownPromise) {
      const error = this.shutDownError();
      this.onFailed(count, error, 'shutdown');
      done({ code: ExportResultCode.FAILED, error });
      return;
    }
    let records: FileRecord[];
    try {
      records = this.encode(logs);
    } catch (err) {
      this.onFailed(count, err, 'encode');
      done({ code: ExportResultCode.FAILED, error: asError(err) });
      return;
    }
    this.onAccepted(count);
    this.writer.write(records).then(
      () => done({ code: ExportResultCode.SUCCESS }),
      (err: unknown) => {
        this.onFailed(count, err, 'write');
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
   * For process exit: encodes and writes synchronously, after whatever earlier exports have not
   * handed to the OS yet. Throws (the fs error, `encode`'s, or after shutdown) when the records are
   * not written.
   */
  exportSync(logs: readonly ReadableLogRecord[]): void {
    if (!Array.isArray(logs)) {
      const error = this.notAnArray(logs);
      this.onFailed(0, error, 'encode');
      throw error;
    }
    if (this.shutdownPromise) {
      const error = this.shutDownError();
      this.onFailed(logs.length, error, 'shutdown');
      throw error;
    }
    let records: FileRecord[];
    try {
      records = this.encode(logs);
    } catch (err) {
      this.onFailed(logs.length, err, 'encode');
      throw err;
    }
    this.onAccepted(logs.length);
    try {
      this.writer.writeSync(records);
    } catch (err) {
      this.onFailed(logs.length, err, 'write');
      throw err;
    }
  }

  /** For process exit: writes what is queued synchronously and syncs the file. */
  forceFlushSync(): void {
    this.writer.flushSync();
  }

  private notAnArray(logs: unknown): TypeError {
    return new TypeError(
      `${this.name}(${this.writer.filename}): export takes an array of log records, got ${logs === null ? 'null' : typeof logs}`,
    );
  }

  private shutDownError(): Error {
    return new Error(`${this.name}(${this.writer.filename}): export after shutdown`);
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
