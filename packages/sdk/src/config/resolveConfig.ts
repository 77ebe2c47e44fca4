import { diag } from '@opentelemetry/api';
import { CONFIG_SCHEMA } from './configSchema.js';
import type { Env } from './envSubstitution.js';
import { HANDLER_CLASS_ALIASES, type HandlerType } from './handlerTypes.js';
import { LEVEL_ALIASES, type LevelName } from './levels.js';
import { envValue, parseOtlpHeaders, parseResourceAttributes } from './otlpEnv.js';
import { otlpTls } from './otlpTls.js';
import type { RawChannel, RawConfig, RawHandlers, Written } from './RawConfig.js';
import type {
  ChannelConfig,
  FormatterConfig,
  HandlerConfig,
  MetricsConfig,
  OtlpConfig,
  OtlpQueueConfig,
  OtlpSettings,
  ResolvedConfig,
  ResourceConfig,
} from './ResolvedConfig.js';
import { placeHandlersOnRank } from './rankPlacement.js';
import { ConfigPathError, resolvePath } from './resolvePath.js';
import { type Defaulted, withDefaults } from './withDefaults.js';

// Every default below is read from the schema (CONFIG_SCHEMA's `default` keywords), never written here.
const SECTIONS = CONFIG_SCHEMA.properties;
const DEFS = CONFIG_SCHEMA.$defs;
const OTLP = SECTIONS.otlp.properties;
const QUEUE = OTLP.queue.properties;
const RETRY = QUEUE.retry.properties;
const FORMATTER = DEFS.formatter.properties;

/** A level name the schema accepted (any case of Python's names and aliases), as its canonical name. */
const parseLevel = (name: string): LevelName => LEVEL_ALIASES[name.toUpperCase()]!;

function channel(name: string, c: Defaulted<typeof DEFS.channel, RawChannel>): ChannelConfig {
  const out: ChannelConfig = {
    name,
    level: parseLevel(c.level),
    handlers: [...c.handlers],
    propagate: c.propagate,
  };
  const rl = c.rate_limit;
  if (typeof rl === 'number') out.rateLimit = { recordsPerSecond: rl, burst: Math.max(1, Math.ceil(rl)) };
  else if (rl)
    out.rateLimit = {
      recordsPerSecond: rl.records_per_second,
      burst: rl.burst ?? Math.max(1, Math.ceil(rl.records_per_second)),
    };
  if (c.sample < 1) out.sample = c.sample;
  return out;
}

/** A handler as written in the file, before its kind is known. */
type WrittenHandler = NonNullable<RawConfig['handlers']>[string];

/** The handler as its kind's part of the schema describes it (the schema's `class` branch validated it). */
const ofKind = <T extends HandlerType>(h: WrittenHandler, _type: T): RawHandlers[T] =>
  h as unknown as RawHandlers[T];

/** The keys every handler has (`$defs.nullHandler` has no others), defaults applied. */
function handlerBase(
  name: string,
  className: string,
  h: Defaulted<typeof DEFS.nullHandler, RawHandlers['null']>,
) {
  return {
    name,
    className,
    level: parseLevel(h.level),
    ...(h.formatter !== undefined ? { formatter: h.formatter } : {}),
    flushIntervalMs: h.flush_interval * 1000,
    maxQueueSize: h.max_queue_size,
  };
}

/** The OTLP keys the `otlp` section and an `otlp` handler share. */
type WrittenOtlp = Pick<
  Written<typeof SECTIONS.otlp>,
  'endpoint' | 'protocol' | 'headers' | 'timeout' | 'compression' | 'tls' | 'queue'
>;

/**
 * `otlp.queue` (or an `otlp` handler's `queue`) over `base` (the section's, for a handler), over the
 * schema's defaults. An `otlp` handler's max_queue_size, when written, bounds its queue unless
 * queue.max_records says otherwise.
 */
