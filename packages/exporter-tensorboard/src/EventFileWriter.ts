import { fstatSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { AppendOnlyFile, closeAfterFlush } from '@grpo-otel/file-writer';
import { ProtobufWriter } from '@grpo-otel/protobuf';
import { diag } from '@opentelemetry/api';
import type { Event } from './Event.js';
import { encodeEventInto } from './encodeEvent.js';
import { TFRECORD_FOOTER_BYTES, TFRECORD_HEADER_BYTES, writeFramedRecord } from './tfrecord.js';

export interface EventFileWriterOptions {
  /** The run directory (`<log_dir>/<run>`); created with its parents. */
  dir: string;
  /**
   * Start a new event file (a new name, never a rename) before a record would take the current one
   * past this many bytes. 0: never. Default 128 MiB.
   */
  maxFileBytes?: number;
  /**
   * Bytes accepted but not yet handed to the OS; records beyond it are dropped and counted
   * (`stats.droppedRecords`). Default 64 MiB.
   */
  maxQueuedBytes?: number;
  /** Appended to file names (`events.out.tfevents.<ts>.<host>.<pid>.<n><suffix>`). Default ''. */
  filenameSuffix?: string;
  /** Host name in file names. Default `os.hostname()`. */
  hostname?: string;
  /** Permission bits of created files (before the umask). Default 0o640. */
  mode?: number;
  /** Permission bits of created directories (before the umask). Default 0o750. */
  dirMode?: number;
  /**
   * Called when writing fails (the records of the failed write are lost and counted in
   * `stats.failedRecords`), and when the event file was found removed (its directory perhaps too)
   * while open, with an error of code ENOENT and the records written to it since the last check.
   * Writing goes on in a new file (directories recreated). Without it, each distinct error code is
   * reported once through `diag`.
   */
  onError?: (error: Error, records: number) => void;
  /** Called on the first successful write after a failure. */
  onRecover?: () => void;
  /**
   * Hand the bytes to the OS on the event loop's thread, with one synchronous `writev` right after the
   * caller's task (a `setImmediate`, so the records of one step still go in one call), instead of
   * through libuv's thread pool. A process killed after that turn of the event loop keeps every record
   * written before it. Rollover closes (and syncs) the old file in the background as before; `flush()`
   * (fdatasync) stays asynchronous. Default false.
   */
  syncWrites?: boolean;
}

export interface EventFileWriterStats {
  /** Records accepted (the file_version records excluded). */
  records: number;
  /** Records refused: queue full, or written after close(). */
  droppedRecords: number;
  /** Records lost to a failed write (the error is reported through `diag`). */
  failedRecords: number;
  /** Bytes handed to the OS. */
  bytesWritten: number;
}

const FILE_VERSION = 'brain.Event:2';
const SLAB_BYTES = 1 << 20;
const DEFAULT_MAX_FILE_BYTES = 128 * 1024 * 1024;
const DEFAULT_MAX_QUEUED_BYTES = 64 * 1024 * 1024;
/** How long the synchronous path waits for a write the async path already submitted. */
const SYNC_SETTLE_MS = 2000;
/** At most this often the writer checks that its file is still at its path (one stat). */
const PRESENCE_CHECK_MS = 200;

/** Process-wide counter in file names: two writers of one process never pick the same name. */
let fileCounter = 0;

/** Bytes for one logical file: records in order; `file` indexes `paths`. */
interface DataOp {
  kind: 'data';
  file: number;
  buf: Buffer;
  records: number;
}

interface SyncOp {
  kind: 'sync';
  resolve(): void;
  reject(err: unknown): void;
}

type Op = DataOp | SyncOp;

interface OpenFile {
  io: AppendOnlyFile;
  /** Logical file index this descriptor belongs to. */
  file: number;
  /** Bytes handed to write calls (submitted or done). */
  size: number;
}

/**
 * Appends TensorBoard events to `events.out.tfevents.*` files in one run directory, as TFRecords.
 *
 * `write()` encodes and frames the event on the caller's stack (a few hundred nanoseconds) into an
 * in-memory slab and returns; the bytes are handed to the OS asynchronously (libuv's thread pool), one
 * `writev` per drain, in order. Only whole records are ever written. Every file starts with a
 * `file_version: "brain.Event:2"` record. Before a record would take a file past `maxFileBytes`, the
 * writer starts a new file with a new name (a later timestamp, so TensorBoard's lexical file order
 * is the write order); files are never renamed, so a TensorBoard reading the run never loses its
 * place. `flush()` resolves once everything accepted before it is written and fdatasync'ed.
 * `flushSync()` is for process exit.
 */
export class EventFileWriter {
  readonly dir: string;
  readonly maxFileBytes: number;
  readonly maxQueuedBytes: number;
  private readonly suffix: string;
  private readonly host: string;
  private readonly mode: number;
  private readonly dirMode: number;
  private readonly onError: ((error: Error, records: number) => void) | undefined;
  private readonly onRecover: (() => void) | undefined;
  readonly syncWrites: boolean;
  /** Error codes reported through diag (without onError), and whether the last write failed. */
  private readonly reportedCodes = new Set<string>();
  private failing = false;
  /** When the file was last found at its path, and records written to it since. */
  private lastPresenceCheck = 0;
  private recordsSinceCheck = 0;
  private readonly scratch = new ProtobufWriter(512);
  private readonly headerBytes: number;

  /** Paths of logical files; a failed file is replaced by a new name. */
  private readonly paths: string[] = [];
  private readonly created: string[] = [];
  private lastTimestamp = 0;
  /** Logical file receiving new records, and its size counting queued bytes. */
  private fileIndex = 0;
  private fileBytes = 0;
  private fileRecords = 0;

  private slab: Buffer = Buffer.allocUnsafe(SLAB_BYTES);
  private slabStart = 0;
  private slabPos = 0;
  private slabRecords = 0;
  private queue: Op[] = [];
  private queuedBytes = 0;

  private file: OpenFile | undefined;
  private draining = false;
  private scheduled = false;
  /** A write the async path submitted and that has not completed: what the file size becomes. */
  private inflightEnd: number | undefined;
  /** Old files being synced and closed in the background. */
  private readonly retiring = new Set<Promise<void>>();
  private retireError: unknown;
  /** Data ops the async path took from the queue and has not submitted yet. */
  private taken: DataOp[] | undefined;
  /** Bumped when the synchronous path takes over, so a pending async step does not apply its result. */
  private generation = 0;

  private closed = false;
  private closePromise: Promise<void> | undefined;
  private dropWarned = false;
  private readonly counters: EventFileWriterStats = {
    records: 0,
    droppedRecords: 0,
    failedRecords: 0,
    bytesWritten: 0,
  };

  constructor(options: EventFileWriterOptions) {
    if (typeof options?.dir !== 'string' || options.dir === '') {
      throw new TypeError('EventFileWriter: dir must be a non-empty string');
    }
    this.dir = options.dir;
    this.maxFileBytes = nonNegative('maxFileBytes', options.maxFileBytes, DEFAULT_MAX_FILE_BYTES);
    this.maxQueuedBytes = nonNegative('maxQueuedBytes', options.maxQueuedBytes, DEFAULT_MAX_QUEUED_BYTES);
    this.suffix = options.filenameSuffix ?? '';
    if (/[/\\\0]/.test(this.suffix)) {
      throw new TypeError(`EventFileWriter: filenameSuffix must not contain / or \\, got ${this.suffix}`);
    }
    this.host = (options.hostname ?? osHostname()).replace(/[/\\\0]/g, '_') || 'localhost';
    const mode = options.mode ?? 0o640;
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) {
      throw new RangeError(`EventFileWriter: mode must be permission bits, got ${String(mode)}`);
    }
    this.mode = mode;
    const dirMode = options.dirMode ?? 0o750;
    if (!Number.isInteger(dirMode) || dirMode < 0 || dirMode > 0o7777) {
      throw new RangeError(`EventFileWriter: dirMode must be permission bits, got ${String(dirMode)}`);
    }
    this.dirMode = dirMode;
    this.onError = options.onError;
    this.onRecover = options.onRecover;
    if (options.syncWrites !== undefined && typeof options.syncWrites !== 'boolean') {
      throw new TypeError('EventFileWriter: syncWrites must be a boolean');
    }
    this.syncWrites = options.syncWrites ?? false;
    this.headerBytes = this.headerRecord(0).length;
    // Create the first file right away, so TensorBoard lists the run before its first value.
    this.paths.push(this.nextPath());
    this.fileBytes = this.headerBytes;
    this.queue.push({ kind: 'data', file: 0, buf: Buffer.alloc(0), records: 0 });
    this.schedule();
  }

  /** The event file new records go to. */
  get path(): string {
    return this.paths[this.fileIndex]!;
  }

  /** Every event file this writer has created, oldest first. */
  get files(): readonly string[] {
    return this.created;
  }

  get stats(): Readonly<EventFileWriterStats> {
    return { ...this.counters };
  }

  /**
   * Encodes and appends one event. Returns false when it was dropped (queue full, or after close()),
   * which `stats.droppedRecords` counts. Never throws for I/O; throws TypeError on an event that
   * cannot be encoded (e.g. a non-numeric step).
   */
  write(event: Event): boolean {
    if (this.closed || this.queuedBytes + (this.slabPos - this.slabStart) > this.maxQueuedBytes) {
      return this.drop();
    }
    const w = this.scratch;
    w.reset();
    encodeEventInto(w, event);
    return this.append(w.view());
  }

  /** Appends one already-serialized `Event` (protobuf bytes; this writer adds the TFRecord framing). */
  writeRecord(data: Uint8Array): boolean {
    if (this.closed || this.queuedBytes + (this.slabPos - this.slabStart) > this.maxQueuedBytes) {
      return this.drop();
    }
    return this.append(data);
  }

  /** Resolves once everything accepted so far is in the file and synced (fdatasync). */
  flush(): Promise<void> {
    if (this.closePromise) return this.closePromise;
    return new Promise<void>((resolve, reject) => {
      this.seal();
      this.queue.push({ kind: 'sync', resolve, reject });
      this.schedule();
    });
  }

  /** Flushes, then closes the file. Idempotent; later writes are dropped. */
  close(): Promise<void> {
    this.closePromise ??= (() => {
      const flushed = this.flush();
      this.closed = true;
      return closeAfterFlush(flushed, () => this.releaseFile(), true);
    })();
    return this.closePromise;
  }

  /**
   * For process exit: writes, synchronously, everything accepted that the async path has not handed
   * to the OS, then fdatasyncs the current file. A write the async path already submitted is waited
   * for (up to 2 s) so records stay in order. Files the async path is still syncing in the background
   * after a rollover are left to it (their bytes are already with the OS). Throws the fs error when
   * writing fails.
   */
  flushSync(): void {
    if (this.closePromise && this.file === undefined && this.queue.length === 0 && !this.hasSlabData()) {
      return;
    }
    this.seal();
    this.generation++;
    this.settleInflight();
    const ops: Op[] = [...(this.taken ?? []), ...this.queue];
    this.taken = undefined;
    this.queue = [];
    this.queuedBytes = 0;
    let error: unknown;
    for (const op of ops) {
      if (op.kind === 'sync') {
        if (error === undefined) {
          try {
            this.file?.io.datasyncSync();
          } catch (err) {
            error = err;
          }
        }
        if (error === undefined) op.resolve();
        else op.reject(error);
        continue;
      }
      if (error !== undefined) {
        this.counters.failedRecords += op.records;
        continue;
      }
      try {
        const file = this.file?.file === op.file ? this.file : this.openSyncFor(op.file);
        const parts = file.size === 0 ? [this.headerRecord(Date.now() / 1000), op.buf] : [op.buf];
        for (const part of parts) {
          file.io.writeSync(part);
          file.size += part.length;
          this.counters.bytesWritten += part.length;
        }
      } catch (err) {
        error = err;
        this.counters.failedRecords += op.records;
        this.discardFile();
      }
    }
    if (error === undefined && this.file) {
      try {
        this.file.io.datasyncSync();
      } catch (err) {
        error = err;
      }
    }
    if (error !== undefined) throw error;
  }

  // ---------------------------------------------------------------------------------------- enqueue

  private drop(): false {
    this.counters.droppedRecords++;
    if (!this.dropWarned) {
      this.dropWarned = true;
      diag.warn(
        this.closed
          ? `EventFileWriter(${this.dir}): write after close(); records are dropped and counted`
          : `EventFileWriter(${this.dir}): more than ${this.maxQueuedBytes} bytes queued; records are dropped and counted`,
      );
    }
    return false;
  }

  private append(data: Uint8Array): boolean {
    const n = data.length + TFRECORD_HEADER_BYTES + TFRECORD_FOOTER_BYTES;
    if (this.maxFileBytes > 0 && this.fileRecords > 0 && this.fileBytes + n > this.maxFileBytes) {
      this.seal();
      this.fileIndex++;
      this.paths.push(this.nextPath());
      this.fileBytes = this.headerBytes;
      this.fileRecords = 0;
    }
    if (this.slabPos + n > this.slab.length) {
      this.seal();
      this.slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, n));
      this.slabStart = 0;
      this.slabPos = 0;
    }
    this.slabPos = writeFramedRecord(this.slab, this.slabPos, data);
    this.slabRecords++;
    this.fileBytes += n;
    this.fileRecords++;
    this.counters.records++;
    this.schedule();
    return true;
  }

  private hasSlabData(): boolean {
    return this.slabPos > this.slabStart;
  }

  /** Moves the slab's unqueued bytes into the queue (they are never modified afterwards). */
  private seal(): void {
    if (!this.hasSlabData()) return;
    const buf = this.slab.subarray(this.slabStart, this.slabPos);
    this.queue.push({ kind: 'data', file: this.fileIndex, buf, records: this.slabRecords });
    this.queuedBytes += buf.length;
    this.slabStart = this.slabPos;
    this.slabRecords = 0;
  }

  private schedule(): void {
    if (this.syncWrites) {
      // Data is written here; the async drain only runs the flush (fdatasync) requests.
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.handOffSync();
        if (this.queue.length > 0) void this.drain();
      });
      return;
    }
    if (this.scheduled || this.draining) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private nextPath(): string {
    const now = Math.floor(Date.now() / 1000);
    // Strictly increasing per writer: TensorBoard reads a run's files in lexical order.
    const ts = Math.max(now, this.lastTimestamp + 1);
    this.lastTimestamp = ts;
    const name = `events.out.tfevents.${String(ts).padStart(10, '0')}.${this.host}.${process.pid}.${fileCounter++}${this.suffix}`;
    return join(this.dir, name);
  }

  private headerRecord(wallTime: number): Buffer {
    const w = new ProtobufWriter(64);
    encodeEventInto(w, { wallTime, step: 0, fileVersion: FILE_VERSION });
    const data = w.view();
    const out = Buffer.allocUnsafe(data.length + TFRECORD_HEADER_BYTES + TFRECORD_FOOTER_BYTES);
    writeFramedRecord(out, 0, data);
    return out;
  }

  // ------------------------------------------------------------------------------------ async drain

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (;;) {
        if (this.syncWrites) this.handOffSync();
        else this.seal();
        const op = this.queue.shift();
        if (op === undefined) break;
        if (op.kind === 'sync') {
          await this.syncOp(op);
          continue;
        }
        // Coalesce the following data ops of the same file into one writev.
        const ops: DataOp[] = [op];
        let bytes = op.buf.length;
        while (this.queue[0]?.kind === 'data' && this.queue[0].file === op.file && ops.length < 512) {
          const next = this.queue.shift() as DataOp;
          ops.push(next);
          bytes += next.buf.length;
        }
        this.queuedBytes -= bytes;
        await this.writeOps(op.file, ops);
      }
    } finally {
      this.draining = false;
    }
  }

  private async syncOp(op: SyncOp): Promise<void> {
    const file = this.file;
    try {
      await Promise.all(this.retiring);
      const retireError = this.retireError;
      this.retireError = undefined;
      if (retireError) throw retireError;
      if (file) await file.io.datasync();
      op.resolve();
    } catch (err) {
      op.reject(err);
    }
  }

  private async writeOps(fileIndex: number, ops: DataOp[]): Promise<void> {
    const gen = this.generation;
    // Until the writev is submitted, the synchronous path can still take these ops over.
    this.taken = ops;
    const records = ops.reduce((n, o) => n + o.records, 0);
    let file = this.file;
    try {
      if (file?.file === fileIndex && (await this.removedUnderUs(file))) {
        if (gen !== this.generation) return;
        this.replaceRemoved(file, fileIndex);
        file = undefined;
      }
      if (gen !== this.generation) return;
      if (file?.file !== fileIndex) {
        if (file) this.retire(file);
        file = await this.openFor(fileIndex, gen);
        if (file === undefined) return;
      }
    } catch (err) {
      if (gen !== this.generation) return;
      this.taken = undefined;
      this.fail(fileIndex, records, err);
      return;
    }
    this.taken = undefined;
    const { bufs, total } = this.bytesFor(file, ops);
    if (total === 0) return;
    file.size += total;
    this.inflightEnd = file.size;
    try {
      await file.io.writev(bufs);
      this.written(total, records);
    } catch (err) {
      if (gen !== this.generation) {
        this.counters.failedRecords += records;
        this.report(err, records);
        return;
      }
      this.fail(fileIndex, records, err);
    } finally {
      this.inflightEnd = undefined;
    }
  }

  /** The buffers of one writev to `file`: its file_version record first when the file is new. */
  private bytesFor(file: OpenFile, ops: readonly DataOp[]): { bufs: Buffer[]; total: number } {
    const bufs: Buffer[] = [];
    if (file.size === 0) bufs.push(this.headerRecord(Date.now() / 1000));
    for (const o of ops) if (o.buf.length > 0) bufs.push(o.buf);
    let total = 0;
    for (const b of bufs) total += b.length;
    return { bufs, total };
  }

  /** After a successful write: counted, and a failure before it is over. */
  private written(bytes: number, records: number): void {
    this.counters.bytesWritten += bytes;
    this.recordsSinceCheck += records;
    if (this.failing) {
      this.failing = false;
      this.reportedCodes.clear();
      this.notify(() => this.onRecover?.());
    }
  }

  /** After a failed open or write: count the loss; the file may end in a partial record, so go on in a new file. */
  private fail(fileIndex: number, records: number, err: unknown): void {
    this.counters.failedRecords += records;
    this.report(err, records);
    if (this.file?.file === fileIndex) this.discardFile();
    this.paths[fileIndex] = this.nextPath();
    if (fileIndex === this.fileIndex) {
      this.fileBytes = this.headerBytes;
      this.fileRecords = 0;
    }
  }

  /** A failed write: to onError, else once per error code through diag. */
  private report(err: unknown, records: number): void {
    this.failing = true;
    const error = err instanceof Error ? err : new Error(String(err));
    if (this.onError) {
      this.notify(() => this.onError?.(error, records));
      return;
    }
    const code = (error as NodeJS.ErrnoException).code ?? error.name;
    if (this.reportedCodes.has(code)) return;
    this.reportedCodes.add(code);
    diag.error(
      `EventFileWriter(${this.dir}): writing ${records} record(s) failed; further ${code} failures are only counted (stats.failedRecords)`,
      error,
    );
  }

  private notify(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      diag.error(`EventFileWriter(${this.dir}): an error callback threw`, err);
    }
  }

  /** Whether the open file is gone from its path (removed, or its directory), checked at most every 200 ms. */
  private async removedUnderUs(file: OpenFile): Promise<boolean> {
    const now = Date.now();
    if (now - this.lastPresenceCheck < PRESENCE_CHECK_MS) return false;
    this.lastPresenceCheck = now;
    const state = await file.io.pathState().catch(() => 'removed' as const);
    if (state === 'here') {
      this.recordsSinceCheck = 0;
      return false;
    }
    return true;
  }

  /** The file was removed under us: what went to it since the last check is lost; go on in a new file. */
  private replaceRemoved(file: OpenFile, fileIndex: number): void {
    const lost = this.recordsSinceCheck;
    this.recordsSinceCheck = 0;
    this.counters.failedRecords += lost;
    const error: NodeJS.ErrnoException = new Error(
      `${file.io.path} was removed while open (with its directory?); writing goes on in a new file`,
    );
    error.code = 'ENOENT';
    this.report(error, lost);
    if (this.file === file) this.discardFile();
    this.paths[fileIndex] = this.nextPath();
    if (fileIndex === this.fileIndex) {
      this.fileBytes = this.headerBytes;
      this.fileRecords = 0;
    }
  }

  /**
   * Before moving to the next file: sync and close the old one in the background, so writing goes on
   * meanwhile (a flush() waits for it). An fdatasync failure fails the next flush().
   */
  private retire(file: OpenFile): void {
    this.file = undefined;
    const done: Promise<void> = file.io
      .datasync()
      .catch((e: unknown) => {
        this.retireError ??= e;
        diag.warn(`EventFileWriter(${this.dir}): fdatasync of ${file.io.path} failed`, e);
      })
      .then(() => file.io.close().catch(() => {}))
      .finally(() => this.retiring.delete(done));
    this.retiring.add(done);
  }

  private async openFor(fileIndex: number, gen: number): Promise<OpenFile | undefined> {
    const path = this.paths[fileIndex]!;
    const io = await AppendOnlyFile.open(path, { mode: this.mode, dirMode: this.dirMode, exclusive: true });
    if (gen !== this.generation) {
      // flushSync opened (or will open) this file itself.
      await io.close().catch(() => {});
      return undefined;
    }
    this.file = { io, file: fileIndex, size: 0 };
    this.lastPresenceCheck = Date.now();
    this.recordsSinceCheck = 0;
    this.created.push(path);
    return this.file;
  }

  /** The open file, which the writer lets go of. */
  private releaseFile(): AppendOnlyFile | undefined {
    const file = this.file;
    this.file = undefined;
    return file?.io;
  }

  private discardFile(): void {
    this.releaseFile()?.closeWhenIdle();
  }

  // ---------------------------------------------------------------------------------- syncWrites

  /**
   * `syncWrites`: writes every queued data op now, in order, one `writev` per run of the same file;
   * flush requests stay queued for the async drain. A failed write counts its records and goes on in
   * a new file, as the async path does.
   */
  private handOffSync(): void {
    this.seal();
    if (!this.queue.some((op) => op.kind === 'data')) return;
    const ops = this.queue;
    const rest: Op[] = [];
    this.queue = rest;
    for (let i = 0; i < ops.length; ) {
      const op = ops[i]!;
      if (op.kind === 'sync') {
        rest.push(op);
        i++;
        continue;
      }
      const run: DataOp[] = [op];
      for (i++; i < ops.length; i++) {
        const next = ops[i]!;
        if (next.kind !== 'data' || next.file !== op.file) break;
        run.push(next);
      }
      for (const o of run) this.queuedBytes -= o.buf.length;
      this.writeOpsSync(op.file, run);
    }
  }

  private writeOpsSync(fileIndex: number, ops: DataOp[]): void {
    const records = ops.reduce((n, o) => n + o.records, 0);
    try {
      let file = this.file;
      if (file?.file === fileIndex && this.removedUnderUsSync(file)) {
        this.replaceRemoved(file, fileIndex);
        file = undefined;
      }
      if (file?.file !== fileIndex) {
        if (file) this.retire(file);
        file = this.openSyncFor(fileIndex);
        this.lastPresenceCheck = Date.now();
        this.recordsSinceCheck = 0;
      }
      const { bufs, total } = this.bytesFor(file, ops);
      if (total === 0) return;
      file.io.writevSync(bufs);
      file.size += total;
      this.written(total, records);
    } catch (err) {
      this.fail(fileIndex, records, err);
    }
  }

  /** removedUnderUs with a synchronous stat (at most every PRESENCE_CHECK_MS). */
  private removedUnderUsSync(file: OpenFile): boolean {
    const now = Date.now();
    if (now - this.lastPresenceCheck < PRESENCE_CHECK_MS) return false;
    this.lastPresenceCheck = now;
    if (file.io.pathStateSync() === 'here') {
      this.recordsSinceCheck = 0;
      return false;
    }
    return true;
  }

  // ------------------------------------------------------------------------------------- sync path

  /**
   * Waits (bounded) for a write the async path already submitted, so records stay in order. An
   * open in flight needs no wait: the synchronous path opens the file itself (see openSyncFor).
   */
  private settleInflight(): void {
    const end = this.inflightEnd;
    const file = this.file;
    if (end === undefined || !file) return;
    const deadline = Date.now() + SYNC_SETTLE_MS;
    while (Date.now() < deadline) {
      try {
        if (fstatSync(file.io.fd).size >= end) return;
      } catch {
        return;
      }
      sleepSync(1);
    }
  }

  private openSyncFor(fileIndex: number): OpenFile {
    const old = this.file;
    if (old) {
      this.file = undefined;
      try {
        old.io.datasyncSync();
      } finally {
        old.io.closeSync();
      }
    }
    const path = this.paths[fileIndex]!;
    // Not exclusive: an open the async path submitted may create this very file at any moment (its
    // own exclusive open then fails, harmlessly). Names are unique per process, so nothing else does.
    const io = AppendOnlyFile.openSync(path, { mode: this.mode, dirMode: this.dirMode });
    this.file = { io, file: fileIndex, size: io.size };
    if (!this.created.includes(path)) this.created.push(path);
    return this.file;
  }
}

function nonNegative(name: string, value: number | undefined, dflt: number): number {
  if (value === undefined) return dflt;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`EventFileWriter: ${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}
