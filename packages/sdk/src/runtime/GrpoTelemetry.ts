import { getHeapSpaceStatistics } from 'node:v8';
import {
  type StepMetricExporter,
  TensorBoardMetricExporter,
  TensorBoardRun,
} from '@grpo-otel/exporter-tensorboard';
import { RollingWindow, RunningStats } from '@grpo-otel/metrics';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GRPO_EXPERIMENT_NAME,
  ATTR_GRPO_MEMORY_POOL,
  ATTR_GRPO_RANK,
  ATTR_GRPO_RUN_ID,
  ATTR_GRPO_SDK_DROP_REASON,
  ATTR_GRPO_SDK_EXPORTER,
  ATTR_GRPO_SDK_SANITIZE_REASON,
  ATTR_GRPO_SDK_SIGNAL,
  ATTR_GRPO_WORLD_SIZE,
  ATTR_SERVICE_INSTANCE_ID,
  ATTR_V8JS_HEAP_SPACE_NAME,
  generateRunId,
  METRICS,
  type MetricDefinition,
  metricDefinition,
} from '@grpo-otel/semconv';
import { diag, type Meter, metrics, type Tracer, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import {
  detectResources,
  hostDetector,
  processDetector,
  type Resource,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, MeterProvider, type MetricReader } from '@opentelemetry/sdk-metrics';
import { AlwaysOffSampler, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { HistogramValue, SignalNotice } from '../analysis/AnalysisResult.js';
import { AnalysisWorker } from '../analysis/AnalysisWorker.js';
import { applyAnalysisResult } from '../analysis/applyAnalysisResult.js';
import { ANALYSIS_SCOPE, PrecomputedHistograms } from '../analysis/PrecomputedHistograms.js';
import type { ResolvedConfig } from '../config/ResolvedConfig.js';
import { DROP_SIGNALS, DropCounter } from '../internal/DropCounter.js';
import { ExportErrorCounter } from '../internal/ExportErrorCounter.js';
import { redactAttributes } from '../internal/redactAttributes.js';
import { StrideSampler } from '../internal/StrideSampler.js';
import { type SanitizeReason, SDK_SANITIZE_REASONS, StringSanitizer } from '../internal/StringSanitizer.js';
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
import type { BucketCounts } from '../step-metrics/StepBuffer.js';
import { StepMeter, StepMeterProvider, stepInstrument } from '../step-metrics/StepMeter.js';
import { StepMetricSink } from '../step-metrics/StepMetricSink.js';
import { buildTraceSinks } from '../traces/buildTraceSinks.js';
import type { LocalSpanProcessor } from '../traces/LocalSpanProcessor.js';
import { installExitHooks } from './exitHooks.js';
import { SDK_VERSION } from './sdkVersion.js';

export const SDK_NAME = '@grpo-otel/sdk';
export { SDK_VERSION } from './sdkVersion.js';

/** Longest wait at shutdown for the analysis worker's backlog, while it keeps answering. */
const ANALYSIS_DRAIN_MS = 30_000;
/** A worker that has not answered for this long at shutdown is given up on. */
const ANALYSIS_STALL_MS = 5_000;
/** Steps of reward means kept between two analysed steps (see noteRewardMeans). */
const MAX_PENDING_MEANS = 100_000;

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
}

function buildResource(config: ResolvedConfig, runId: string, sanitizer: StringSanitizer): Resource {
  const r = config.resource;
  const attrs: Record<string, string | number | boolean> = {
    ...r.attributes,
    [ATTR_SERVICE_NAME]:
      r.serviceName ?? (r.attributes[ATTR_SERVICE_NAME] as string | undefined) ?? 'grpo-training',
    [ATTR_SERVICE_VERSION]: (r.attributes[ATTR_SERVICE_VERSION] as string | undefined) ?? SDK_VERSION,
    [ATTR_GRPO_RUN_ID]: runId,
    'telemetry.distro.name': 'grpo-otel',
    'telemetry.distro.version': SDK_VERSION,
  };
  if (r.experiment) attrs[ATTR_GRPO_EXPERIMENT_NAME] = r.experiment;
  if (r.model) attrs[ATTR_GEN_AI_REQUEST_MODEL] = r.model;
  if (r.rank !== undefined) attrs[ATTR_GRPO_RANK] = r.rank;
  if (r.worldSize !== undefined) attrs[ATTR_GRPO_WORLD_SIZE] = r.worldSize;
  // One instance per worker process (semconv: `<run id>-<rank>`): the collector's Prometheus exporter
  // makes it the `instance` label, so the series of the ranks of one run never collide.
  if (attrs[ATTR_SERVICE_INSTANCE_ID] === undefined)
    attrs[ATTR_SERVICE_INSTANCE_ID] = `${runId}-${r.rank ?? 0}`;
  // The process detector's attributes are known at once; `limits.redact` applies to them (a secret
  // passed on the command line would otherwise go out with every export in process.command_args).
  const processAttrs = detectResources({ detectors: [processDetector] }).attributes;
  const detected = detectResources({ detectors: [hostDetector] }).merge(
    resourceFromAttributes(redactAttributes(processAttrs, sanitizer)),
  );
  return detected.merge(resourceFromAttributes(attrs));
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
  /** Per-step reward means taken between analysed steps, for the step windows and detectors. */
  private pendingRewardMeans: { step: number; means: Record<string, number> }[] = [];
  private readonly cumulative = new Map<string, number>();
  private readonly peaks = new Map<string, number>();
  /** Values by training step for the step-keyed exporters (TensorBoard); absent when there are none. */
  readonly stepSink: StepMetricSink | undefined;
  /** Histograms computed by the analysis worker, fed to the OTLP reader. */
  readonly histograms = new PrecomputedHistograms();
  private analysisWorker: AnalysisWorker | undefined;
  private readonly plateauCallbacks: ((e: SignalNotice) => void)[] = [];
  private readonly signalStates = new Map<string, boolean>();
  private readonly trainingAccuracy = new RollingWindow(20);
  private readonly startedAtMs = Date.now();
  private readonly cpuAtStart = process.cpuUsage();
  private tokensLogged = 0;
  private tensorMemory: (() => { numBytes: number; numTensors: number }) | undefined;
  /** Milliseconds the analysis worker spent per job, by kind (for health checks and benchmarks). */
  readonly analysisWorkerMs = { rewards: new RunningStats(), generations: new RunningStats() };
  /** RSS samples taken by collections and logMemoryUsage (for the average). */
  readonly rssSamples = new RunningStats();
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

  constructor(config: ResolvedConfig, options: GrpoTelemetryOptions = {}) {
    this.config = config;
    this.runId = config.resource.runId ?? generateRunId();
    this.sanitizer = new StringSanitizer(config.limits.maxStringLength, config.limits.redact, (reason) =>
      this.sanitized.set(reason, (this.sanitized.get(reason) ?? 0) + 1),
    );
    this.resource = buildResource(config, this.runId, this.sanitizer);

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
            analysis: () => this.analysisWorker,
            observeIntervalMs: config.metrics.observeIntervalMs,
            lastStep: () => this.steps.lastActive,
          })
        : undefined;
    if (config.otlp.metrics) {
      this.otlpMetricReader = new OtlpMetricReader({
        exporter: createQueuedOtlpMetricExporter(
          config.otlp,
          { ...this.otlpShutdown, drops: this.drops, queues: this.exportQueues },
          config.otlp.signalEndpoints.metrics,
        ),
        exportIntervalMillis: config.otlp.exportIntervalMs,
        exportTimeoutMillis: Math.min(config.otlp.timeoutMs, config.otlp.exportIntervalMs),
        metricProducers: [this.histograms.producer(AggregationTemporality.CUMULATIVE)],
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
    this.registerSelfMetrics();
    this.registerExportErrorMetric();
    this.registerSanitizedMetric();
    registerQueueMetrics(this.meter, this.exportQueues);
    this.registerResourceMetrics();

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
    this.submitPendingRewardMeans();
    await this.analysisWorker?.drain(ANALYSIS_DRAIN_MS, ANALYSIS_STALL_MS);
    await Promise.all([
      this.loggerProvider.forceFlush(),
      this.meterProvider.forceFlush(),
      this.tracerProvider.forceFlush(),
      this.stepSink?.flush(),
    ]);
  }

  /** Flushes and stops every provider. Idempotent. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      // Analyses still running belong in the final export: a backlog is waited for as long as the
      // worker keeps answering (up to ANALYSIS_DRAIN_MS), a worker silent for ANALYSIS_STALL_MS is not.
      // Jobs left unanswered are counted as dropped (timeout), never lost silently.
      this.submitPendingRewardMeans();
      const worker = this.analysisWorker;
      if (worker) {
        await worker.drain(ANALYSIS_DRAIN_MS, ANALYSIS_STALL_MS);
        const abandoned = worker.pendingJobs;
        if (abandoned > 0) {
          this.drops.record('metrics', 'timeout', 'analysis', abandoned);
          const message = `${abandoned} analysis job(s) unanswered at shutdown (no answer for ${ANALYSIS_STALL_MS / 1000} s, or ${ANALYSIS_DRAIN_MS / 1000} s in all); their metrics are dropped (counted in grpo.sdk.record.dropped, reason timeout)`;
          diag.warn(`grpo-otel: ${message}`);
          // In the files too: the logger provider still runs until the end of shutdown.
          this.logger('system').warning(message);
        }
        await worker.close(0);
      }
      // The OTLP exports of every signal at once, under one deadline (the longest OTLP timeout): with
      // the collector unreachable, what is left then is counted as dropped and said in one line, before
      // the local sinks' last export, so their grpo.sdk.record.dropped series include it.
      const deadlineMs = this.otlpShutdownMs();
      this.otlpShutdown.deadline.start(deadlineMs);
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
        trace.disable();
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
    const analyses = this.analysisWorker?.pendingJobs ?? 0;
    if (analyses > 0) {
      this.drops.record('metrics', 'process_exit', 'analysis', analyses);
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
   * A step's reward means (per function, and `total`), taken on every `logRewardMetrics` call: the
   * moving averages and detectors count steps, so they need every step's value, not only the analysed
   * steps'. Kept until the next analysed step's job carries them to the worker (or flush/shutdown).
   */
  noteRewardMeans(step: number, means: Record<string, number>): void {
    const p = this.pendingRewardMeans;
    if (p.length > 0 && p[p.length - 1]!.step === step) p[p.length - 1] = { step, means };
    else p.push({ step, means });
    // Bounded: far more steps than any window between two analysed steps; the oldest go first.
    if (p.length > MAX_PENDING_MEANS) {
      const n = p.length - MAX_PENDING_MEANS;
      p.splice(0, n);
      this.drops.record('metrics', 'queue_full', 'reward_windows', n);
    }
  }

  /** The reward means noted since the last analysed step (and forgets them). */
  takeRewardMeans(): { step: number; means: Record<string, number> }[] {
    const p = this.pendingRewardMeans;
    this.pendingRewardMeans = [];
    return p;
  }

  /** Sends the reward means still waiting to the worker, so windows and detectors see every step. */
  private submitPendingRewardMeans(): void {
    if (this.pendingRewardMeans.length === 0) return;
    const history = this.takeRewardMeans();
    const last = history[history.length - 1]!.step;
    const ok = this.analysis()?.submit({ kind: 'rewards', step: last, rewards: {}, history });
    if (!ok) this.drops.record('metrics', 'queue_full', 'reward_windows', history.length);
  }

  /**
   * Runs `fn` with the values it records attributed to `step` in the step-keyed exporters (TensorBoard)
   * instead of the current step: for calls that name their step (analysis results, step timing, a
   * validation pass) and may run after the trainer moved on.
   */
  atStep<T>(step: number, fn: () => T): T {
    return this.stepSink && Number.isSafeInteger(step) && step >= 0 ? this.stepSink.at(step, fn) : fn();
  }

  /** Adds histogram bucket counts computed off the training thread, for OTLP and for the step's exporters. */
  addHistogram(h: HistogramValue, step: number): void {
    this.histograms.add(h);
    if (!this.stepSink) return;
    const def = metricDefinition(h.metric);
    const inst = stepInstrument(ANALYSIS_SCOPE, 'histogram', h.metric, {
      description: def?.description ?? '',
      unit: def?.unit ?? '',
    });
    const counts: BucketCounts = h;
    this.atStep(step, () => this.stepSink!.addBuckets(inst, counts, h.attributes ?? {}));
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

  /** The analysis worker, started on first use. */
  analysis(): AnalysisWorker | undefined {
    if (this.isShutdown) return undefined;
    if (!this.analysisWorker) {
      const m = this.config.metrics;
      this.analysisWorker = new AnalysisWorker({
        settings: {
          historyWindow: m.historyWindow,
          startedAtMs: this.startedAtMs,
          cpuAtStartUs: this.cpuAtStart.user + this.cpuAtStart.system,
          plateau: {
            window: m.plateau.window,
            minDelta: m.plateau.minDelta,
            patience: m.plateau.patience,
            objective: m.plateau.objective,
          },
          collapse: {
            window: m.collapse.window,
            ...(m.collapse.entropyThreshold !== undefined
              ? { entropyThreshold: m.collapse.entropyThreshold }
              : {}),
            ...(m.collapse.diversityThreshold !== undefined
              ? { diversityThreshold: m.collapse.diversityThreshold }
              : {}),
            ...(m.collapse.maxDrop !== undefined ? { maxDrop: m.collapse.maxDrop } : {}),
          },
        },
        maxPending: m.maxPendingAnalyses,
        onResult: (r) => applyAnalysisResult(this, r),
        onError: (message) => {
          this.drops.record('metrics', 'export_failed', 'analysis');
          diag.error(`grpo-otel: analysis failed: ${message}`);
        },
      });
    }
    return this.analysisWorker;
  }

  /** Registers a callback for plateau and collapse signals (fired once per episode). */
  onSignal(callback: (e: SignalNotice) => void): () => void {
    this.plateauCallbacks.push(callback);
    return () => {
      const i = this.plateauCallbacks.indexOf(callback);
      if (i >= 0) this.plateauCallbacks.splice(i, 1);
    };
  }

  /** @internal Delivers a fired signal to the registered callbacks. */
  notifySignal(e: SignalNotice): void {
    for (const cb of [...this.plateauCallbacks]) {
      try {
        cb(e);
      } catch (err) {
        diag.error('grpo-otel: a signal callback threw', err);
      }
    }
  }

  /** @internal Whether a signal (kind + subject) was active after the previous update. */
  signalState(key: string, active?: boolean): boolean {
    const was = this.signalStates.get(key) ?? false;
    if (active !== undefined) this.signalStates.set(key, active);
    return was;
  }

  /** Tokens reported through logStepTiming so far. */
  get tokensUsed(): number {
    return this.tokensLogged;
  }

  /** @internal Adds to the token total used by the computation-to-performance ratios. */
  addTokens(n: number): void {
    if (Number.isFinite(n) && n > 0) this.tokensLogged += n;
  }

  /**
   * Reports TensorFlow.js (or any tensor library's) memory: `read` is called at each metric collection
   * and by `logMemoryUsage` (e.g. `() => tf.memory()`, whose `numBytes`/`numTensors` are used).
   */
  registerTensorMemory(read: () => { numBytes: number; numTensors: number }): void {
    this.tensorMemory = read;
  }

  /** @internal The registered tensor memory reader's current values, if any. */
  readTensorMemory(): { numBytes: number; numTensors: number } | undefined {
    if (!this.tensorMemory) return undefined;
    try {
      const m = this.tensorMemory();
      this.notePeakMemory('tensor', m.numBytes);
      return m;
    } catch (err) {
      diag.warn('grpo-otel: the registered tensor memory reader threw', err);
      return undefined;
    }
  }

  /** Notes a training-batch answer accuracy (for the generalization gap). */
  noteTrainingAccuracy(value: number): void {
    if (Number.isFinite(value)) this.trainingAccuracy.push(value);
  }

  /** Mean of the recent training accuracies (NaN when none). */
  get recentTrainingAccuracy(): number {
    return this.trainingAccuracy.mean;
  }

  /** Records a running total reported as its current value (e.g. TRL's `num_tokens`) as counter increments. */
  recordCumulative(
    def: MetricDefinition,
    total: number,
    attributes: Record<string, string | number | boolean>,
  ): void {
    const key = `${def.name}|${JSON.stringify(attributes)}`;
    const last = this.cumulative.get(key) ?? 0;
    if (!Number.isFinite(total) || total < last) {
      this.drops.record('metrics', 'invalid_value', def.name);
      return;
    }
    this.cumulative.set(key, total);
    this.instruments.record(def, total - last, attributes);
  }

  /** Updates and returns the peak memory seen for a pool. */
  notePeakMemory(pool: string, bytes: number): number {
    const peak = Math.max(this.peaks.get(pool) ?? 0, bytes);
    this.peaks.set(pool, peak);
    return peak;
  }

  private observable(def: MetricDefinition) {
    const options = { description: def.description, unit: def.unit };
    switch (def.instrument) {
      case 'observable_counter':
        return this.meter.createObservableCounter(def.name, options);
      case 'observable_updowncounter':
        return this.meter.createObservableUpDownCounter(def.name, options);
      default:
        return this.meter.createObservableGauge(def.name, options);
    }
  }

  private registerSelfMetrics(): void {
    this.meter
      .createObservableCounter(METRICS.sdkRecordDropped.name, {
        description: METRICS.sdkRecordDropped.description,
        unit: METRICS.sdkRecordDropped.unit,
      })
      .addCallback((result) => {
        for (const e of this.drops.snapshot()) {
          result.observe(e.count, {
            [ATTR_GRPO_SDK_SIGNAL]: e.signal,
            [ATTR_GRPO_SDK_DROP_REASON]: e.reason,
            [ATTR_GRPO_SDK_EXPORTER]: e.where,
          });
        }
        // Each signal also has a series without a reason that stays 0, so "records dropped" reads 0
        // (not "no data") for a healthy run, and sums over the reasons are unchanged.
        for (const signal of DROP_SIGNALS) result.observe(0, { [ATTR_GRPO_SDK_SIGNAL]: signal });
      });
  }

  private registerExportErrorMetric(): void {
    this.meter
      .createObservableCounter(METRICS.sdkExportErrors.name, {
        description: METRICS.sdkExportErrors.description,
        unit: METRICS.sdkExportErrors.unit,
      })
      .addCallback((result) => {
        for (const e of this.exportErrors.snapshot()) {
          result.observe(e.count, {
            [ATTR_GRPO_SDK_SIGNAL]: e.signal,
            [ATTR_GRPO_SDK_EXPORTER]: e.exporter,
            [ATTR_ERROR_TYPE]: e.errorType,
          });
        }
      });
  }

  private registerSanitizedMetric(): void {
    this.meter
      .createObservableCounter(METRICS.sdkValueSanitized.name, {
        description: METRICS.sdkValueSanitized.description,
        unit: METRICS.sdkValueSanitized.unit,
      })
      .addCallback((result) => {
        // Every reason from the start (0 until it happens): bounded, and rate()/increase() then see
        // the first sanitization as an increase.
        for (const reason of SDK_SANITIZE_REASONS) {
          const n = this.sanitized.get(reason) ?? 0;
          result.observe(n, { [ATTR_GRPO_SDK_SIGNAL]: 'logs', [ATTR_GRPO_SDK_SANITIZE_REASON]: reason });
        }
        result.observe(this.formulaEscapedCells, {
          [ATTR_GRPO_SDK_SIGNAL]: 'logs',
          [ATTR_GRPO_SDK_SANITIZE_REASON]: 'formula_escaped',
        });
      });
  }

  private registerResourceMetrics(): void {
    if (!this.config.metrics.enable.resourceMetrics) return;
    this.observable(METRICS.processMemoryUsage).addCallback((r) => {
      const rss = process.memoryUsage.rss();
      this.notePeakMemory('rss', rss);
      this.rssSamples.push(rss);
      r.observe(rss);
    });
    this.observable(METRICS.v8jsMemoryHeapUsed).addCallback((r) => {
      let total = 0;
      for (const space of getHeapSpaceStatistics()) {
        total += space.space_used_size;
        r.observe(space.space_used_size, { [ATTR_V8JS_HEAP_SPACE_NAME]: space.space_name });
      }
      this.notePeakMemory('v8_heap', total);
    });
    this.observable(METRICS.tfjsMemoryUsage).addCallback((r) => {
      const m = this.readTensorMemory();
      if (m) r.observe(m.numBytes);
    });
    this.observable(METRICS.tfjsTensorCount).addCallback((r) => {
      const m = this.readTensorMemory();
      if (m) r.observe(m.numTensors);
    });
    this.observable(METRICS.memoryPeakUsage).addCallback((r) => {
      for (const [pool, bytes] of this.peaks) r.observe(bytes, { [ATTR_GRPO_MEMORY_POOL]: pool });
    });
  }
}
