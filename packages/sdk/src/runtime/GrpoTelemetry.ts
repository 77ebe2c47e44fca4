import {
  type StepMetricExporter,
  TensorBoardMetricExporter,
  TensorBoardRun,
} from '@grpo-otel/exporter-tensorboard';
import { generateRunId, METRICS, type MetricDefinition } from '@grpo-otel/semconv';
import {
  type Attributes,
  context,
  diag,
  type Meter,
  metrics,
  propagation,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import type { Resource } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, MeterProvider, type MetricReader } from '@opentelemetry/sdk-metrics';
import { AlwaysOffSampler, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { AnalysisBridge } from '../analysis/AnalysisBridge.js';
import { PrecomputedHistograms } from '../analysis/PrecomputedHistograms.js';
import type { ResolvedConfig } from '../config/ResolvedConfig.js';
import { DropCounter } from '../internal/DropCounter.js';
import { ExportErrorCounter } from '../internal/ExportErrorCounter.js';
import { StrideSampler } from '../internal/StrideSampler.js';
import { type SanitizeReason, StringSanitizer } from '../internal/StringSanitizer.js';
import { TokenBucket } from '../internal/TokenBucket.js';
import { buildLogPipeline, type LogPipeline } from '../logging/buildLogPipeline.js';
import { ChannelLogger } from '../logging/ChannelLogger.js';
import { StepStampProcessor } from '../logging/StepStampProcessor.js';
import { stopForwardingDiagnostics } from '../logging/sdkDiagnostics.js';
import {
  createQueuedOtlpMetricExporter,
  createQueuedOtlpSpanProcessor,
  type QueueContext,
} from '../otlp/createQueuedOtlp.js';
import { describeShutdownLoss } from '../otlp/describeShutdownLoss.js';
import type { ShutdownLoss } from '../otlp/ExportQueue.js';
import { OtlpConnections } from '../otlp/OtlpConnections.js';
import { OtlpMetricReader } from '../otlp/OtlpMetricReader.js';
import { registerQueueMetrics } from '../otlp/registerQueueMetrics.js';
import { ShutdownDeadline } from '../otlp/ShutdownDeadline.js';
import { StepModel } from '../step/StepModel.js';
import { Instruments } from '../step-metrics/Instruments.js';
import { StepMeter, StepMeterProvider, stepInstrument } from '../step-metrics/StepMeter.js';
import { StepMetricSink } from '../step-metrics/StepMetricSink.js';
import { buildTraceSinks } from '../traces/buildTraceSinks.js';
import type { LocalSpanProcessor } from '../traces/LocalSpanProcessor.js';
import { buildResource } from './buildResource.js';
import { installExitHooks } from './exitHooks.js';
import { registerSelfMetrics } from './registerSelfMetrics.js';
import { SDK_NAME, SDK_VERSION } from './sdkVersion.js';
import { TrainingState } from './TrainingState.js';

export { SDK_NAME, SDK_VERSION } from './sdkVersion.js';

export interface GrpoTelemetryOptions {
  /** Register the providers as the OTel API globals (default true) so `trace.getTracer()` etc. use them. */
  registerGlobal?: boolean;
  /** Flush on SIGINT/SIGTERM/exit (default true). */
  handleExit?: boolean;
  /** Extra metric readers (e.g. a test's in-memory reader). */
  metricReaders?: MetricReader[];
  /** Extra span processors. */
  spanProcessors?: SpanProcessor[];
  /**
   * Exporters keyed by training step (e.g. TensorBoard): they receive one collection per step, with
   * its step, from the SDK's step sink (`exportStep(step, values)`, see StepMetricSink).
   */
  stepExporters?: { name: string; exporter: StepMetricExporter }[];
  /** @internal The process detector's attributes, as the training thread has them (on a telemetry thread). */
  processAttributes?: Attributes;
}

/**
 * One initialized SDK: the OTel logger, meter and tracer providers built from a resolved config,
 * the channel routing, the drop counter and the exit hooks.
 */
export class GrpoTelemetry {
  readonly config: ResolvedConfig;
  readonly runId: string;
  readonly resource: Resource;
  readonly loggerProvider: LoggerProvider;
  readonly meterProvider: MeterProvider;
  readonly tracerProvider: NodeTracerProvider;
  readonly drops = new DropCounter();
  /** Failed export attempts of the sinks (grpo.sdk.export.errors), each cause reported once. */
  readonly exportErrors = new ExportErrorCounter();
  /** The OTLP export queues (one per signal and OTLP log handler), for metrics and health checks. */
  readonly exportQueues: QueueContext['queues'] = [];
  /** Strings changed by the config's `limits` (truncated, redacted), by reason. */
  readonly sanitized = new Map<SanitizeReason, number>();
  private readonly sanitizer: StringSanitizer;
  readonly meter: Meter;
  readonly tracer: Tracer;
  readonly instruments: Instruments;
  /** Which step a value belongs to (see StepModel). */
  readonly steps = new StepModel();
  /** This instance's own channel loggers (its analyses and warnings), valid until its providers stop. */
  private readonly ownLoggers = new Map<string, ChannelLogger>();
  private readonly limits = new Map<string, { limiter?: TokenBucket; sampler?: StrideSampler }>();
  /** Values by training step for the step-keyed exporters (TensorBoard); absent when there are none. */
  readonly stepSink: StepMetricSink | undefined;
  /** Tokens, accuracies, memory peaks and running totals: what values over several calls need. */
  readonly training: TrainingState;
  /** The analysis worker, the reward means it needs, its answers and the signals. */
  readonly analyses: AnalysisBridge;
  private readonly pipeline: LogPipeline;
  /** TensorBoard runs by tensorboard handler name. */
  readonly tensorBoardRuns = new Map<string, TensorBoardRun>();
  private removeExitHooks: (() => void) | undefined;
  private shutdownPromise: Promise<void> | undefined;
  /** What the OTLP queues could not deliver at shutdown. */
  private readonly shutdownLosses: ShutdownLoss[] = [];
  /** The OTLP queues' one shutdown deadline, their connections, and where they report what they lost. */
  private readonly otlpShutdown = {
    deadline: new ShutdownDeadline(),
    connections: new OtlpConnections(),
    onShutdownLoss: (loss: ShutdownLoss) => {
      this.shutdownLosses.push(loss);
    },
  };
  private otlpMetricReader: OtlpMetricReader | undefined;
  /** The `traces` handlers: every span, one OTLP/JSON line each, in a local file. */
  private readonly traceSinks: LocalSpanProcessor[];
  private readonly registeredGlobal: boolean;
  /** The span processors of the tracer provider (the trace file, OTLP, given ones). */
  private readonly spanSinks: SpanProcessor[];

  constructor(config: ResolvedConfig, options: GrpoTelemetryOptions = {}) {
    this.config = config;
    this.runId = config.resource.runId ?? generateRunId();
    this.sanitizer = new StringSanitizer(config.limits.maxStringLength, config.limits.redact, (reason) =>
      this.sanitized.set(reason, (this.sanitized.get(reason) ?? 0) + 1),
    );
    this.resource = buildResource(config, this.runId, this.sanitizer, options.processAttributes);

    // One TensorBoard run per tensorboard handler: its text records (log pipeline) and every metric
    // (step sink) share the run's event files under <log_dir>/<run id>.
    const { rank, worldSize = 1, runId } = config.resource;
    if (worldSize > 1 && (rank === undefined || runId === undefined)) {
      diag.warn(
        `grpo-otel: world size ${worldSize} without ${rank === undefined ? 'a rank (RANK)' : 'a shared run id (GRPO_RUN_ID or resource.run_id)'}; ` +
          'the ranks of this run cannot be told apart or grouped',
      );
    }
    for (const h of config.handlers.values()) {
      if (h.type !== 'tensorboard' || !h.onThisRank) continue;
      try {
        const run = new TensorBoardRun({
          logDir: h.logDir,
          runName: h.rankRun ? `${this.runId}/${h.rankRun}` : this.runId,
          maxFileBytes: h.maxFileBytes,
          syncWrites: !h.asyncWrites,
          mode: config.files.mode,
          dirMode: config.files.dirMode,
          onError: (err, records) => {
            this.drops.record('metrics', 'export_failed', h.name, records);
            this.exportErrors.record('metrics', h.name, err, records);
          },
          onRecover: () => this.exportErrors.succeeded(h.name),
        });
        run.addCustomScalarsLayout();
        this.tensorBoardRuns.set(h.name, run);
      } catch (err) {
        diag.error(`grpo-otel: cannot open TensorBoard run for handler '${h.name}'`, err);
      }
    }
    const stepExporters = [
      ...(options.stepExporters ?? []),
      ...[...this.tensorBoardRuns].map(([name, run]) => ({
        name,
        exporter: new TensorBoardMetricExporter({ run }),
      })),
    ];
    const readers: MetricReader[] = [...(options.metricReaders ?? [])];
    // Step-keyed exporters are fed by the step sink at record time, never by an OTel collection: a
    // collection runs whenever the event loop gets to it, steps later in a tight training loop.
    this.stepSink =
      stepExporters.length > 0
        ? new StepMetricSink({
            exporters: stepExporters,
            resource: this.resource,
            drops: this.drops,
            analysis: () => this.analyses.running,
            observeIntervalMs: config.metrics.observeIntervalMs,
            lastStep: () => this.steps.lastActive,
          })
        : undefined;
    const histograms = new PrecomputedHistograms();
    if (config.otlp.metrics) {
      this.otlpMetricReader = new OtlpMetricReader({
        exporter: createQueuedOtlpMetricExporter(
          config.otlp,
          { ...this.otlpShutdown, drops: this.drops, queues: this.exportQueues },
          config.otlp.signalEndpoints.metrics,
        ),
        exportIntervalMillis: config.otlp.exportIntervalMs,
        exportTimeoutMillis: Math.min(config.otlp.timeoutMs, config.otlp.exportIntervalMs),
        metricProducers: [histograms.producer(AggregationTemporality.CUMULATIVE)],
      });
      readers.push(this.otlpMetricReader);
    }
    this.meterProvider = new MeterProvider({ resource: this.resource, readers });

    this.pipeline = buildLogPipeline(config, {
      drops: this.drops,
      errors: this.exportErrors,
      selfObs: this.meterProvider,
      tensorBoardRuns: this.tensorBoardRuns,
      getStep: () => this.steps.current,
      exportQueues: this.exportQueues,
      otlpShutdown: this.otlpShutdown,
    });
    this.loggerProvider = new LoggerProvider({
      resource: this.resource,
      processors: [new StepStampProcessor(() => this.steps.current), this.pipeline.router],
    });

    this.traceSinks = buildTraceSinks(config, this.drops);
    const spanProcessors: SpanProcessor[] = [...(options.spanProcessors ?? []), ...this.traceSinks];
    this.spanSinks = spanProcessors;
    if (config.otlp.traces) {
      spanProcessors.push(
        createQueuedOtlpSpanProcessor(
          config.otlp,
          { ...this.otlpShutdown, drops: this.drops, queues: this.exportQueues },
          config.otlp.signalEndpoints.traces,
        ),
      );
    }
    // With no span processor (no OTLP traces, none given) a span would be built and ended for nobody:
    // then none is recorded. Spans still get IDs and go into the context, so logs keep their trace.
    this.tracerProvider = new NodeTracerProvider({
      resource: this.resource,
      spanProcessors,
      ...(spanProcessors.length === 0 ? { sampler: new AlwaysOffSampler() } : {}),
    });

    const otelMeter = this.meterProvider.getMeter(SDK_NAME, SDK_VERSION);
    this.meter = this.stepSink
      ? new StepMeter(otelMeter, { name: SDK_NAME, version: SDK_VERSION }, this.stepSink)
      : otelMeter;
    this.tracer = this.tracerProvider.getTracer(SDK_NAME, SDK_VERSION);
    // On the OTel meter itself: Instruments feeds the step sink on its own (and aggregates for OTel).
    this.instruments = new Instruments(
      otelMeter,
      this.drops,
      this.stepSink ? { sink: this.stepSink, scope: { name: SDK_NAME, version: SDK_VERSION } } : undefined,
    );
    this.training = new TrainingState(this.instruments, this.drops);
    this.analyses = new AnalysisBridge({
      metrics: config.metrics,
      drops: this.drops,
      instruments: this.instruments,
      stepSink: this.stepSink,
      histograms,
      atStep: (step, fn) => this.atStep(step, fn),
      logger: (name) => this.logger(name),
      noteTrainingAccuracy: (v) => this.training.noteTrainingAccuracy(v),
    });
    registerSelfMetrics(this.meter, {
      drops: this.drops,
      exportErrors: this.exportErrors,
      sanitized: this.sanitized,
      formulaEscapedCells: () => this.formulaEscapedCells,
      training: this.training,
      resourceMetrics: config.metrics.enable.resourceMetrics,
    });
    registerQueueMetrics(this.meter, this.exportQueues);

    this.registeredGlobal = options.registerGlobal ?? true;
    if (this.registeredGlobal) {
      logs.setGlobalLoggerProvider(this.loggerProvider);
      metrics.setGlobalMeterProvider(
        this.stepSink ? new StepMeterProvider(this.meterProvider, this.stepSink) : this.meterProvider,
      );
      this.tracerProvider.register();
    }
    if (options.handleExit ?? true) this.removeExitHooks = installExitHooks(this);
  }

  /**
   * A span ended on the training thread (with a telemetry thread, the tracer provider stays there):
   * to the span processors, as if it had ended here.
   */
  acceptSpan(span: ReadableSpan): void {
    for (const p of this.spanSinks) p.onEnd(span);
  }

  /** CSV cells the CSV sinks prefixed with `'` so that no spreadsheet evaluates them (formula injection). */
  get formulaEscapedCells(): number {
    let n = 0;
    for (const csv of this.pipeline.csvExporters) n += csv.counts.formulaEscapedCells;
    return n;
  }

  /** Binds a channel logger to this SDK's routing, level, rate limit and sampling. */
  bind(logger: ChannelLogger): void {
    logger._bind({
      logger: this.loggerProvider.getLogger(logger.name),
      minLevel: this.pipeline.channelLevel(logger.name),
      ...this.channelLimits(logger.name),
      drops: this.drops,
      sanitizer: this.sanitizer,
    });
  }

  /** A channel's rate limit and sampling: one of each per channel, shared by every logger bound to it. */
  private channelLimits(name: string): { limiter?: TokenBucket; sampler?: StrideSampler } {
    let limits = this.limits.get(name);
    if (!limits) {
      const ch = name === 'root' ? this.config.root : this.config.channels.get(name);
      limits = {
        ...(ch?.rateLimit
          ? { limiter: new TokenBucket(ch.rateLimit.recordsPerSecond, ch.rateLimit.burst) }
          : {}),
        ...(ch?.sample !== undefined ? { sampler: new StrideSampler(ch.sample) } : {}),
      };
      this.limits.set(name, limits);
    }
    return limits;
  }

  /** The handler names a channel's records go to. */
  handlersOf(channel: string): string[] {
    return this.pipeline.router.handlersOf(channel);
  }

  /** Everything emitted so far is exported (files written and synced). */
  async forceFlush(): Promise<void> {
    await this.analyses.drain();
    await Promise.all([
      this.loggerProvider.forceFlush(),
      this.meterProvider.forceFlush(),
      this.tracerProvider.forceFlush(),
      this.stepSink?.flush(),
    ]);
  }

  /**
   * Flushes and stops every provider. Idempotent. `requestedAt` (epoch ms): when the trainer asked,
   * if earlier (a telemetry thread gets the request after the calls before it): the OTLP deadline
   * counts from then.
   */
  shutdown(requestedAt?: number): Promise<void> {
    this.shutdownPromise ??= (async () => {
      // Analyses still running belong in the final export (see AnalysisBridge.close).
      await this.analyses.close();
      // The OTLP exports of every signal at once, under one deadline (the longest OTLP timeout): with
      // the collector unreachable, what is left then is counted as dropped and said in one line, before
      // the local sinks' last export, so their grpo.sdk.record.dropped series include it.
      const deadlineMs = this.otlpShutdownMs();
      const late = requestedAt === undefined ? 0 : Math.max(0, Date.now() - requestedAt);
      this.otlpShutdown.deadline.start(deadlineMs - late);
      const results = await Promise.allSettled([
        this.tracerProvider.shutdown(),
        this.otlpMetricReader?.shutdown(),
        ...this.pipeline.otlpSinks.map((s) => s.shutdown()),
      ]);
      this.otlpShutdown.connections.abort();
      for (const line of describeShutdownLoss(this.shutdownLosses, deadlineMs)) {
        diag.warn(line);
        // In the files too (the local sinks close below; the closed OTLP queue counts it, silently).
        this.logger('system').warning(line.replace(/^grpo-otel: /, ''));
      }
      results.push(...(await Promise.allSettled([this.meterProvider.shutdown(), this.stepSink?.shutdown()])));
      // The local log sinks last, so a drop summary or shutdown message logged above reaches the files.
      results.push(...(await Promise.allSettled([this.loggerProvider.shutdown()])));
      for (const r of results) if (r.status === 'rejected') diag.error('grpo-otel: shutdown error', r.reason);
      if (this.registeredGlobal) {
        logs.disable();
        metrics.disable();
        // What tracerProvider.register() set: the tracer provider, the context manager and the propagator.
        trace.disable();
        context.disable();
        propagation.disable();
      }
      this.removeExitHooks?.();
    })();
    return this.shutdownPromise;
  }

  /** How long shutdown gives the OTLP exports: the longest `timeout` of OTLP and the `otlp` handlers. */
  private otlpShutdownMs(): number {
    let ms = this.config.otlp.timeoutMs;
    for (const h of this.config.handlers.values()) if (h.type === 'otlp') ms = Math.max(ms, h.timeoutMs);
    return ms;
  }

  get isShutdown(): boolean {
    return this.shutdownPromise !== undefined;
  }

  /**
   * For the process's 'exit' event (`process.exit()`, an uncaught exception): what the network can no
   * longer take is counted as dropped (`process_exit`) and said in a warning on the `system` channel,
   * then the local sinks are drained synchronously, so the files hold that warning too.
   */
  exitSync(): void {
    // The notice below goes to the system channel itself: diagnostics now on stderr only.
    stopForwardingDiagnostics();
    const lost = new Map<string, number>();
    for (const q of this.exportQueues) {
      const n = q.abandonAtExit();
      if (n === 0) continue;
      const { signal } = q.stats();
      lost.set(signal, (lost.get(signal) ?? 0) + n);
    }
    const parts: string[] = [];
    if (lost.size > 0) {
      parts.push(
        `OTLP records not delivered (${[...lost].map(([signal, n]) => `${n} ${signal}`).join(', ')})`,
      );
    }
    // The worker's answers would need the event loop, which runs no more.
    const analyses = this.analyses.abandonAtExit();
    if (analyses > 0) {
      parts.push(`analysis jobs not answered (${analyses})`);
    }
    if (parts.length > 0) {
      const message = `the process is exiting without shutdown(): ${parts.join(' and ')} are counted as dropped (process_exit)`;
      diag.warn(`grpo-otel: ${message}`);
      this.logger('system').warning(message);
    }
    this.flushSync();
  }

  /** Synchronous drain of local sinks (console, files) for `process.exit()`. */
  flushSync(): void {
    this.stepSink?.flushSync();
    for (const s of this.pipeline.localSinks) s.flushSync();
    for (const s of this.traceSinks) s.flushSync();
  }

  /** The step a value without a step of its own belongs to (see {@link StepModel}). */
  get currentStep(): number {
    return this.steps.current;
  }

  /** The trainer is now in `step` (`beginStep`): values without a step of their own belong to it. */
  beginStep(step: number): void {
    const highest = this.steps.highest;
    this.steps.begin(step);
    this.stepChanged(highest);
  }

  /** `logTrainingProgress(step)`: the step is reported (without `beginStep`, the trainer is then past it). */
  reportStep(step: number): void {
    const highest = this.steps.highest;
    this.steps.report(step);
    this.stepChanged(highest);
  }

  /** A call named `step` for its values: without `beginStep`, the trainer is at least in that step. */
  nameStep(step: number): void {
    if (this.steps.scoped || step <= this.steps.current) return;
    this.steps.name(step);
    this.stepSink?.advance(this.steps.current);
  }

  private stepChanged(previousHighest: number | undefined): void {
    this.stepSink?.advance(this.steps.current);
    const highest = this.steps.highest ?? 0;
    if (highest === previousHighest) return;
    // At the step itself, whichever step the trainer is in now (TRL's order: the one after it).
    this.atStep(highest, () => {
      this.instruments.record(METRICS.trainingCurrentStep, highest);
      const before = previousHighest ?? 0;
      if (highest > before) this.instruments.record(METRICS.trainingSteps, highest - before);
    });
  }

  /** A channel logger bound to this instance (not the process-wide one, which follows `initialize()`). */
  logger(name: string): ChannelLogger {
    let l = this.ownLoggers.get(name);
    if (!l) {
      l = new ChannelLogger(name);
      this.bind(l);
      this.ownLoggers.set(name, l);
    }
    return l;
  }

  /**
   * Runs `fn` with the values it records attributed to `step` in the step-keyed exporters (TensorBoard)
   * instead of the current step: for calls that name their step (analysis results, step timing, a
   * validation pass) and may run after the trainer moved on.
   */
  atStep<T>(step: number, fn: () => T): T {
    return this.stepSink && Number.isSafeInteger(step) && step >= 0 ? this.stepSink.at(step, fn) : fn();
  }

  /**
   * A reading of an observable instrument made for the current step (e.g. by `logMemoryUsage`): the
   * step-keyed exporters show it at that step instead of the reading taken when the step ends.
   */
  recordObservation(def: MetricDefinition, value: number, attributes: Record<string, string> = {}): void {
    if (!this.stepSink) return;
    const inst = stepInstrument({ name: SDK_NAME, version: SDK_VERSION }, def.instrument, def.name, {
      description: def.description,
      unit: def.unit,
    });
    this.stepSink.recordObservation(inst, value, attributes);
  }
}
