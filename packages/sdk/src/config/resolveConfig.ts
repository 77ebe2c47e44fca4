import { diag } from '@opentelemetry/api';
import type { Env } from './envSubstitution.js';
import { HANDLER_CLASS_ALIASES } from './handlerTypes.js';
import { LEVEL_ALIASES, type LevelName } from './levels.js';
import { envValue, parseOtlpHeaders, parseResourceAttributes } from './otlpEnv.js';
import { otlpTls } from './otlpTls.js';
import type { RawChannel, RawConfig } from './RawConfig.js';
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
import { DEFAULT_RANKS, placeHandlersOnRank } from './rankPlacement.js';
import { ConfigPathError, resolvePath } from './resolvePath.js';

export const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';
const DEFAULT_FLUSH_INTERVAL_MS = 1000;
const DEFAULT_MAX_QUEUE_SIZE = 8192;

type Obj = Record<string, unknown>;

function level(v: unknown, fallback: LevelName): LevelName {
  return typeof v === 'string' ? (LEVEL_ALIASES[v.toUpperCase()] ?? fallback) : fallback;
}
const num = (v: unknown, d: number): number => (typeof v === 'number' ? v : d);
const bool = (v: unknown, d: boolean): boolean => (typeof v === 'boolean' ? v : d);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function channel(name: string, raw: RawChannel | undefined, defaultLevel: LevelName): ChannelConfig {
  const c: ChannelConfig = {
    name,
    level: level(raw?.level, defaultLevel),
    handlers: [...(raw?.handlers ?? [])],
    propagate: raw?.propagate ?? true,
  };
  const rl = raw?.rate_limit;
  if (typeof rl === 'number') c.rateLimit = { recordsPerSecond: rl, burst: Math.max(1, Math.ceil(rl)) };
  else if (rl)
    c.rateLimit = {
      recordsPerSecond: rl.records_per_second,
      burst: rl.burst ?? Math.max(1, Math.ceil(rl.records_per_second)),
    };
  if (raw?.sample !== undefined && raw.sample < 1) c.sample = raw.sample;
  return c;
}

/** `otlp.queue` (or an `otlp` handler's `queue`) over the section's, over the defaults. */
function otlpQueue(raw: Obj, base?: OtlpQueueConfig, maxQueueSize?: unknown): OtlpQueueConfig {
  const q = (raw.queue ?? {}) as Obj;
  const retry = (q.retry ?? {}) as Obj;
  const initialIntervalMs =
    typeof retry.initial_interval === 'number'
      ? retry.initial_interval * 1000
      : (base?.retry.initialIntervalMs ?? 1000);
  return {
    maxRecords: num(q.max_records, num(maxQueueSize, base?.maxRecords ?? 32_768)),
    maxBytes: num(q.max_bytes, base?.maxBytes ?? 32 * 1024 * 1024),
    overflow: (str(q.overflow) as OtlpQueueConfig['overflow'] | undefined) ?? base?.overflow ?? 'drop_oldest',
    maxExportBatchSize: num(q.max_export_batch_size, base?.maxExportBatchSize ?? 512),
    retry: {
      initialIntervalMs,
      maxIntervalMs: Math.max(
        initialIntervalMs,
        typeof retry.max_interval === 'number'
          ? retry.max_interval * 1000
          : (base?.retry.maxIntervalMs ?? 30_000),
      ),
    },
  };
}

