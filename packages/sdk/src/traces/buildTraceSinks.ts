import { diag } from '@opentelemetry/api';
import type { ResolvedConfig } from '../config/ResolvedConfig.js';
import type { DropCounter } from '../internal/DropCounter.js';
import { LocalSpanProcessor } from './LocalSpanProcessor.js';
import { TraceFileSpanExporter } from './TraceFileSpanExporter.js';

/** One span processor per `traces` handler on this rank (a local trace file; see TraceFileSpanExporter). */
export function buildTraceSinks(config: ResolvedConfig, drops: DropCounter): LocalSpanProcessor[] {
  const sinks: LocalSpanProcessor[] = [];
  for (const h of config.handlers.values()) {
    if (h.type !== 'traces' || !h.onThisRank) continue;
    try {
      const exporter = new TraceFileSpanExporter({
        filename: h.filename,
        maxBytes: h.maxBytes,
        backupCount: h.backupCount,
        syncWrites: !h.asyncWrites,
        mode: config.files.mode,
        dirMode: config.files.dirMode,
      });
      sinks.push(
        new LocalSpanProcessor(exporter, {
          name: h.name,
          flushIntervalMs: h.flushIntervalMs,
          maxQueueSize: h.maxQueueSize,
          drops,
        }),
      );
    } catch (err) {
      diag.error(`grpo-otel: cannot open the trace file of handler '${h.name}'`, err);
    }
  }
  return sinks;
}
