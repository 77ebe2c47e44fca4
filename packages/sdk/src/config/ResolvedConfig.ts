import type { HandlerType } from './handlerTypes.js';
import type { LevelName } from './levels.js';

/** A channel (the seed's named loggers, plus `root`) after validation and defaults. */
export interface ChannelConfig {
  name: string;
  level: LevelName;
  handlers: string[];
  propagate: boolean;
  /** Records per second and burst of the channel's token bucket, when limited. */
  rateLimit?: { recordsPerSecond: number; burst: number };
  /** Fraction of records kept, when sampled. */
  sample?: number;
}

interface HandlerBase {
  name: string;
  type: HandlerType;
  /** The `class:` as written, e.g. `logging.handlers.RotatingFileHandler`. */
  className: string;
  level: LevelName;
  formatter?: string;
  flushIntervalMs: number;
  maxQueueSize: number;
}

/**
 * Local sinks in a distributed run (`grpo.world_size` > 1): `zero` = rank 0 alone writes it (the run-level
 * view), `all` = every rank writes its own (file and CSV: `name.rank<k>.ext`; TensorBoard: run
 * `<run id>/rank<k>`). Resolved against the resource's rank and world size.
 */
interface RankPlacement {
  ranks: 'zero' | 'all';
  /** False when another rank writes this sink (`ranks: zero` on a rank other than 0). */
  onThisRank: boolean;
}

export interface ConsoleHandlerConfig extends HandlerBase {
  type: 'console';
  stream: 'stdout' | 'stderr';
  color: 'auto' | 'always' | 'never';
}
export interface FileHandlerConfig extends HandlerBase, RankPlacement {
  type: 'file';
  /** Absolute path. */
  filename: string;
  mode: 'a' | 'w';
  maxBytes: number;
  backupCount: number;
  /** `async_writes`: write through libuv's thread pool rather than on the training thread. */
  asyncWrites: boolean;
}
export interface CsvHandlerConfig extends HandlerBase, RankPlacement {
  type: 'csv';
  filename: string;
  columns: string[];
  bufferSize: number;
  maxBytes: number;
  backupCount: number;
  asyncWrites: boolean;
}
export interface TensorBoardHandlerConfig extends HandlerBase, RankPlacement {
  type: 'tensorboard';
  logDir: string;
  /** Sub-run of this rank under the run's directory (`rank<k>`), with `ranks: all` in a distributed run. */
  rankRun?: string;
  maxFileBytes: number;
  asyncWrites: boolean;
}
/** TLS files for an https:// OTLP endpoint (absolute paths of PEM files). */
export interface OtlpTlsSettings {
  /** CA certificate(s) that verify the collector, used instead of the system's roots. */
  caFile?: string;
  /** Client certificate chain, for mutual TLS (with `keyFile`). */
  certFile?: string;
  /** The client certificate's private key. */
  keyFile?: string;
}
/** `otlp.queue`: the bounded, retrying export queue of each OTLP signal (see ExportQueue). */
export interface OtlpQueueConfig {
  /** Records held per signal at most (queued plus the batch being sent). */
  maxRecords: number;
  /** Estimated bytes held per signal at most. */
  maxBytes: number;
  /** Which records give way when the queue is full. */
  overflow: 'drop_oldest' | 'drop_newest';
  /** Log records or spans per export request at most. */
  maxExportBatchSize: number;
  /** Backoff between retries of a failed export: first wait, doubled up to the maximum. */
  retry: { initialIntervalMs: number; maxIntervalMs: number };
}
export interface OtlpSettings {
  /** Base URL (signal paths /v1/logs etc. are appended). */
  endpoint: string;
  protocol: 'http/protobuf' | 'http/json';
  headers: Record<string, string>;
  timeoutMs: number;
  compression: 'gzip' | 'none';
  /** From the file's `tls`, else OTEL_EXPORTER_OTLP_{CERTIFICATE,CLIENT_CERTIFICATE,CLIENT_KEY}. */
  tls: OtlpTlsSettings;
  /**
   * Per-signal OTEL_EXPORTER_OTLP_<SIGNAL>_{CERTIFICATE,CLIENT_CERTIFICATE,CLIENT_KEY}, over `tls` for
   * that signal; absent when the file has a `tls` section (the file wins).
   */
  signalTls?: Partial<Record<'logs' | 'metrics' | 'traces', OtlpTlsSettings>>;
  queue: OtlpQueueConfig;
}
export interface OtlpHandlerConfig extends HandlerBase, OtlpSettings {
  type: 'otlp';
}
/**
 * A local trace sink: every span the SDK records, one OTLP/JSON line per span. Not a log handler: it
 * takes no channel's records and is listed in no channel's `handlers`.
 */
