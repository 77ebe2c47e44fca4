import { closeSync, existsSync, openSync, readSync, renameSync } from 'node:fs';
import { access, open, rename } from 'node:fs/promises';
import { AppendOnlyFile, closeAfterFlush } from './AppendOnlyFile.js';

export interface RotatingFileWriterOptions {
  /** The log file; parent directories are created. */
  filename: string;
  /** Roll over before a record would take the file past this many bytes. 0 (default): never. */
  maxBytes?: number;
  /** Rolled-over files kept (`name.1` newest ... `name.N` oldest). 0 (default): never roll over. */
  backupCount?: number;
  /** Permission bits of files this writer creates (before the umask). Default 0o640. */
  mode?: number;
  /**
   * Written at the start of every new file (its line ending included, e.g. a CSV header row). An
   * existing non-empty file is appended to only when it starts with exactly these bytes and ends
   * with the header's line ending (its last record is whole); otherwise it is renamed aside to
   * `name.YYYY-MM-DD_HH-MM-SS` (UTC; `_2`, `_3`, ... appended if taken), outside the rotation set
   * so rollover never deletes it, and a new file is started. Default: none.
   */
  header?: string;
  /** Permission bits of directories this writer creates (before the umask). Default 0o750. */
  dirMode?: number;
  /**
   * Called when the open file was found removed (its directory too, perhaps) or replaced by another
   * file at its path: writing goes on in a new file at the path (directories recreated), starting
   * with the records of the write that found it gone. Checked with every write (a `stat` alongside it).
   */
  onReopen?: (reason: 'removed' | 'replaced') => void;
  /**
   * Write on the caller's thread: `write()` hands its records to the OS (the page cache, not the
   * disk) before it returns, with one synchronous write call, instead of through libuv's thread pool.
   * A process killed right after `write()` returned then loses none of them. Costs the caller the
   * write call's time (microseconds on a local disk; a slow network filesystem can block longer).
   * `flush()` (fdatasync) stays asynchronous. Default false.
   */
  syncWrites?: boolean;
}

/**
 * One whole record: text (written as UTF-8) or bytes already encoded. Bytes let a caller encode a
 * batch at once, off the JS heap, instead of handing over many strings that live until written.
 */
export type FileRecord = string | Uint8Array;

interface Entry {
  records: readonly FileRecord[];
  flush: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

/** Records the async path has taken; `next` is the first not yet handed to a write call. */
interface Batch {
  records: FileRecord[];
  next: number;
  /** Set when the synchronous path took over the rest of the batch and failed writing it. */
  error?: unknown;
}

/**
 * Python's RotatingFileHandler as a byte sink: appends whole records (text as UTF-8, or bytes) to `filename` and,
 * before a record would take a non-empty file past `maxBytes`, rolls over: `name.(N-1)` becomes
 * `name.N` (the oldest is replaced), ..., `name` becomes `name.1`, and writing goes on in a fresh
 * `name`. A record is never split: one larger than maxBytes goes alone into a fresh file. With
 * maxBytes or backupCount 0 there is no rollover, as in Python. Special files (/dev/stdout, FIFOs)
 * are never rolled over. With a `header`, every new file (the first one, and each one after a rollover)
 * starts with it; the header counts toward maxBytes, and a file holding only the header counts as
 * empty. It is written in the same write call as the file's first records, so a file is never left
 * with a header alone or with a header after records.
 *
 * I/O is asynchronous by default: `write()` queues, one drain loop writes everything queued so far
 * with one write call per file segment, in call order. With `syncWrites`, `write()` makes that write
 * call itself before returning (see the option). An fs error rejects the calls whose records were in
 * the failed write, closes the file, and the next write opens it again. `writeSync()`/`flushSync()`
 * are for process exit: they first write, synchronously, what the async path has not yet handed
 * to the OS, then their own records. Either way, a file removed or replaced under the writer is
 * noticed with the write (one `stat`) and written anew at its path.
 */
export class RotatingFileWriter {
  readonly filename: string;
  readonly maxBytes: number;
  readonly backupCount: number;
  readonly mode: number;
  readonly dirMode: number;
  readonly header: string | undefined;
  private readonly onReopen: ((reason: 'removed' | 'replaced') => void) | undefined;
  private readonly headerBuf: Buffer | undefined;
  /** Bytes of the header: a file this size or smaller counts as empty for rollover. */
  private readonly base: number;
  /** The header's trailing line ending: an existing file must end with it to be appended to. */
  private readonly headerEnd: Buffer | undefined;
  private readonly rolls: boolean;
  readonly syncWrites: boolean;
  private file: AppendOnlyFile | undefined;
  /** Files the header goes into before the next bytes written (new files, and special files). */
  private readonly headerPending = new WeakSet<AppendOnlyFile>();
  private queue: Entry[] = [];
  private draining = false;
  private batch: Batch | undefined;
  private closed = false;
  private closePromise: Promise<void> | undefined;

