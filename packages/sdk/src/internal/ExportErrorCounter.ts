import { diag } from '@opentelemetry/api';
import type { DropSignal } from './DropCounter.js';

export interface ExportErrorEntry {
  signal: DropSignal;
  /** The handler (sink) whose export failed. */
  exporter: string;
  /** The error code (`ENOSPC`, `EACCES`, ...) or the error's name. */
  errorType: string;
  count: number;
}

/** `ENOSPC`, `EACCES`, ... for fs errors; else the error's name; `_OTHER` when there is none. */
export function errorTypeOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && code !== '') return code;
  if (error instanceof Error && error.name) return error.name;
  return '_OTHER';
}

/**
 * Counts failed export attempts (semconv `grpo.sdk.export.errors`) by signal, sink and error type,
 * and reports each distinct cause of a sink once through `diag.warn` (a disk that is full is said
 * once, not once per batch). When a sink writes again after failing, that is reported too, and a
 * later failure of the same cause is reported again.
 */
export class ExportErrorCounter {
  private readonly entries = new Map<string, ExportErrorEntry>();
  /** Causes reported since the sink last wrote successfully, per sink. */
  private readonly failing = new Map<string, Set<string>>();

  record(signal: DropSignal, exporter: string, error: unknown, records: number): void {
    const errorType = errorTypeOf(error);
    const key = `${signal}\u0000${exporter}\u0000${errorType}`;
    const e = this.entries.get(key);
    if (e) e.count++;
    else this.entries.set(key, { signal, exporter, errorType, count: 1 });
    let causes = this.failing.get(exporter);
    if (!causes) {
      causes = new Set();
      this.failing.set(exporter, causes);
    }
    if (causes.has(errorType)) return;
    causes.add(errorType);
    const message = error instanceof Error ? error.message : String(error);
    diag.warn(
      `grpo-otel: handler '${exporter}' cannot write (${errorType}: ${message}); ${records} record(s) dropped. ` +
        'Training goes on; further failures of this kind are only counted (grpo.sdk.export.errors, grpo.sdk.record.dropped).',
    );
  }

  /** The sink wrote successfully: if it was failing, say it recovered. */
  succeeded(exporter: string): void {
    const causes = this.failing.get(exporter);
    if (!causes) return;
    this.failing.delete(exporter);
    diag.warn(`grpo-otel: handler '${exporter}' writes again (it failed with ${[...causes].join(', ')})`);
  }

  /** Whether the sink's last export failed. */
  isFailing(exporter: string): boolean {
    return this.failing.has(exporter);
  }

  snapshot(): ExportErrorEntry[] {
    return [...this.entries.values()].map((e) => ({ ...e }));
  }

  total(filter?: Partial<Pick<ExportErrorEntry, 'signal' | 'exporter' | 'errorType'>>): number {
    let n = 0;
    for (const e of this.entries.values()) {
      if (filter?.signal && e.signal !== filter.signal) continue;
      if (filter?.exporter && e.exporter !== filter.exporter) continue;
      if (filter?.errorType && e.errorType !== filter.errorType) continue;
      n += e.count;
    }
    return n;
  }
}