function otlpQueue(q: WrittenOtlp['queue'], base?: OtlpQueueConfig, maxQueueSize?: number): OtlpQueueConfig {
  const retry = q?.retry;
  const initialIntervalMs =
    retry?.initial_interval !== undefined
      ? retry.initial_interval * 1000
      : (base?.retry.initialIntervalMs ?? RETRY.initial_interval.default * 1000);
  const maxIntervalMs =
    retry?.max_interval !== undefined
      ? retry.max_interval * 1000
      : (base?.retry.maxIntervalMs ?? RETRY.max_interval.default * 1000);
  return {
    maxRecords: q?.max_records ?? maxQueueSize ?? base?.maxRecords ?? QUEUE.max_records.default,
    maxBytes: q?.max_bytes ?? base?.maxBytes ?? QUEUE.max_bytes.default,
    overflow: q?.overflow ?? base?.overflow ?? QUEUE.overflow.default,
    maxExportBatchSize:
      q?.max_export_batch_size ?? base?.maxExportBatchSize ?? QUEUE.max_export_batch_size.default,
    retry: { initialIntervalMs, maxIntervalMs: Math.max(initialIntervalMs, maxIntervalMs) },
  };
}

/**
 * OTLP settings: the keys written (the `otlp` section's, or an `otlp` handler's), else `base` (for a
 * handler: the section's settings), else the standard OTEL_EXPORTER_OTLP_* variables, else the schema's
 * defaults.
 */
