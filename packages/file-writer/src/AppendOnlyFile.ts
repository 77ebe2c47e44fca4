import {
  close as closeCb,
  closeSync,
  constants,
  fdatasync as fdatasyncCb,
  fdatasyncSync,
  fstat as fstatCb,
  fstatSync,
  mkdirSync,
  open as openCb,
  openSync,
  type Stats,
  stat as statCb,
  statSync,
  write as writeCb,
  writeSync,
  writev as writevCb,
  writevSync,
} from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface AppendOnlyFileOptions {
  /** Permission bits of the file when this open creates it (before the umask). */
  mode: number;
  /** Permission bits of the parent directories this open creates (before the umask). */
  dirMode: number;
  /** Fail (EEXIST) when the file exists instead of appending to it. Default false. */
  exclusive?: boolean;
}

/** Where the file's path leads now: to this file, to nothing (removed, perhaps with its directory), or to another file. */
export type PathState = 'here' | 'removed' | 'replaced';

/**
 * One open file that bytes are only appended to: the engine under the file writers (the rotating
 * log file, CSV, TensorBoard event files), which put their records, rotation and naming on top.
 * Opening creates the parent directories; every write hands all its bytes to the OS (short writes
 * are resumed), asynchronously through libuv's thread pool or synchronously on the caller's thread
 * (for process exit). `size` counts the bytes written. Closing waits for the asynchronous operations
 * in progress on it. Whether the path still leads to this file is asked with `pathState()`.
 */
export class AppendOnlyFile {
  /** Bytes in the file: its size when opened, plus what was written through this object. */
  size: number;
  /** A regular file (not a terminal, /dev/null or a pipe): only these are synced, rolled or checked. */
  readonly regular: boolean;
  readonly dev: number;
  readonly ino: number;
  private busy = 0;
  private closeRequested = false;
  private closing: Promise<void> | undefined;

  private constructor(
    readonly path: string,
    readonly fd: number,
    st: Stats,
  ) {
    this.size = st.size;
    this.regular = st.isFile();
    this.dev = st.dev;
    this.ino = st.ino;
  }

  /** Opens `path` for appending (created with `mode`, its directories with `dirMode`). */
  static async open(path: string, options: AppendOnlyFileOptions): Promise<AppendOnlyFile> {
    await mkdir(dirname(path), { recursive: true, mode: options.dirMode });
    const fd = await new Promise<number>((resolve, reject) =>
      openCb(path, openFlags(options), options.mode, (err, fd) => (err ? reject(err) : resolve(fd))),
    );
    try {
      const st = await new Promise<Stats>((resolve, reject) =>
        fstatCb(fd, (err, s) => (err ? reject(err) : resolve(s))),
      );
      return new AppendOnlyFile(path, fd, st);
    } catch (err) {
      closeCb(fd, () => {});
      throw err;
    }
  }

