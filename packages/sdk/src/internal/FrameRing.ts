import { decodeValue, encodeValue, RingOverflow, type RingViews } from './ValueCodec.js';

/**
 * A single-producer, single-consumer ring of frames in a SharedArrayBuffer: the training thread
 * writes each captured call as one frame and publishes it at once (`Atomics.store` + `notify`, inside
 * the call: a loop that never yields still hands everything over); the telemetry thread reads the
 * frames in order and publishes how far it got. Frames are 8-byte aligned: `[u32 length][u32 0]`
 * then the encoded value. A length of WRAP sends the reader back to offset 0. Bounded: a frame that
 * does not fit waits (with a timeout) for the reader, or is refused; nothing is queued beside it.
 */

/**
 * Int32 slots of the header, by who writes them: the writer's on the first cache line (64 bytes), the
 * reader's on the second, so that a write does not take the line the reader just wrote (and back).
 */
const WRITE = 0;
/** 1 while the writer waits for room: only then does the reader's release notify. */
const WRITER_WAITING = 1;
/**
 * How many signal callbacks the training thread has (`onPlateau`, `onSignal`): the telemetry thread
 * posts a signal back only when one listens, so a run without callbacks costs the training thread no
 * message (each wakes its event loop).
 */
export const RING_SIGNAL_LISTENERS = 2;
/** Bytes between two touches of {@link prefaultRing} (the smallest page size of the platforms Node runs on). */
const PAGE_BYTES = 4096;
const READ = 16;
/** Sequence numbers the telemetry thread acknowledges (flushes, the exit drain). */
export const RING_ACK = 17;
/** Set by the telemetry thread once it reads the ring (it was ready). */
export const RING_READY = 18;
/** Set by the telemetry thread when it has stopped (after shutdown, or on a fatal error). */
export const RING_CLOSED = 19;
/** 1 while the reader sleeps on the write offset: only then does a write notify (a futex call). */
const READER_WAITING = 20;
/** Byte offset of a float64 the telemetry thread publishes for the training thread (the recent training accuracy). */
const SHARED_VALUE_BYTES = 96;
const HEADER_BYTES = 128;
const FRAME_HEADER = 8;
const WRAP = 0xffffffff;

/** `Atomics.waitAsync` (Node 16+; typed in lib es2024, newer than this project's target). */
type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeoutMs?: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
export const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

export type WriteResult = 'ok' | 'full' | 'too_large' | 'unencodable';

function align8(n: number): number {
  return (n + 7) & ~7;
}

function views(sab: SharedArrayBuffer): RingViews {
  return {
    u8: new Uint8Array(sab, HEADER_BYTES),
    dv: new DataView(sab, HEADER_BYTES),
    f64: new Float64Array(sab, HEADER_BYTES),
    f32: new Float32Array(sab, HEADER_BYTES),
    i32: new Int32Array(sab, HEADER_BYTES),
    buf: Buffer.from(sab, HEADER_BYTES),
  };
}

/** A ring of `capacity` bytes (rounded up to a multiple of 8), header included in the buffer. */
export function createRingBuffer(capacity: number): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + align8(Math.max(4096, capacity)));
}

/**
 * Maps every page of the ring in, from the telemetry thread: a new SharedArrayBuffer is zero pages
 * that the kernel maps on first write, and without this the training thread would take those page
 * faults itself, one per 4 KB it writes until the ring has wrapped once (a GRPO step of 300 KB: some
 * 75 faults a step for the first 50 steps of a 16 MB ring). An atomic add of 0 changes nothing, even
 * beside a frame the training thread is writing.
 */
export function prefaultRing(sab: SharedArrayBuffer): void {
  const words = new Int32Array(sab);
  for (let i = 0; i < words.length; i += PAGE_BYTES / 4) Atomics.add(words, i, 0);
}