export interface TracesHandlerConfig extends HandlerBase, RankPlacement {
  type: 'traces';
  filename: string;
  maxBytes: number;
  backupCount: number;
  asyncWrites: boolean;
}
export interface NullHandlerConfig extends HandlerBase {
  type: 'null';
}
export type HandlerConfig =
  | ConsoleHandlerConfig
  | FileHandlerConfig
  | CsvHandlerConfig
  | TensorBoardHandlerConfig
  | OtlpHandlerConfig
  | TracesHandlerConfig
  | NullHandlerConfig;

export interface FormatterConfig {
  name: string;
  kind: 'python' | 'json';
  format?: string;
  datefmt?: string;
  style: '%' | '{' | '$';
  fields?: string[];
  utc: boolean;
}

export interface MetricsConfig {
  /** Steps between basic analyses (rewards): `isLoggingStep(step)`. */
  loggingFrequency: number;
  /** Steps between full analyses (generations): `isLoggingStep(step, { full: true })`. */
  fullMetricsFrequency: number;
  validationFrequency: number;
  samplingRatio: number;
  historyWindow: number;
  plateau: { window: number; minDelta: number; patience: number; objective: string };
  collapse: { entropyThreshold: number; diversityThreshold: number; maxDrop?: number; window: number };
  maxPendingAnalyses: number;
  /** Least time between two readings of the observable instruments into the step-keyed exporters. */
  observeIntervalMs: number;
  enable: {
    rewardMetrics: boolean;
    generationMetrics: boolean;
    validationMetrics: boolean;
    resourceMetrics: boolean;
  };
  validation: {
    datasetPath?: string;
    maxSamples: number;
    timeoutPerSampleMs: number;
  };
}

export interface ResourceConfig {
  serviceName?: string;
  runId?: string;
  experiment?: string;
  model?: string;
  rank?: number;
  worldSize?: number;
  attributes: Record<string, string | number | boolean>;
}

export interface OtlpConfig extends OtlpSettings {
  /** True when the file enables OTLP or OTEL_EXPORTER_OTLP_ENDPOINT (or a signal's endpoint) is set. */
  enabled: boolean;
  metrics: boolean;
  traces: boolean;
  /** Send all channels to OTLP even without an `otlp` handler. */
  logs: boolean;
  exportIntervalMs: number;
  /** Per-signal endpoints from OTEL_EXPORTER_OTLP_{LOGS,METRICS,TRACES}_ENDPOINT (full URLs). */
  signalEndpoints: { logs?: string; metrics?: string; traces?: string };
}

/** The config after parsing, env substitution, validation, path resolution and defaults. */
export interface ResolvedConfig {
  /** The file it came from, or `<embedded default>`. */
  source: string;
  /** Directory relative paths were resolved against. */
  baseDir: string;
  root: ChannelConfig;
  channels: Map<string, ChannelConfig>;
  handlers: Map<string, HandlerConfig>;
  formatters: Map<string, FormatterConfig>;
  metrics: MetricsConfig;
  resource: ResourceConfig;
  otlp: OtlpConfig;
  limits: { maxStringLength: number; redact: RegExp[] };
  /** Permission bits (before the umask) of the files and directories the SDK creates. */
  files: { mode: number; dirMode: number };
  /** Where the pipeline runs (`telemetry_thread`): the calling thread, or a telemetry thread. */
  telemetryThread: {
    enabled: boolean;
    /** Whether the config itself set `enabled` (else it is the default). */
    enabledInConfig: boolean;
    ringBytes: number;
    blockTimeoutMs: number;
    exitTimeoutMs: number;
  };
}
