import { type FileRecord, RotatingFileWriter } from '@grpo-otel/file-writer';
import { diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { spanToOtlpJsonLine } from './spanToOtlpJsonLine.js';

export interface TraceFileSpanExporterOptions {
  /** The trace file; parent directories are created. */
  filename: string;
  /** Roll over before a span would take the file past this many bytes. 0 (default): never. */
  maxBytes?: number;
  /** Rolled-over files kept (`name.1` ... `name.N`). 0 (default): never roll over. */
  backupCount?: number;
  /** Permission bits of created files and directories (before the umask). */
  mode?: number;
  dirMode?: number;
  /** Hand each batch to the OS before `export` calls back (see RotatingFileWriter). Default false. */
  syncWrites?: boolean;
}

/**
 * Writes spans to a file, one OTLP/JSON line per span (see spanToOtlpJsonLine), through the
 * append-only rotating writer: each line is written whole, so after a crash or SIGKILL every line but
 * at most a torn last one parses. A local view of the traces without a collector (`traces` handler).
 * `export` never throws and calls back once; after `shutdown` it fails.
 */
export class TraceFileSpanExporter implements SpanExporter {
  private readonly writer: RotatingFileWriter;
  private shutdownPromise: Promise<void> | undefined;

  constructor(options: TraceFileSpanExporterOptions) {
    this.writer = new RotatingFileWriter({
      ...options,
      onReopen: (reason) =>
        diag.warn(
          `grpo-otel: TraceFileSpanExporter(${options.filename}): the file was ${reason} while open; writing goes on in a new file`,
        ),
    });
  }

  get filename(): string {
    return this.writer.filename;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    let records: FileRecord[];
    try {
      if (this.shutdownPromise)
        throw new Error(`TraceFileSpanExporter(${this.filename}): export after shutdown`);
      records = spans.map(spanToOtlpJsonLine);
    } catch (err) {
      resultCallback({ code: ExportResultCode.FAILED, error: err as Error });
      return;
    }
    this.writer.write(records).then(
      () => resultCallback({ code: ExportResultCode.SUCCESS }),
      (err: unknown) => resultCallback({ code: ExportResultCode.FAILED, error: err as Error }),
    );
  }

  /** For process exit: encodes and writes synchronously (throws when the spans are not written). */
  exportSync(spans: readonly ReadableSpan[]): void {
    if (this.shutdownPromise)
      throw new Error(`TraceFileSpanExporter(${this.filename}): export after shutdown`);
    this.writer.writeSync(spans.map(spanToOtlpJsonLine));
  }

  /** Everything exported so far is in the file and synced. */
  forceFlush(): Promise<void> {
    return this.writer.flush();
  }

  /** For process exit: writes what earlier exports queued, synchronously. */
  forceFlushSync(): void {
    this.writer.flushSync();
  }

  /** Flushes and closes the file. Idempotent. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.writer.close();
    return this.shutdownPromise;
  }
}