function otlpSettings(
  raw: WrittenOtlp,
  env: Env,
  where: { baseDir: string; keyPath: string[] },
  base?: OtlpSettings,
  maxQueueSize?: number,
): OtlpSettings {
  const envTimeout = Number(envValue(env, 'OTEL_EXPORTER_OTLP_TIMEOUT'));
  const envCompression = envValue(env, 'OTEL_EXPORTER_OTLP_COMPRESSION');
  const envProtocol = envValue(env, 'OTEL_EXPORTER_OTLP_PROTOCOL');
  const out: OtlpSettings = {
    endpoint:
      raw.endpoint ?? base?.endpoint ?? envValue(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') ?? OTLP.endpoint.default,
    protocol:
      raw.protocol ?? base?.protocol ?? (envProtocol === 'http/json' ? 'http/json' : OTLP.protocol.default),
    headers: {
      ...(base?.headers ?? parseOtlpHeaders(envValue(env, 'OTEL_EXPORTER_OTLP_HEADERS'))),
      ...raw.headers,
    },
    timeoutMs:
      raw.timeout !== undefined
        ? raw.timeout * 1000
        : (base?.timeoutMs ??
          (Number.isFinite(envTimeout) && envTimeout > 0 ? envTimeout : OTLP.timeout.default * 1000)),
    compression:
      raw.compression ?? base?.compression ?? (envCompression === 'gzip' ? 'gzip' : OTLP.compression.default),
    ...otlpTls(raw, env, where.baseDir, where.keyPath, base),
    queue: otlpQueue(raw.queue, base?.queue, maxQueueSize),
  };
  if (raw.tls !== undefined && /^http:/i.test(out.endpoint))
    throw new ConfigPathError(
      [...where.keyPath, 'tls'],
      `TLS is configured but the endpoint ${out.endpoint} is plain http://; use https:// (or remove tls)`,
    );
  return out;
}

/**
 * Milliseconds between metric exports: the file's `otlp.export_interval` (seconds), else OTel's
 * OTEL_METRIC_EXPORT_INTERVAL (milliseconds; a value that is not a positive number is ignored, as the
 * OTel SDKs do, with a warning), else the schema's default.
 */
function metricExportIntervalMs(fromFile: number | undefined, env: Env): number {
  if (fromFile !== undefined) return fromFile * 1000;
  const fallback = OTLP.export_interval.default * 1000;
  const raw = envValue(env, 'OTEL_METRIC_EXPORT_INTERVAL');
  if (raw === undefined) return fallback;
  const ms = Number(raw);
  if (Number.isFinite(ms) && ms > 0) return ms;
  diag.warn(
    `grpo-otel: OTEL_METRIC_EXPORT_INTERVAL=${JSON.stringify(raw)} is not a positive number of milliseconds; using ${fallback}`,
  );
  return fallback;
}

/** Turns the validated file into the runtime's view: defaults applied, paths absolute, env folded in. */
export function resolveConfig(
  cfg: RawConfig,
  ctx: { source: string; baseDir: string; env: Env },
): ResolvedConfig {
  const { baseDir, env } = ctx;
  const root = channel('root', withDefaults(SECTIONS.root, cfg.root));
  const channels = new Map<string, ChannelConfig>();
  for (const [name, raw] of Object.entries(cfg.loggers ?? {}))
    channels.set(name, channel(name, withDefaults(DEFS.channel, raw)));

  const rawOtlp = cfg.otlp ?? {};
  const settings = otlpSettings(rawOtlp, env, { baseDir, keyPath: ['otlp'] });

  const handlers = new Map<string, HandlerConfig>();
  for (const [name, written] of Object.entries(cfg.handlers ?? {})) {
    const type = HANDLER_CLASS_ALIASES[written.class]!;
    const base = handlerBase(name, written.class, withDefaults(DEFS.nullHandler, ofKind(written, 'null')));
    const path = (key: string, value: string) => resolvePath(baseDir, value, ['handlers', name, key]);
    switch (type) {
      case 'console': {
        const h = withDefaults(DEFS.consoleHandler, ofKind(written, type));
        handlers.set(name, {
          ...base,
          type,
          stream: h.stream.endsWith('stdout') ? 'stdout' : 'stderr',
          color: h.color,
        });
        break;
      }
      case 'file': {
        const h = withDefaults(DEFS.fileHandler, ofKind(written, type));
        handlers.set(name, {
          ...base,
          type,
          filename: path('filename', h.filename),
          mode: h.mode,
          maxBytes: h.maxBytes,
          backupCount: h.backupCount,
          asyncWrites: h.async_writes,
          ranks: h.ranks,
          onThisRank: true,
        });
        break;
      }
      case 'csv': {
        const h = withDefaults(DEFS.csvHandler, ofKind(written, type));
        handlers.set(name, {
          ...base,
          type,
          filename: path('filename', h.filename),
          columns: h.columns,
          bufferSize: h.buffer_size,
          maxBytes: h.maxBytes,
          backupCount: h.backupCount,
          asyncWrites: h.async_writes,
          ranks: h.ranks,
          onThisRank: true,
        });
        break;
      }
      case 'tensorboard': {
        const h = withDefaults(DEFS.tensorboardHandler, ofKind(written, type));
        handlers.set(name, {
          ...base,
          type,
          logDir: path('log_dir', h.log_dir),
          maxFileBytes: h.max_file_bytes,
          asyncWrites: h.async_writes,
          ranks: h.ranks,
          onThisRank: true,
        });
        break;
      }
      case 'otlp': {
        // Its OTLP keys default to the `otlp` section's settings, not to the schema's defaults.
        const h = ofKind(written, type);
        const where = { baseDir, keyPath: ['handlers', name] };
        handlers.set(name, { ...base, type, ...otlpSettings(h, env, where, settings, h.max_queue_size) });
        break;
      }
      case 'traces': {
        const h = withDefaults(DEFS.tracesHandler, ofKind(written, type));
        handlers.set(name, {
          ...base,
          type,
          filename: path('filename', h.filename),
          maxBytes: h.maxBytes,
          backupCount: h.backupCount,
          asyncWrites: h.async_writes,
          ranks: h.ranks,
          onThisRank: true,
        });
        break;
      }
      case 'null':
        handlers.set(name, { ...base, type });
        break;
    }
  }

  const formatters = new Map<string, FormatterConfig>();
  for (const [name, raw] of Object.entries(cfg.formatters ?? {})) {
    const json = raw.format === 'json' || raw.class === 'json';
    const f: FormatterConfig = {
      name,
      kind: json ? 'json' : 'python',
      style: raw.style ?? FORMATTER.style.default,
      utc: raw.utc ?? FORMATTER.utc.default,
    };
    // `format` is left to PythonFormatter when absent: its default depends on `style`.
    if (!json && raw.format !== undefined) f.format = raw.format;
    if (raw.datefmt !== undefined) f.datefmt = raw.datefmt;
    if (raw.fields !== undefined) f.fields = raw.fields;
    formatters.set(name, f);
  }

  const M = SECTIONS.metrics.properties;
  const m = withDefaults(SECTIONS.metrics, cfg.metrics);
  const plateau = withDefaults(M.plateau, m.plateau);
  const collapse = withDefaults(M.collapse, m.collapse);
  const en = withDefaults(M.enable, m.enable);
  const val = withDefaults(M.validation, m.validation);
  const metrics: MetricsConfig = {
    loggingFrequency: m.logging_frequency,
    fullMetricsFrequency: m.full_metrics_frequency,
    validationFrequency: m.validation_frequency,
    samplingRatio: m.sampling_ratio,
    historyWindow: m.history_window,
    plateau: {
      window: plateau.window,
      minDelta: plateau.min_delta,
      patience: plateau.patience,
      objective: plateau.objective,
    },
    collapse: {
      window: collapse.window,
      entropyThreshold: collapse.entropy_threshold,
      diversityThreshold: collapse.diversity_threshold,
      ...(collapse.max_drop !== undefined ? { maxDrop: collapse.max_drop } : {}),
    },
    maxPendingAnalyses: m.max_pending_analyses,
    observeIntervalMs: m.observe_interval * 1000,
    enable: {
      rewardMetrics: en.reward_metrics,
      generationMetrics: en.generation_metrics,
      validationMetrics: en.validation_metrics,
      resourceMetrics: en.resource_metrics,
    },
    validation: {
      ...(val.dataset_path
        ? { datasetPath: resolvePath(baseDir, val.dataset_path, ['metrics', 'validation', 'dataset_path']) }
        : {}),
      maxSamples: val.max_samples,
      timeoutPerSampleMs: val.timeout_per_sample * 1000,
    },
  };

  const r = cfg.resource ?? {};
  const envRank = Number(envValue(env, 'RANK'));
  const envWorld = Number(envValue(env, 'WORLD_SIZE'));
  const resource: ResourceConfig = {
    attributes: {
      ...parseResourceAttributes(envValue(env, 'OTEL_RESOURCE_ATTRIBUTES')),
      ...r.attributes,
    },
  };
  const serviceName = r.service_name ?? envValue(env, 'OTEL_SERVICE_NAME');
  if (serviceName) resource.serviceName = serviceName;
  // Every rank of a distributed run must share the run id: torchrun exports its rendezvous id
  // (TORCHELASTIC_RUN_ID; `none` when no --rdzv-id was given) to every worker.
  const torchRunId = envValue(env, 'TORCHELASTIC_RUN_ID');
  const runId = r.run_id ?? envValue(env, 'GRPO_RUN_ID') ?? (torchRunId !== 'none' ? torchRunId : undefined);
  if (runId) resource.runId = runId;
  if (r.experiment !== undefined) resource.experiment = r.experiment;
  if (r.model !== undefined) resource.model = r.model;
  if (r.rank !== undefined) resource.rank = r.rank;
  else if (Number.isInteger(envRank) && envRank >= 0) resource.rank = envRank;
  if (r.world_size !== undefined) resource.worldSize = r.world_size;
  else if (Number.isInteger(envWorld) && envWorld > 0) resource.worldSize = envWorld;
  placeHandlersOnRank(handlers, resource);

  const signalEndpoints: OtlpConfig['signalEndpoints'] = {};
  const le = envValue(env, 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT');
  const me = envValue(env, 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT');
  const te = envValue(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  if (le) signalEndpoints.logs = le;
  if (me) signalEndpoints.metrics = me;
  if (te) signalEndpoints.traces = te;
  const envEnabled = Boolean(envValue(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') || le || me || te);
  const firstOtlpHandler = [...handlers.values()].find((h) => h.type === 'otlp');
  const hasOtlpHandler = firstOtlpHandler !== undefined;
  // With only an `otlp` handler in the file (no `otlp:` endpoint, no OTEL_EXPORTER_OTLP_ENDPOINT),
  // metrics and traces go where that handler sends logs.
  const signalSettings: OtlpSettings =
    firstOtlpHandler && rawOtlp.endpoint === undefined && !envValue(env, 'OTEL_EXPORTER_OTLP_ENDPOINT')
      ? {
          endpoint: firstOtlpHandler.endpoint,
          protocol: firstOtlpHandler.protocol,
          headers: { ...firstOtlpHandler.headers },
          timeoutMs: firstOtlpHandler.timeoutMs,
          compression: firstOtlpHandler.compression,
          tls: { ...firstOtlpHandler.tls },
          ...(firstOtlpHandler.signalTls ? { signalTls: { ...firstOtlpHandler.signalTls } } : {}),
          queue: settings.queue,
        }
      : settings;
  // Export is on when the file says so, else when anything asks for it (the schema's default is off).
  const enabled =
    rawOtlp.enabled ??
    (envEnabled || rawOtlp.endpoint !== undefined || hasOtlpHandler || OTLP.enabled.default);
  const exporterOff = (name: string) => envValue(env, name)?.toLowerCase() === 'none';
  const otlp: OtlpConfig = {
    ...signalSettings,
    enabled,
    metrics: enabled && (rawOtlp.metrics ?? OTLP.metrics.default) && !exporterOff('OTEL_METRICS_EXPORTER'),
    traces: enabled && (rawOtlp.traces ?? OTLP.traces.default) && !exporterOff('OTEL_TRACES_EXPORTER'),
    // An `otlp` handler says which channels go to OTLP, so then no channel goes by default.
    logs:
      enabled &&
      (rawOtlp.logs ?? (OTLP.logs.default && !hasOtlpHandler)) &&
      !exporterOff('OTEL_LOGS_EXPORTER'),
    exportIntervalMs: metricExportIntervalMs(rawOtlp.export_interval, env),
    signalEndpoints,
  };

  const l = withDefaults(SECTIONS.limits, cfg.limits);
  const limits = {
    maxStringLength: l.max_string_length,
    redact: l.redact.map((p) => new RegExp(p, 'g')),
  };
  const f = withDefaults(SECTIONS.files, cfg.files);
  const files = { mode: permissionBits(f.mode), dirMode: permissionBits(f.dir_mode) };
  const th = withDefaults(SECTIONS.telemetry_thread, cfg.telemetry_thread);
  const telemetryThread = {
    enabled: th.enabled,
    enabledInConfig: cfg.telemetry_thread?.enabled !== undefined,
    ringBytes: th.ring_bytes,
    blockTimeoutMs: th.block_timeout * 1000,
    exitTimeoutMs: th.exit_timeout * 1000,
  };
  return {
    source: ctx.source,
    baseDir,
    root,
    channels,
    handlers,
    formatters,
    metrics,
    resource,
    otlp,
    limits,
    files,
    telemetryThread,
  };
}

/** "0640" / "640" (octal digits) or a number (a YAML 0o640). */
function permissionBits(value: string | number): number {
  return typeof value === 'string' ? Number.parseInt(value, 8) : value;
}