  /** {@link open} on the caller's thread (for process exit). */
  static openSync(path: string, options: AppendOnlyFileOptions): AppendOnlyFile {
    mkdirSync(dirname(path), { recursive: true, mode: options.dirMode });
    const fd = openSync(path, openFlags(options), options.mode);
    try {
      return new AppendOnlyFile(path, fd, fstatSync(fd));
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** Appends `buf` (all of it). */
  write(buf: Buffer): Promise<void> {
    return this.op(async () => {
      let off = 0;
      while (off < buf.length) {
        const n = await new Promise<number>((resolve, reject) =>
          writeCb(this.fd, buf, off, buf.length - off, null, (err, written) =>
            err ? reject(err) : resolve(written),
          ),
        );
        off += n;
        this.size += n;
      }
    });
  }

  /** Appends `bufs` in order (all of them), with as few `writev` calls as the OS allows. */
  writev(bufs: readonly Buffer[]): Promise<void> {
    return this.op(async () => {
      let parts = bufs;
      let left = totalBytes(bufs);
      while (left > 0) {
        const n = await new Promise<number>((resolve, reject) =>
          writevCb(this.fd, parts as Buffer[], (err, written) => (err ? reject(err) : resolve(written))),
        );
        left -= n;
        this.size += n;
        if (left > 0) parts = dropBytes(parts, n);
      }
    });
  }

  /** {@link write} on the caller's thread. */
  writeSync(buf: Buffer): void {
    let off = 0;
    while (off < buf.length) {
      const n = writeSync(this.fd, buf, off, buf.length - off, null);
      off += n;
      this.size += n;
    }
  }

  /** {@link writev} on the caller's thread. */
  writevSync(bufs: readonly Buffer[]): void {
    let parts = bufs;
    let left = totalBytes(bufs);
    while (left > 0) {
      const n = writevSync(this.fd, parts as Buffer[]);
      left -= n;
      this.size += n;
      if (left > 0) parts = dropBytes(parts, n);
    }
  }

  /** fdatasync; special files (a terminal, /dev/null, a pipe) have nothing to sync. */
  datasync(): Promise<void> {
    if (!this.regular) return Promise.resolve();
    return this.op(
      () =>
        new Promise<void>((resolve, reject) =>
          fdatasyncCb(this.fd, (err) => (err ? reject(err) : resolve())),
        ),
    );
  }

  datasyncSync(): void {
    if (this.regular) fdatasyncSync(this.fd);
  }

  /** Closes the descriptor (once; later calls return the same promise). */
  close(): Promise<void> {
    this.closeRequested = true;
    this.closing ??= new Promise<void>((resolve, reject) =>
      closeCb(this.fd, (err) => (err ? reject(err) : resolve())),
    );
    return this.closing;
  }

  /** Closes now, or when the asynchronous operation in progress ends; errors are ignored. */
  closeWhenIdle(): void {
    this.closeRequested = true;
    if (this.busy === 0) this.close().catch(() => {});
  }

  /** {@link close} on the caller's thread; nothing to do when a close was already started. */
  closeSync(): void {
    this.closeRequested = true;
    if (this.closing) return;
    this.closing = Promise.resolve();
    closeSync(this.fd);
  }

  /** Whether the path still leads to this file. Throws the `stat` error other than ENOENT and ENOTDIR. */
  async pathState(): Promise<PathState> {
    try {
      const st = await new Promise<Stats>((resolve, reject) =>
        statCb(this.path, (err, s) => (err ? reject(err) : resolve(s))),
      );
      return this.stateOf(st);
    } catch (err) {
      if (isGone(err)) return 'removed';
      throw err;
    }
  }

  /** {@link pathState} on the caller's thread. */
  pathStateSync(): PathState {
    try {
      return this.stateOf(statSync(this.path));
    } catch (err) {
      if (isGone(err)) return 'removed';
      throw err;
    }
  }

  private stateOf(st: Stats): PathState {
    return st.ino === this.ino && st.dev === this.dev ? 'here' : 'replaced';
  }

  private async op<T>(fn: () => Promise<T>): Promise<T> {
    this.busy++;
    try {
      return await fn();
    } finally {
      this.busy--;
      if (this.busy === 0 && this.closeRequested) this.close().catch(() => {});
    }
  }
}

/**
 * The end of a file writer's close(): once `flushed` (the writer's last flush) settles, whatever its
 * outcome, the file `release` hands over (the writer lets go of it) is closed. The flush's error is
 * the result, then the close's unless `ignoreCloseError` (the flush synced the bytes already).
 */
export async function closeAfterFlush(
  flushed: Promise<void>,
  release: () => AppendOnlyFile | undefined,
  ignoreCloseError = false,
): Promise<void> {
  try {
    await flushed;
  } finally {
    const closing = release()?.close();
    if (closing) await (ignoreCloseError ? closing.catch(() => {}) : closing);
  }
}

function openFlags(options: AppendOnlyFileOptions): number {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND;
  return options.exclusive ? flags | constants.O_EXCL : flags;
}

function isGone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function totalBytes(bufs: readonly Buffer[]): number {
  let n = 0;
  for (const b of bufs) n += b.length;
  return n;
}

/** `bufs` without their first `n` bytes. */
function dropBytes(bufs: readonly Buffer[], n: number): Buffer[] {
  const out: Buffer[] = [];
  let skip = n;
  for (const b of bufs) {
    if (skip >= b.length) {
      skip -= b.length;
      continue;
    }
    out.push(skip > 0 ? b.subarray(skip) : b);
    skip = 0;
  }
  return out;
}
