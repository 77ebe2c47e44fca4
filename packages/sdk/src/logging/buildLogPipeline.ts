import { truncateSync } from 'node:fs';
import { CsvLogRecordExporter } from '@grpo-otel/exporter-csv';
import { TensorBoardLogRecordExporter, type TensorBoardRun } from '@grpo-otel/exporter-tensorboard';
import { diag, type MeterProvider } from '@opentelemetry/api';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { channelRoutes, IMPLICIT_OTLP_HANDLER, levelThreshold } from '../config/channelRoutes.js';
import { LEVEL_TO_SEVERITY, type LevelName } from '../config/levels.js';
import type { HandlerConfig, ResolvedConfig } from '../config/ResolvedConfig.js';
import type { DropCounter } from '../internal/DropCounter.js';
import type { ExportErrorCounter } from '../internal/ExportErrorCounter.js';
import { createQueuedOtlpLogProcessor, type QueueContext } from '../otlp/createQueuedOtlp.js';
import { ChannelRouterProcessor, type Route } from './ChannelRouterProcessor.js';
import { ConsoleLogRecordExporter } from './ConsoleLogRecordExporter.js';
import type { LogFormatter } from './formatters/FormatInput.js';
import { JsonFormatter } from './formatters/JsonFormatter.js';
import { PythonFormatter } from './formatters/PythonFormatter.js';
import { LocalSinkProcessor } from './LocalSinkProcessor.js';
import { RotatingFileLogRecordExporter } from './RotatingFileLogRecordExporter.js';

export interface LogPipeline {
  router: ChannelRouterProcessor;
  /** Local sinks that can drain synchronously at process exit. */
  localSinks: LocalSinkProcessor[];
  /** The OTLP log sinks (shut down with the other signals' OTLP exports, before the local sinks). */
  otlpSinks: LogRecordProcessor[];
  /** The CSV exporters (for the count of formula-escaped cells). */
  csvExporters: readonly CsvLogRecordExporter[];
  /** Python level number each configured channel starts emitting at. */
  channelLevel(name: string): number;
}

