import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { OtlpSettings } from '../config/ResolvedConfig.js';
import { redactUrl } from '../config/redactUrl.js';
import type { DropCounter } from '../internal/DropCounter.js';
import type { ExportQueueStats, ShutdownLoss } from './ExportQueue.js';
import type { OtlpConnections } from './OtlpConnections.js';
import { createOtlpLogExporter, createOtlpMetricExporter, createOtlpTraceExporter } from './otlpExporters.js';
import { QueuedLogRecordProcessor } from './QueuedLogRecordProcessor.js';
import { QueuedMetricExporter } from './QueuedMetricExporter.js';
import { QueuedSpanProcessor } from './QueuedSpanProcessor.js';
import type { ShutdownDeadline } from './ShutdownDeadline.js';

/** Where the OTLP queues report drops, and the list their statistics are registered in. */
export interface QueueContext {
  drops: DropCounter;
  queues: { stats(): ExportQueueStats; abandonAtExit(): number }[];
  /** One deadline for the shutdown of every queue (see ShutdownDeadline). */
  deadline?: ShutdownDeadline;
  /** The exporters' connections, cut when shutdown gives up (see OtlpConnections). */
  connections?: OtlpConnections;
  /** Told what each queue could not deliver at shutdown (the SDK sums it up in one line). */
  onShutdownLoss?: (loss: ShutdownLoss) => void;
}

function queueOptions(settings: OtlpSettings, name: string, ctx: QueueContext, signalEndpoint?: string) {
  return {
    ...settings.queue,
    retry: { ...settings.queue.retry },
    name,
    // Shutdown keeps trying for one export timeout (shared by every signal when `ctx.deadline` is
    // given), then counts what is left as dropped.
    shutdownTimeoutMs: settings.timeoutMs,
    sendTimeoutMs: settings.timeoutMs * 2 + 5000,
    drops: ctx.drops,
    destination: redactUrl(signalEndpoint ?? settings.endpoint),
    ...(ctx.deadline ? { deadline: ctx.deadline } : {}),
    ...(ctx.onShutdownLoss ? { onShutdownLoss: ctx.onShutdownLoss } : {}),
  };
}

/** OTLP log export behind the bounded, retrying queue (`otlp.queue`). */
export function createQueuedOtlpLogProcessor(
  settings: OtlpSettings,
  name: string,
  scheduledDelayMs: number,
  ctx: QueueContext,
  signalEndpoint?: string,
): QueuedLogRecordProcessor {
  const p = new QueuedLogRecordProcessor(createOtlpLogExporter(settings, signalEndpoint, ctx.connections), {
    ...queueOptions(settings, name, ctx, signalEndpoint),
    scheduledDelayMs,
  });
  ctx.queues.push(p.queue);
  return p;
}

/**
 * How long a partial batch of spans waits for more before it is sent: OTel's default for the batch
 * span processor (OTEL_BSP_SCHEDULE_DELAY, 5 s). Spans are not read live the way log lines are, and
 * each request costs the training thread a serialization of the resource and an HTTP round trip.
 * A full batch (`max_export_batch_size`) is sent at once; forceFlush and shutdown send what is held.
 */
export const SPAN_SCHEDULED_DELAY_MS = 5000;

/** OTLP span export behind the bounded, retrying queue. */
export function createQueuedOtlpSpanProcessor(
  settings: OtlpSettings,
  ctx: QueueContext,
  signalEndpoint?: string,
): QueuedSpanProcessor {
  const p = new QueuedSpanProcessor(createOtlpTraceExporter(settings, signalEndpoint, ctx.connections), {
    ...queueOptions(settings, 'otlp', ctx, signalEndpoint),
    scheduledDelayMs: SPAN_SCHEDULED_DELAY_MS,
  });
  ctx.queues.push(p.queue);
  return p;
}

/** OTLP metric export behind the bounded, retrying queue (for a PeriodicExportingMetricReader). */
export function createQueuedOtlpMetricExporter(
  settings: OtlpSettings,
  ctx: QueueContext,
  signalEndpoint?: string,
): PushMetricExporter {
  const e = new QueuedMetricExporter(
    createOtlpMetricExporter(settings, signalEndpoint, ctx.connections),
    queueOptions(settings, 'otlp', ctx, signalEndpoint),
  );
  ctx.queues.push(e.queue);
  return e;
}