/**
 * A value the telemetry thread shares with the training thread (the recent training accuracy, for a
 * validation pass's generalization gap), read without a message: an aligned float64 store is atomic
 * on the platforms Node runs on, and a slightly stale value is fine for its use.
 */
export function sharedValue(sab: SharedArrayBuffer): Float64Array {
  return new Float64Array(sab, SHARED_VALUE_BYTES, 1);
}

/** The header of a ring: its Int32 slots, for Atomics. */
export function ringHeader(sab: SharedArrayBuffer): Int32Array {
  return new Int32Array(sab, 0, HEADER_BYTES / 4);
}

/** The training thread's end of the ring. */
export class RingWriter {
  private readonly header: Int32Array;
  private readonly v: RingViews;
  private readonly capacity: number;
  private w: number;
  /** The read offset last seen: the reader only moves forward, so it is safe to write below it. */
  private r: number;

  constructor(sab: SharedArrayBuffer) {
    this.header = ringHeader(sab);
    this.v = views(sab);
    this.capacity = this.v.u8.byteLength;
    this.w = Atomics.load(this.header, WRITE);
    this.r = Atomics.load(this.header, READ);
  }

  /** Bytes the ring holds (frames written, not yet read). */
  get used(): number {
    const r = Atomics.load(this.header, READ);
    return this.w >= r ? this.w - r : this.capacity - r + this.w;
  }

  get size(): number {
    return this.capacity;
  }

  /**
   * Encodes `value` as one frame and publishes it. 'full': it does not fit in the free space now
   * (retry after the reader moved, see {@link waitForSpace}); 'too_large': it does not fit even in the
   * empty ring; 'unencodable': reading the value threw (a throwing getter).
   */
  write(value: unknown): WriteResult {
    // The read offset of the last write first (no load of the reader's cache line): only when the
    // frame does not fit below it, the reader's current one.
    const first = this.writeAt(this.r, value);
    if (first !== 'full') return first;
    const r = Atomics.load(this.header, READ);
    // The same offset and not empty: still full, without encoding it again.
    if (r === this.r && r !== this.w) return 'full';
    this.r = r;
    return this.writeAt(r, value, true);
  }

  /** One attempt below read offset `r`; `fresh`: `r` was just loaded (an empty ring is decided on it). */
  private writeAt(r: number, value: unknown, fresh = false): WriteResult {
    const cap = this.capacity;
    const w = this.w;
    let end: number;
    try {
      if (w >= r) {
        // Ending exactly at the buffer's end moves the write offset to 0: never onto an unread 0.
        end = this.tryAt(w, r === 0 ? cap - 8 : cap, value);
        if (end < 0 && r > 0) {
          end = this.tryAt(0, r - 8, value);
          if (end >= 0) this.v.dv.setUint32(w, WRAP, true);
        }
      } else {
        end = this.tryAt(w, r - 8, value);
      }
    } catch {
      return 'unencodable';
    }
    if (end < 0) {
      if (!fresh || r !== w) return 'full';
      // Empty: the whole ring is free once the reader is back at 0.
      if (w === 0) return 'too_large';
      this.v.dv.setUint32(w, WRAP, true);
      this.publish(0);
      return 'full';
    }
    this.publish(end >= cap ? 0 : end);
    return 'ok';
  }

  private publish(next: number): void {
    this.w = next;
    Atomics.store(this.header, WRITE, next);
    // Sequentially consistent with the reader's store of READER_WAITING before it reads WRITE: either
    // it sees this frame, or this sees it waiting. The writer clears the flag itself, so one wake-up
    // serves a burst: the frames written before the reader runs again do not notify (each a call into
    // V8's futex table; a GRPO step's 71 calls made up to ~45 of them).
    if (
      Atomics.load(this.header, READER_WAITING) !== 0 &&
      Atomics.compareExchange(this.header, READER_WAITING, 1, 0) === 1
    )
      Atomics.notify(this.header, WRITE);
  }