/** A sink that cannot write (e.g. a TensorBoard handler without a run): every record is counted as dropped. */
class UnavailableSinkProcessor implements LogRecordProcessor {
  constructor(
    private readonly name: string,
    private readonly drops: DropCounter,
  ) {}
  onEmit(): void {
    this.drops.record('logs', 'sink_unavailable', this.name);
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

function severityOf(level: LevelName): number {
  return level === 'NOTSET' ? 0 : LEVEL_TO_SEVERITY[level];
}

export function createFormatter(config: ResolvedConfig, name: string | undefined): LogFormatter {
  const f = name ? config.formatters.get(name) : undefined;
  if (!f) return new PythonFormatter();
  if (f.kind === 'json') return new JsonFormatter(f.fields ? { fields: f.fields } : {});
  return new PythonFormatter({
    ...(f.format !== undefined ? { format: f.format } : {}),
    ...(f.datefmt !== undefined ? { datefmt: f.datefmt } : {}),
    style: f.style,
    utc: f.utc,
  });
}

/** What the pipeline needs from the runtime besides the config. */
export interface PipelineContext {
  drops: DropCounter;
  /** Failed exports of the local sinks (grpo.sdk.export.errors), each cause reported once. */
  errors?: ExportErrorCounter;
  selfObs?: MeterProvider;
  /** The TensorBoard run of each tensorboard handler (shared with its metric exporter). */
  tensorBoardRuns: ReadonlyMap<string, TensorBoardRun>;
  /** The trainer's current step, for text records without a `grpo.step` attribute. */
  getStep: () => number | undefined;
  /** The OTLP export queues built here are added to this list (for the SDK's queue metrics). */
  exportQueues: QueueContext['queues'];
  /** The OTLP queues' shared shutdown deadline, connections and loss report (see QueueContext). */
  otlpShutdown?: Pick<QueueContext, 'deadline' | 'connections' | 'onShutdownLoss'>;
  /** The CSV exporters built here are added to this list (their formula escapes are counted as sanitized). */
  csvExporters?: CsvLogRecordExporter[];
}

/** How long the implicit OTLP log sink gathers a partial batch (OTel's BatchLogRecordProcessor default). */
const DEFAULT_OTLP_LOG_DELAY_MS = 1000;

function createSink(
  config: ResolvedConfig,
  h: HandlerConfig,
  ctx: PipelineContext,
): LogRecordProcessor | undefined {
  const { drops } = ctx;
  // `ranks: zero` on a rank other than 0: rank 0 writes this sink; nothing to do here.
  if ('onThisRank' in h && !h.onThisRank) return undefined;
  const local = (exporter: ConstructorParameters<typeof LocalSinkProcessor>[0], batchSize?: number) =>
    new LocalSinkProcessor(exporter, {
      name: h.name,
      flushIntervalMs: h.flushIntervalMs,
      maxQueueSize: h.maxQueueSize,
      ...(batchSize !== undefined
        ? { exportTriggerSize: batchSize, maxExportBatchSize: Math.max(batchSize, 1024) }
        : {}),
      drops,
      ...(ctx.errors ? { errors: ctx.errors } : {}),
    });
  const perms = { mode: config.files.mode, dirMode: config.files.dirMode };
  switch (h.type) {
    case 'console':
      return local(
        new ConsoleLogRecordExporter({
          stream: h.stream,
          color: h.color,
          formatter: createFormatter(config, h.formatter),
        }),
      );
    case 'file':
      if (h.mode === 'w') {
        try {
          truncateSync(h.filename);
        } catch {
          // absent: nothing to truncate
        }
      }
      return local(
        new RotatingFileLogRecordExporter({
          filename: h.filename,
          maxBytes: h.maxBytes,
          backupCount: h.backupCount,
          formatter: createFormatter(config, h.formatter),
          syncWrites: !h.asyncWrites,
          ...perms,
        }),
      );
    case 'otlp':
      // Bounded, retrying queue (otlp.queue): never blocks, counts every drop.
      return createQueuedOtlpLogProcessor(
        h,
        h.name,
        h.flushIntervalMs,
        { ...ctx.otlpShutdown, drops, queues: ctx.exportQueues },
        config.otlp.signalEndpoints.logs,
      );
    case 'csv': {
      const csv = new CsvLogRecordExporter({
        filename: h.filename,
        columns: h.columns,
        maxBytes: h.maxBytes,
        backupCount: h.backupCount,
        syncWrites: !h.asyncWrites,
        ...perms,
      });
      ctx.csvExporters?.push(csv);
      // buffer_size: rows gathered before a background write (or the flush interval, whichever first).
      return local(csv, h.bufferSize);
    }
    case 'tensorboard': {
      const run = ctx.tensorBoardRuns.get(h.name);
      if (!run) {
        diag.warn(
          `grpo-otel: handler '${h.name}' has no TensorBoard run; its records are counted as dropped`,
        );
        return new UnavailableSinkProcessor(h.name, drops);
      }
      return local(new TensorBoardLogRecordExporter({ run, getStep: ctx.getStep }));
    }
    case 'traces': // spans, not log records (see buildTraceSinks)
    case 'null':
      return undefined;
  }
}

/** Builds one sink per handler and the routing table of every configured channel. */
export function buildLogPipeline(config: ResolvedConfig, ctx: PipelineContext): LogPipeline {
  const sinks = new Map<string, LogRecordProcessor>();
  const localSinks: LocalSinkProcessor[] = [];
  const otlpSinks: LogRecordProcessor[] = [];
  const csvExporters: CsvLogRecordExporter[] = [];
  for (const h of config.handlers.values()) {
    const sink = createSink(config, h, { ...ctx, csvExporters });
    if (!sink) continue;
    sinks.set(h.name, sink);
    if (sink instanceof LocalSinkProcessor) localSinks.push(sink);
    if (h.type === 'otlp') otlpSinks.push(sink);
  }
  if (config.otlp.logs) {
    const otlp = createQueuedOtlpLogProcessor(
      config.otlp,
      'otlp',
      DEFAULT_OTLP_LOG_DELAY_MS,
      { ...ctx.otlpShutdown, drops: ctx.drops, queues: ctx.exportQueues },
      config.otlp.signalEndpoints.logs,
    );
    sinks.set(IMPLICIT_OTLP_HANDLER, otlp);
    otlpSinks.push(otlp);
  }

  const routes = new Map<string, Route[]>();
  const levels = new Map<string, number>();
  for (const r of channelRoutes(config)) {
    const out: Route[] = [];
    for (const name of r.handlers) {
      const processor = sinks.get(name);
      if (!processor) continue;
      const h = config.handlers.get(name);
      out.push({ handler: name, processor, minSeverity: h ? severityOf(h.level) : 0 });
    }
    routes.set(r.channel, out);
    levels.set(r.channel, levelThreshold(r.effectiveLevel));
  }
  const rootRoutes = routes.get('root') ?? [];
  const rootLevel = levels.get('root') ?? 0;
  return {
    router: new ChannelRouterProcessor(routes, rootRoutes, [...sinks.values()]),
    localSinks,
    otlpSinks,
    csvExporters,
    channelLevel(name: string): number {
      return levels.get(name) ?? rootLevel;
    },
  };
}