  constructor(options: RotatingFileWriterOptions) {
    if (typeof options?.filename !== 'string' || options.filename === '') {
      throw new TypeError('RotatingFileWriter: filename must be a non-empty string');
    }
    this.filename = options.filename;
    this.maxBytes = count('maxBytes', options.maxBytes);
    this.backupCount = count('backupCount', options.backupCount);
    this.mode = permissionBits('mode', options.mode ?? 0o640);
    this.dirMode = permissionBits('dirMode', options.dirMode ?? 0o750);
    if (options.onReopen !== undefined && typeof options.onReopen !== 'function') {
      throw new TypeError('RotatingFileWriter: onReopen must be a function');
    }
    this.onReopen = options.onReopen;
    if (options.header !== undefined && (typeof options.header !== 'string' || options.header === '')) {
      throw new TypeError('RotatingFileWriter: header must be a non-empty string when set');
    }
    this.header = options.header;
    this.headerBuf = this.header === undefined ? undefined : Buffer.from(this.header, 'utf8');
    this.base = this.headerBuf?.length ?? 0;
    const ending = this.header === undefined ? '' : /[\r\n]*$/.exec(this.header)![0];
    this.headerEnd = ending === '' ? undefined : Buffer.from(ending, 'utf8');
    this.rolls = this.maxBytes > 0 && this.backupCount > 0;
    if (options.syncWrites !== undefined && typeof options.syncWrites !== 'boolean') {
      throw new TypeError('RotatingFileWriter: syncWrites must be a boolean');
    }
    this.syncWrites = options.syncWrites ?? false;
  }