/** OTLP settings from the file's `otlp` section over the standard OTEL_EXPORTER_OTLP_* variables. */
function otlpSettings(
  raw: Obj,
  env: Env,
  where: { baseDir: string; keyPath: string[] },
  base?: OtlpSettings,
): OtlpSettings {
  const envTimeout = Number(envValue(env, 'OTEL_EXPORTER_OTLP_TIMEOUT'));
  const envCompression = envValue(env, 'OTEL_EXPORTER_OTLP_COMPRESSION');
  const envProtocol = envValue(env, 'OTEL_EXPORTER_OTLP_PROTOCOL');
  const out: OtlpSettings = {
    endpoint:
      str(raw.endpoint) ??
      base?.endpoint ??
      envValue(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') ??
      DEFAULT_OTLP_ENDPOINT,
    protocol:
      (str(raw.protocol) as OtlpSettings['protocol'] | undefined) ??
      base?.protocol ??
      (envProtocol === 'http/json' ? 'http/json' : 'http/protobuf'),
    headers: {
      ...(base?.headers ?? parseOtlpHeaders(envValue(env, 'OTEL_EXPORTER_OTLP_HEADERS'))),
      ...((raw.headers as Record<string, string> | undefined) ?? {}),
    },
    timeoutMs:
      typeof raw.timeout === 'number'
        ? raw.timeout * 1000
        : (base?.timeoutMs ?? (Number.isFinite(envTimeout) && envTimeout > 0 ? envTimeout : 10_000)),
    compression:
      (str(raw.compression) as OtlpSettings['compression'] | undefined) ??
      base?.compression ??
      (envCompression === 'gzip' ? 'gzip' : 'none'),
    ...otlpTls(raw, env, where.baseDir, where.keyPath, base),
    // An `otlp` handler's max_queue_size bounds its queue unless queue.max_records says otherwise.
    queue: otlpQueue(raw, base?.queue, base ? raw.max_queue_size : undefined),
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
 * OTel SDKs do, with a warning), else 5 s.
 */
function metricExportIntervalMs(fromFile: unknown, env: Env): number {
  if (typeof fromFile === 'number') return fromFile * 1000;
  const raw = envValue(env, 'OTEL_METRIC_EXPORT_INTERVAL');
  if (raw === undefined) return 5000;
  const ms = Number(raw);
  if (Number.isFinite(ms) && ms > 0) return ms;
  diag.warn(
    `grpo-otel: OTEL_METRIC_EXPORT_INTERVAL=${JSON.stringify(raw)} is not a positive number of milliseconds; using 5000`,
  );
  return 5000;
}

/** Turns the validated file into the runtime's view: defaults applied, paths absolute, env folded in. */
/**
 * Default collapse floors. Measured on the demo (`pnpm demo`, 600 steps, seed 1): a learning run's token
 * entropy never went below 0.128 nats and its distinct-2 below 0.339; a run driven to collapse
 * (learning rate 0.05, no KL) had distinct-2 0.06-0.16 from its first analyses and entropy down to 0.001.
 */
const DEFAULT_ENTROPY_FLOOR = 0.05;
const DEFAULT_DIVERSITY_FLOOR = 0.2;

export function resolveConfig(
  cfg: RawConfig,
  ctx: { source: string; baseDir: string; env: Env },
): ResolvedConfig {
  const { baseDir, env } = ctx;
  // Python's root logger defaults to WARNING with no handlers.
  const root = channel('root', cfg.root, 'WARNING');
  const channels = new Map<string, ChannelConfig>();
  for (const [name, raw] of Object.entries(cfg.loggers ?? {}))
    channels.set(name, channel(name, raw, 'NOTSET'));

  const rawOtlp = (cfg.otlp ?? {}) as Obj;
  const settings = otlpSettings(rawOtlp, env, { baseDir, keyPath: ['otlp'] });

  const handlers = new Map<string, HandlerConfig>();
  for (const [name, raw] of Object.entries(cfg.handlers ?? {})) {
    const type = HANDLER_CLASS_ALIASES[raw.class]!;
    const base = {
      name,
      className: raw.class,
      level: level(raw.level, 'NOTSET'),
      ...(typeof raw.formatter === 'string' ? { formatter: raw.formatter } : {}),
      flushIntervalMs: num(raw.flush_interval, DEFAULT_FLUSH_INTERVAL_MS / 1000) * 1000,
      maxQueueSize: num(raw.max_queue_size, DEFAULT_MAX_QUEUE_SIZE),
    };
    switch (type) {
      case 'console': {
        const stream = str(raw.stream) ?? 'stderr';
        handlers.set(name, {
          ...base,
          type,
          stream: stream.endsWith('stdout') ? 'stdout' : 'stderr',
          color: (str(raw.color) as 'auto' | 'always' | 'never' | undefined) ?? 'auto',
        });
        break;
      }
      case 'file':
        handlers.set(name, {
          ...base,
          type,
          filename: resolvePath(baseDir, String(raw.filename), ['handlers', name, 'filename']),
          mode: raw.mode === 'w' ? 'w' : 'a',
          maxBytes: num(raw.maxBytes, 0),
          backupCount: num(raw.backupCount, 0),
          asyncWrites: raw.async_writes === true,
          ranks: raw.ranks === 'zero' || raw.ranks === 'all' ? raw.ranks : DEFAULT_RANKS.file,
          onThisRank: true,
        });
        break;
      case 'csv':
        handlers.set(name, {
          ...base,
          type,
          filename: resolvePath(baseDir, String(raw.filename), ['handlers', name, 'filename']),
          columns: (raw.columns as string[] | undefined) ?? ['timestamp', 'level', 'name', 'message'],
          bufferSize: num(raw.buffer_size, 100),
          maxBytes: num(raw.maxBytes, 0),
          backupCount: num(raw.backupCount, 0),
          asyncWrites: raw.async_writes === true,
          ranks: raw.ranks === 'zero' || raw.ranks === 'all' ? raw.ranks : DEFAULT_RANKS.csv,
          onThisRank: true,
        });
        break;
      case 'tensorboard':
        handlers.set(name, {
          ...base,
          type,
          logDir: resolvePath(baseDir, String(raw.log_dir), ['handlers', name, 'log_dir']),
          maxFileBytes: num(raw.max_file_bytes, 256 * 1024 * 1024),
          asyncWrites: raw.async_writes === true,
          ranks: raw.ranks === 'zero' || raw.ranks === 'all' ? raw.ranks : DEFAULT_RANKS.tensorboard,
          onThisRank: true,
        });
        break;
      case 'otlp':
        handlers.set(name, {
          ...base,
          type,
          ...otlpSettings(raw, env, { baseDir, keyPath: ['handlers', name] }, settings),
        });
        break;
      case 'traces':
        handlers.set(name, {
          ...base,
          type,
          filename: resolvePath(baseDir, String(raw.filename), ['handlers', name, 'filename']),
          maxBytes: num(raw.maxBytes, 0),
          backupCount: num(raw.backupCount, 0),
          asyncWrites: raw.async_writes === true,
          ranks: raw.ranks === 'zero' || raw.ranks === 'all' ? raw.ranks : DEFAULT_RANKS.traces,
          onThisRank: true,
        });
        break;
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
      style: (str(raw.style) as '%' | '{' | '$' | undefined) ?? '%',
      utc: bool(raw.utc, false),
    };
    if (!json && typeof raw.format === 'string') f.format = raw.format;
    if (typeof raw.datefmt === 'string') f.datefmt = raw.datefmt;
    if (Array.isArray(raw.fields)) f.fields = raw.fields as string[];
    formatters.set(name, f);
  }

  const m = (cfg.metrics ?? {}) as Obj;
  const en = (m.enable ?? {}) as Obj;
  const val = (m.validation ?? {}) as Obj;
  const plateau = (m.plateau ?? {}) as Obj;
  const collapse = (m.collapse ?? {}) as Obj;
  const datasetPath = str(val.dataset_path);
  const metrics: MetricsConfig = {
    loggingFrequency: num(m.logging_frequency, 50),
    fullMetricsFrequency: num(m.full_metrics_frequency, 250),
    validationFrequency: num(m.validation_frequency, 250),
    samplingRatio: num(m.sampling_ratio, 0.1),
    historyWindow: num(m.history_window, 100),
    plateau: {
      window: num(plateau.window, 50),
      minDelta: num(plateau.min_delta, 0.01),
      patience: num(plateau.patience, 1),
      objective: str(plateau.objective) ?? 'total',
    },
    collapse: {
      window: num(collapse.window, 50),
      // On by default, with floors taken from measured demo runs (docs/configuration.md): a learning
      // run stays far above them, a collapsing one falls below within its first analyses. 0 turns one off.
      entropyThreshold: num(collapse.entropy_threshold, DEFAULT_ENTROPY_FLOOR),
      diversityThreshold: num(collapse.diversity_threshold, DEFAULT_DIVERSITY_FLOOR),
      ...(typeof collapse.max_drop === 'number' ? { maxDrop: collapse.max_drop } : {}),
    },
    maxPendingAnalyses: num(m.max_pending_analyses, 64),
    observeIntervalMs: num(m.observe_interval, 1) * 1000,
    enable: {
      rewardMetrics: bool(en.reward_metrics, true),
      generationMetrics: bool(en.generation_metrics, true),
      validationMetrics: bool(en.validation_metrics, true),
      resourceMetrics: bool(en.resource_metrics, true),
    },
    validation: {
      ...(datasetPath
        ? { datasetPath: resolvePath(baseDir, datasetPath, ['metrics', 'validation', 'dataset_path']) }
        : {}),
      maxSamples: num(val.max_samples, 100),
      timeoutPerSampleMs: num(val.timeout_per_sample, 5) * 1000,
    },
  };

  const r = (cfg.resource ?? {}) as Obj;
  const envRank = Number(envValue(env, 'RANK'));
  const envWorld = Number(envValue(env, 'WORLD_SIZE'));
  const resource: ResourceConfig = {
    attributes: {
      ...parseResourceAttributes(envValue(env, 'OTEL_RESOURCE_ATTRIBUTES')),
      ...((r.attributes as Record<string, string | number | boolean> | undefined) ?? {}),
    },
  };
  const serviceName = str(r.service_name) ?? envValue(env, 'OTEL_SERVICE_NAME');
  if (serviceName) resource.serviceName = serviceName;
  // Every rank of a distributed run must share the run id: torchrun exports its rendezvous id
  // (TORCHELASTIC_RUN_ID; `none` when no --rdzv-id was given) to every worker.
  const torchRunId = envValue(env, 'TORCHELASTIC_RUN_ID');
  const runId =
    str(r.run_id) ?? envValue(env, 'GRPO_RUN_ID') ?? (torchRunId !== 'none' ? torchRunId : undefined);
  if (runId) resource.runId = runId;
  if (typeof r.experiment === 'string') resource.experiment = r.experiment;
  if (typeof r.model === 'string') resource.model = r.model;
  if (typeof r.rank === 'number') resource.rank = r.rank;
  else if (Number.isInteger(envRank) && envRank >= 0) resource.rank = envRank;
  if (typeof r.world_size === 'number') resource.worldSize = r.world_size;
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
    firstOtlpHandler && typeof rawOtlp.endpoint !== 'string' && !envValue(env, 'OTEL_EXPORTER_OTLP_ENDPOINT')
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
  const enabled = bool(rawOtlp.enabled, envEnabled || typeof rawOtlp.endpoint === 'string' || hasOtlpHandler);
  const exporterOff = (name: string) => envValue(env, name)?.toLowerCase() === 'none';
  const otlp: OtlpConfig = {
    ...signalSettings,
    enabled,
    metrics: enabled && bool(rawOtlp.metrics, true) && !exporterOff('OTEL_METRICS_EXPORTER'),
    traces: enabled && bool(rawOtlp.traces, true) && !exporterOff('OTEL_TRACES_EXPORTER'),
    logs: enabled && bool(rawOtlp.logs, !hasOtlpHandler) && !exporterOff('OTEL_LOGS_EXPORTER'),
    exportIntervalMs: metricExportIntervalMs(rawOtlp.export_interval, env),
    signalEndpoints,
  };

  const l = (cfg.limits ?? {}) as Obj;
  const limits = {
    maxStringLength: num(l.max_string_length, 65536),
    redact: ((l.redact as string[] | undefined) ?? []).map((p) => new RegExp(p, 'g')),
  };
  const f = (cfg.files ?? {}) as Obj;
  const files = { mode: permissionBits(f.mode, 0o640), dirMode: permissionBits(f.dir_mode, 0o750) };
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
  };
}

/** "0640" / "640" (octal digits) or a number (a YAML 0o640). */
function permissionBits(value: unknown, dflt: number): number {
  if (typeof value === 'string') return Number.parseInt(value, 8);
  return typeof value === 'number' ? value : dflt;
}
