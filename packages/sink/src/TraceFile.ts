import { RotatingFileWriter } from '@grpo-otel/file-writer';
import { diag } from '@opentelemetry/api';

export interface TraceFileOptions {
  /** The trace file; parent directories are created. */
  filename: string;
  /** Roll over before a line would take the file past this many bytes. 0: never. Default 10 MiB. */
  maxBytes?: number;
  /** Rolled-over files kept (`name.1` ... `name.N`). Default 5. */
  backupCount?: number;
  /** Bytes accepted but not yet handed to the OS; lines beyond are dropped and counted. Default 64 MiB. */
  maxQueuedBytes?: number;
  /** Permission bits of the file and of directories it creates (before the umask); the writer's defaults otherwise. */
  mode?: number;
  dirMode?: number;
}

/** The SDK's default `traces` handler's rollover (logs/traces.jsonl, 10 MiB x 5). */
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const DEFAULT_BACKUP_COUNT = 5;
/** As the TensorBoard writer's queue (EventFileWriter's maxQueuedBytes). */
const DEFAULT_MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/**
 * A run's trace file: OTLP/JSON lines, one span each (see toSpanLines), appended whole through the
 * project's append-only rotating writer, so after a SIGKILL every line but at most a torn last one
 * parses, and rolled over as the SDK's `traces` handler rolls its file. Memory is bounded: the bytes of
 * lines accepted and not yet written count against `maxQueuedBytes`, and a line that would go past it
 * is dropped. `write` never throws: it resolves to the number of its lines that were lost (dropped, or
 * failed to write, or written after `close`), which the caller counts.
 */
export class TraceFile {
  readonly maxQueuedBytes: number;
  private readonly writer: RotatingFileWriter;
  private queuedBytes = 0;
  private dropWarned = false;

  constructor(options: TraceFileOptions) {
    const maxQueued = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
    if (!Number.isSafeInteger(maxQueued) || maxQueued < 0)
      throw new RangeError(
        `TraceFile: maxQueuedBytes must be a non-negative integer, got ${String(maxQueued)}`,
      );
    this.maxQueuedBytes = maxQueued;
    this.writer = new RotatingFileWriter({
      filename: options.filename,
      maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
      backupCount: options.backupCount ?? DEFAULT_BACKUP_COUNT,
      ...(options.mode !== undefined ? { mode: options.mode } : {}),
      ...(options.dirMode !== undefined ? { dirMode: options.dirMode } : {}),
      onReopen: (reason) =>
        diag.warn(
          `grpo-otel sink: ${options.filename} was ${reason} while open; writing goes on in a new file`,
        ),
    });
  }

  get filename(): string {
    return this.writer.filename;
  }

  /** Bytes accepted and not yet written. */
  get queued(): number {
    return this.queuedBytes;
  }

  /** Appends whole lines (each ending with `\n`); resolves, once written, to how many were lost. */
  async write(lines: readonly string[]): Promise<number> {
    const accepted: string[] = [];
    let bytes = 0;
    for (const line of lines) {
      const size = Buffer.byteLength(line, 'utf8');
      if (this.queuedBytes + bytes + size > this.maxQueuedBytes) continue;
      accepted.push(line);
      bytes += size;
    }
    const dropped = lines.length - accepted.length;
    if (dropped > 0) this.warnDrop(`more than ${this.maxQueuedBytes} bytes queued`);
    if (accepted.length === 0) return dropped;
    this.queuedBytes += bytes;
    try {
      await this.writer.write(accepted);
      return dropped;
    } catch (err) {
      this.warnDrop((err as Error)?.message ?? String(err));
      return lines.length;
    } finally {
      this.queuedBytes -= bytes;
    }
  }

  /** Resolves once every line written so far is in the file and synced (fdatasync). */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Flushes and closes the file. Idempotent; later writes are lost (and counted). */
  close(): Promise<void> {
    return this.writer.close();
  }

  private warnDrop(why: string): void {
    if (this.dropWarned) return;
    this.dropWarned = true;
    diag.warn(`grpo-otel sink: ${this.filename}: spans are dropped and counted (${why})`);
  }
}