  /**
   * Appends records (each a whole record, newline included) after everything written before.
   * Byte records are kept by reference until written: do not change them afterwards.
   */
  write(records: readonly FileRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError());
    if (!this.syncWrites) return this.enqueue(records, false);
    try {
      this.writeThrough(records);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Resolves once everything written before is in the file and synced to disk (fdatasync). */
  flush(): Promise<void> {
    if (this.closed) return this.closePromise ?? Promise.resolve();
    return this.enqueue([], true);
  }

  /** Flushes and closes. Idempotent; later writes reject. */
  close(): Promise<void> {
    this.closePromise ??= (() => {
      const flushed = this.enqueue([], true);
      this.closed = true;
      return closeAfterFlush(flushed, () => this.releaseFile());
    })();
    return this.closePromise;
  }

  /**
   * For process exit: writes what the async path has not handed to the OS yet, then `records`,
   * synchronously. A write already submitted by the async path completes on its own. Throws the fs
   * error if writing fails, and an Error after close().
   */
  writeSync(records: readonly FileRecord[]): void {
    if (this.closed) throw this.closedError();
    this.drainSync(records, false);
  }

  /** For process exit: writeSync of what is queued, then fdatasync. Nothing to do after close() finished. */
  flushSync(): void {
    this.drainSync([], true);
  }

  /**
   * `syncWrites`: writes `records` now. Records an earlier asynchronous path still holds (none, unless
   * the writer was used both ways) go first; queued flushes stay with the async path (no fdatasync here).
   */
  private writeThrough(records: readonly FileRecord[]): void {
    const batch = this.batch;
    const pending =
      (batch !== undefined && batch.next < batch.records.length) ||
      this.queue.some((e) => e.records.length > 0);
    if (pending) {
      this.drainSync(records, false);
      return;
    }
    try {
      this.writeAllSync(records);
    } catch (err) {
      this.discardFile();
      throw err;
    }
  }

  private closedError(): Error {
    return new Error(`RotatingFileWriter: ${this.filename} is closed; write() after close() is not possible`);
  }

  private enqueue(records: readonly FileRecord[], flush: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ records, flush, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        void this.drain();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const entries = this.queue;
        this.queue = [];
        const records: FileRecord[] = [];
        let flush = false;
        for (const e of entries) {
          for (const r of e.records) records.push(r);
          flush ||= e.flush;
        }
        const batch: Batch = { records, next: 0 };
        this.batch = batch;
        let failed = false;
        let error: unknown;
        try {
          await this.writeBatch(batch);
          if (batch.error !== undefined) throw batch.error;
          if (flush) await this.file?.datasync();
        } catch (err) {
          failed = true;
          error = err;
          this.discardFile();
        }
        this.batch = undefined;
        for (const e of entries) {
          if (failed) e.reject(error);
          else e.resolve();
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async writeBatch(batch: Batch): Promise<void> {
    const { records } = batch;
    while (batch.next < records.length) {
      const file = this.file ?? (await this.open());
      if (batch.next >= records.length) break; // the sync path took the rest meanwhile
      const start = batch.next;
      const end = this.segmentEnd(file, records, start);
      if (end === start) {
        await this.rollOver(file);
        continue;
      }
      batch.next = end;
      const bytes = toBuffer(records, start, end);
      // Whether the file is still at its path is asked alongside the write (no added latency).
      const [, gone] = await Promise.all([
        file.write(this.withHeader(file, bytes)),
        file.regular ? this.goneFromPath(file) : undefined,
      ]);
      if (gone === undefined || this.file !== file) continue;
      // Removed (its directory perhaps too) or replaced: these bytes went to a file no longer at the
      // path. Open (create) the path again and write them there.
      this.discardFile();
      try {
        this.onReopen?.(gone);
      } catch {
        // a reporting callback must not stop the writes
      }
      const again = await this.open();
      await again.write(this.withHeader(again, bytes));
    }
  }

  /** `removed` or `replaced` when the path no longer leads to `file`. */
  private async goneFromPath(file: AppendOnlyFile): Promise<'removed' | 'replaced' | undefined> {
    const state = await file.pathState();
    return state === 'here' ? undefined : state;
  }

  /** The bytes to write: `bytes`, after the header when the file has none yet. */
  private withHeader(file: AppendOnlyFile, bytes: Buffer): Buffer {
    if (!this.headerPending.delete(file)) return bytes;
    return Buffer.concat([this.headerBuf!, bytes]);
  }

  /** Whether a new (or special) file needs the header before its first bytes. */
  private markHeader(file: AppendOnlyFile): void {
    if (this.headerBuf !== undefined && (file.size === 0 || !file.regular)) this.headerPending.add(file);
  }

  /** End of the run of records from `start` that fits in `file` (`start` itself: roll over first). */
  private segmentEnd(file: AppendOnlyFile, records: readonly FileRecord[], start: number): number {
    if (!this.rolls || !file.regular) return records.length;
    let bytes = file.size + (this.headerPending.has(file) ? this.base : 0);
    let end = start;
    while (end < records.length) {
      const r = records[end]!;
      const b = typeof r === 'string' ? Buffer.byteLength(r, 'utf8') : r.byteLength;
      if (bytes > this.base && bytes + b > this.maxBytes) break;
      bytes += b;
      end++;
    }
    return end;
  }

  private async open(): Promise<AppendOnlyFile> {
    for (;;) {
      const file = await AppendOnlyFile.open(this.filename, { mode: this.mode, dirMode: this.dirMode });
      let keep = true;
      try {
        if (file.regular && file.size > 0 && this.headerBuf) keep = await this.continues(file.size);
      } catch (err) {
        await file.close().catch(() => {});
        throw err;
      }
      if (this.file) {
        // The sync path opened the file while we waited: keep the one it writes to.
        await file.close().catch(() => {});
        return this.file;
      }
      if (!keep) {
        await file.close();
        await rename(this.filename, await this.asideName());
        continue;
      }
      this.markHeader(file);
      this.file = file;
      return file;
    }
  }

  /** Whether an existing file of `size` bytes starts with the header and ends with its line ending. */
  private async continues(size: number): Promise<boolean> {
    const reader = await open(this.filename, 'r');
    try {
      const { head, tail } = this.probe(size);
      if (head.length > 0) await reader.read(head, 0, head.length, 0);
      if (tail.length > 0) await reader.read(tail, 0, tail.length, size - tail.length);
      return this.matches(head, tail);
    } finally {
      await reader.close();
    }
  }

  private probe(size: number): { head: Buffer; tail: Buffer } {
    const headLen = this.headerBuf!.length;
    const tailLen = this.headerEnd?.length ?? 0;
    if (size < headLen || size < tailLen) return { head: Buffer.alloc(0), tail: Buffer.alloc(0) };
    return { head: Buffer.alloc(headLen), tail: Buffer.alloc(tailLen) };
  }

  private matches(head: Buffer, tail: Buffer): boolean {
    if (head.length === 0 && this.headerBuf!.length > 0) return false;
    return head.equals(this.headerBuf!) && (this.headerEnd === undefined || tail.equals(this.headerEnd));
  }

  /** `name.YYYY-MM-DD_HH-MM-SS` (UTC), as Python's TimedRotatingFileHandler names; `_N` if taken. */
  private async asideName(): Promise<string> {
    const base = `${this.filename}.${asideStamp()}`;
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}_${n}`;
      try {
        await access(candidate);
      } catch {
        return candidate;
      }
    }
  }

  private asideNameSync(): string {
    const base = `${this.filename}.${asideStamp()}`;
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}_${n}`;
      if (!existsSync(candidate)) return candidate;
    }
  }

  private async rollOver(file: AppendOnlyFile): Promise<void> {
    if (this.file === file) this.file = undefined;
    await file.close();
    for (let i = this.backupCount - 1; i >= 1; i--) {
      await renameIfExists(`${this.filename}.${i}`, `${this.filename}.${i + 1}`);
    }
    await renameIfExists(this.filename, `${this.filename}.1`);
  }

  /** The open file, which the writer lets go of. */
  private releaseFile(): AppendOnlyFile | undefined {
    const file = this.file;
    this.file = undefined;
    return file;
  }

  /** After an error: drop the file (closed once idle); the next write opens it again. */
  private discardFile(): void {
    this.releaseFile()?.closeWhenIdle();
  }

  // ------------------------------------------------------------------ synchronous path

  private drainSync(records: readonly FileRecord[], flush: boolean): void {
    const taken: FileRecord[] = [];
    const batch = this.batch;
    const fromBatch = batch !== undefined && batch.next < batch.records.length;
    if (fromBatch) {
      for (let i = batch.next; i < batch.records.length; i++) taken.push(batch.records[i]!);
      batch.next = batch.records.length;
    }
    const entries = this.queue;
    this.queue = [];
    for (const e of entries) {
      for (const r of e.records) taken.push(r);
      flush ||= e.flush;
    }
    for (const r of records) taken.push(r);
    try {
      this.writeAllSync(taken);
      if (flush && this.file) this.file.datasyncSync();
    } catch (err) {
      if (fromBatch) batch.error = err;
      for (const e of entries) e.reject(err);
      this.discardFile();
      throw err;
    }
    for (const e of entries) e.resolve();
  }

  private writeAllSync(records: readonly FileRecord[]): void {
    let start = 0;
    while (start < records.length) {
      const file = this.file ?? this.openSync();
      const end = this.segmentEnd(file, records, start);
      if (end === start) {
        this.rollOverSync(file);
        continue;
      }
      const bytes = toBuffer(records, start, end);
      file.writeSync(this.withHeader(file, bytes));
      start = end;
      const gone = file.regular ? this.goneFromPathSync(file) : undefined;
      if (gone === undefined) continue;
      // As in writeBatch: the bytes went to a file no longer at the path; write them there anew.
      this.discardFile();
      try {
        this.onReopen?.(gone);
      } catch {
        // a reporting callback must not stop the writes
      }
      const again = this.openSync();
      again.writeSync(this.withHeader(again, bytes));
    }
  }

  private goneFromPathSync(file: AppendOnlyFile): 'removed' | 'replaced' | undefined {
    const state = file.pathStateSync();
    return state === 'here' ? undefined : state;
  }

  private openSync(): AppendOnlyFile {
    for (;;) {
      const file = AppendOnlyFile.openSync(this.filename, { mode: this.mode, dirMode: this.dirMode });
      let keep = true;
      try {
        if (file.regular && file.size > 0 && this.headerBuf) keep = this.continuesSync(file.size);
      } catch (err) {
        file.closeSync();
        throw err;
      }
      if (!keep) {
        file.closeSync();
        renameSync(this.filename, this.asideNameSync());
        continue;
      }
      this.markHeader(file);
      this.file = file;
      return file;
    }
  }

  private continuesSync(size: number): boolean {
    const fd = openSync(this.filename, 'r');
    try {
      const { head, tail } = this.probe(size);
      if (head.length > 0) readSync(fd, head, 0, head.length, 0);
      if (tail.length > 0) readSync(fd, tail, 0, tail.length, size - tail.length);
      return this.matches(head, tail);
    } finally {
      closeSync(fd);
    }
  }

  private rollOverSync(file: AppendOnlyFile): void {
    if (this.file === file) this.file = undefined;
    file.closeWhenIdle();
    for (let i = this.backupCount - 1; i >= 1; i--) {
      renameIfExistsSync(`${this.filename}.${i}`, `${this.filename}.${i + 1}`);
    }
    renameIfExistsSync(this.filename, `${this.filename}.1`);
  }
}

/** Records `start` to `end` as one buffer: strings joined and encoded once, bytes copied at most once. */
function toBuffer(records: readonly FileRecord[], start: number, end: number): Buffer {
  if (end - start === 1) {
    const r = records[start]!;
    return typeof r === 'string' ? Buffer.from(r, 'utf8') : Buffer.from(r.buffer, r.byteOffset, r.byteLength);
  }
  let text = true;
  for (let i = start; i < end && text; i++) text = typeof records[i] === 'string';
  if (text) return Buffer.from((records.slice(start, end) as string[]).join(''), 'utf8');
  const parts: Uint8Array[] = [];
  for (let i = start; i < end; i++) {
    const r = records[i]!;
    parts.push(typeof r === 'string' ? Buffer.from(r, 'utf8') : r);
  }
  return Buffer.concat(parts);
}

function asideStamp(): string {
  const iso = new Date().toISOString(); // 2024-05-01T12:34:56.789Z
  return `${iso.slice(0, 10)}_${iso.slice(11, 19).replaceAll(':', '-')}`;
}

function permissionBits(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 0o7777) {
    throw new RangeError(
      `RotatingFileWriter: ${name} must be permission bits between 0 and 0o7777, got ${String(value)}`,
    );
  }
  return value;
}

function count(name: string, value: number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`RotatingFileWriter: ${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

async function renameIfExists(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function renameIfExistsSync(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
