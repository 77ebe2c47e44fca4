import type { DropEntry } from '../internal/DropCounter.js';

/**
 * The frames the training thread writes into the ring for the telemetry thread: each is one array
 * whose first element is its kind.
 *
 * - `[CALL, name, epochMs, traceId, spanId, traceFlags, args]`: a forwarded public call (the trace
 *   ids are '' outside a span);
 * - `[LOG, channel, levelno, message, attributes, epochMs, traceId, spanId, traceFlags]`: a channel
 *   logger's record that passed the channel's level;
 * - `[SPAN, ...]`: an ended span (see `SpanForwarder`);
 * - `[DROP, signal, reason, where, count]`: values the training thread dropped (a full ring);
 * - `[TENSOR_MEMORY, numBytes, numTensors]`: the registered tensor memory reader's last reading;
 * - `[METRIC, kind, name, options, value, attributes, epochMs, traceId, spanId, traceFlags]`: a
 *   measurement on one of `getMeter()`'s synchronous instruments;
 * - `[OBSERVE, kind, name, options, [[value, attributes], ...]]`: a reading of one of its observables;
 * - `[FLUSH | FLUSH_SYNC | EXIT | SHUTDOWN | DROPS, seq]`: control, acknowledged by storing `seq` in
 *   the ring's ACK slot once done (DROPS first posts the drop counts back; SHUTDOWN carries the
 *   epoch ms the trainer asked at, its OTLP deadline's start).
 */
export const F_CALL = 1;
export const F_LOG = 2;
export const F_SPAN = 3;
export const F_DROP = 4;
export const F_TENSOR_MEMORY = 5;
export const F_METRIC = 6;
export const F_OBSERVE = 7;
export const F_FLUSH = 10;
export const F_FLUSH_SYNC = 11;
export const F_EXIT = 12;
export const F_SHUTDOWN = 13;
export const F_DROPS = 14;

/** What the telemetry thread posts back to the training thread. */
export type ThreadMessage =
  | { type: 'signal'; notice: unknown; traceId: string; spanId: string; traceFlags: number }
  | { type: 'drops'; seq: number; drops: DropEntry[] }
  | { type: 'diag'; level: 'error' | 'warn' | 'info' | 'debug' | 'verbose'; message: string }
  | { type: 'fatal'; message: string };

/** What the training thread gives the telemetry thread at its start (`workerData`). */
export interface ThreadStart {
  sab: SharedArrayBuffer;
  config: unknown;
  processAttributes: Record<string, unknown>;
  registerGlobal: boolean;
  /**
   * The application registered its own `diag` logger: the telemetry thread's diagnostics go to it
   * (posted back), not to stderr.
   */
  userDiag: boolean;
  env: Record<string, string | undefined>;
}