  /** Waits until the reader has moved (or `timeoutMs` passed); false on timeout. Blocks the thread. */
  waitForSpace(timeoutMs: number): boolean {
    // Sequentially consistent with the reader's store of READ before it reads WRITER_WAITING: either
    // this sees it moved, or it sees this waiting and notifies.
    Atomics.store(this.header, WRITER_WAITING, 1);
    try {
      const r = Atomics.load(this.header, READ);
      if (r === this.w) return true;
      return Atomics.wait(this.header, READ, r, timeoutMs) !== 'timed-out';
    } finally {
      Atomics.store(this.header, WRITER_WAITING, 0);
    }
  }

  /** Whether the reader has read everything written. */
  get drained(): boolean {
    return Atomics.load(this.header, READ) === this.w;
  }

  /** The frame's end offset, or -1 when it does not fit below `limit`. */
  private tryAt(at: number, limit: number, value: unknown): number {
    if (at + FRAME_HEADER > limit) return -1;
    let end: number;
    try {
      end = encodeValue(this.v, at + FRAME_HEADER, limit, value);
    } catch (err) {
      if (err === RingOverflow) return -1;
      throw err;
    }
    this.v.dv.setUint32(at, end - at - FRAME_HEADER, true);
    this.v.dv.setUint32(at + 4, 0, true);
    return align8(end);
  }
}

/** The telemetry thread's end of the ring. */
export class RingReader {
  private readonly header: Int32Array;
  private readonly v: RingViews;
  private readonly capacity: number;
  private r: number;
  /** The write offset last loaded: the frames below it are published, read without a load each. */
  private w: number;

  constructor(sab: SharedArrayBuffer) {
    this.header = ringHeader(sab);
    this.v = views(sab);
    this.capacity = this.v.u8.byteLength;
    this.r = Atomics.load(this.header, READ);
    this.w = this.r;
  }

  /** Whether frames are waiting. */
  get pending(): boolean {
    return Atomics.load(this.header, WRITE) !== this.r;
  }

  /**
   * Decodes the next frame, or returns `undefined` when there is none. `release()` publishes the read
   * offset (call it after the frames read were handled, so a flush waiting on it means "done").
   */
  next(): { value: unknown } | undefined {
    if (this.r === this.w) {
      this.w = Atomics.load(this.header, WRITE);
      if (this.r === this.w) return undefined;
    }
    const w = this.w;
    let at = this.r;
    if (this.v.dv.getUint32(at, true) === WRAP) {
      at = 0;
      this.r = 0;
      if (w === 0) return undefined;
    }
    const len = this.v.dv.getUint32(at, true);
    const value = decodeValue(this.v, at + FRAME_HEADER);
    const end = align8(at + FRAME_HEADER + len);
    this.r = end >= this.capacity ? 0 : end;
    return { value };
  }

  /** Publishes how far the reader got (wakes a writer waiting for space). */
  release(): void {
    Atomics.store(this.header, READ, this.r);
    if (Atomics.load(this.header, WRITER_WAITING) !== 0) Atomics.notify(this.header, READ);
  }

  /**
   * Resolves when a frame may be waiting (or after `timeoutMs`). It first naps `napMs` without saying
   * it waits: a burst of calls (a training step's) then costs the writer no wake-up per frame.
   */
  async waitForFrames(timeoutMs: number, napMs = 1): Promise<void> {
    if (Atomics.load(this.header, WRITE) !== this.r) return;
    if (napMs > 0) {
      await new Promise((r) => setTimeout(r, napMs));
      if (Atomics.load(this.header, WRITE) !== this.r) return;
    }
    Atomics.store(this.header, READER_WAITING, 1);
    try {
      const w = Atomics.load(this.header, WRITE);
      if (w !== this.r) return;
      const res = waitAsync(this.header, WRITE, w, timeoutMs);
      if (res.async) await res.value;
    } finally {
      Atomics.store(this.header, READER_WAITING, 0);
    }
  }
}
