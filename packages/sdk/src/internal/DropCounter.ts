import type { DropReason as SemconvDropReason } from '@grpo-otel/semconv';
import { diag } from '@opentelemetry/api';

export const DROP_SIGNALS = ['logs', 'metrics', 'traces'] as const;
export type DropSignal = (typeof DROP_SIGNALS)[number];

/** Why a record was not delivered (semconv `grpo.sdk.drop.reason` values). */
export type DropReason = SemconvDropReason;

export interface DropEntry {
  signal: DropSignal;
  reason: DropReason;
  /** The channel (logs) or instrument/sink the drop happened at. */
  where: string;
  count: number;
}

/**
 * Counts records the SDK did not deliver, by signal, reason and place. Nothing is lost silently:
 * the counts are exported as the SDK's own drop metric and summarized at shutdown, and the first
 * drop of each kind is reported through `diag`.
 */
export class DropCounter {
  private readonly entries = new Map<string, DropEntry>();

  /** Counts a drop; the first of its kind is a `diag` warning unless `warn` is false (reported by the caller). */
  record(signal: DropSignal, reason: DropReason, where: string, count = 1, warn = true): void {
    if (count <= 0) return;
    const key = `${signal}\u0000${reason}\u0000${where}`;
    const e = this.entries.get(key);
    if (e) {
      e.count += count;
      return;
    }
    this.entries.set(key, { signal, reason, where, count });
    if (!warn) return;
    diag.warn(
      `grpo-otel: dropping ${signal} at ${where} (${reason}); further drops of this kind are only counted`,
    );
  }

  /** A copy of the current counts. */
  snapshot(): DropEntry[] {
    return [...this.entries.values()].map((e) => ({ ...e }));
  }

  total(filter?: Partial<Pick<DropEntry, 'signal' | 'reason' | 'where'>>): number {
    let n = 0;
    for (const e of this.entries.values()) {
      if (filter?.signal && e.signal !== filter.signal) continue;
      if (filter?.reason && e.reason !== filter.reason) continue;
      if (filter?.where && e.where !== filter.where) continue;
      n += e.count;
    }
    return n;
  }
}
