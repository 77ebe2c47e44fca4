import { HANDLER_CLASS_ALIASES, type HandlerType, handlerClassesOf } from './handlerTypes.js';

/**
 * JSON Schema (draft 2020-12) of the grpo-otel YAML config. It is the single description of the file:
 * the loader validates with it and `schema/grpo-otel-config.schema.json` (for editors) is generated from it.
 * Durations are in seconds, like the seed's `timeout_per_sample`; sizes in bytes.
 */

const LEVELS = ['NOTSET', 'DEBUG', 'INFO', 'WARNING', 'WARN', 'ERROR', 'CRITICAL', 'FATAL'];
const NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_.-]*$';

const level = {
  description: 'Python logging level name.',
  enum: LEVELS,
};
const handlerList = {
  description: 'Names of handlers (keys of `handlers`).',
  type: 'array',
  items: { type: 'string', minLength: 1 },
  uniqueItems: true,
};
const nonNegativeInt = { type: 'integer', minimum: 0 };
const positiveInt = { type: 'integer', minimum: 1 };
/** Steps in a window the SDK allocates up front (8 bytes each): at most a million. */
const windowInt = { type: 'integer', minimum: 1, maximum: 1_000_000 };
/** Node's timers take at most 2^31 - 1 ms (a longer delay fires at once): about 24.8 days. */
const positiveSeconds = { type: 'number', exclusiveMinimum: 0, maximum: 2_147_483 };
const path = { type: 'string', minLength: 1 };
/** How every relative path in the file resolves (docs/security.md, "Config paths"). */
const RELATIVE =
  "relative paths resolve against the working directory (or initialize's baseDir) and must stay inside it";
const permissionBits = {
  oneOf: [
    { type: 'string', pattern: '^0?[0-7]{3}$' },
    { type: 'integer', minimum: 0, maximum: 0o777 },
  ],
};

const rateLimit = {
  description:
    'Maximum records per second for the channel (token bucket); the excess is dropped and counted. A number, or an object with `records_per_second` and `burst`.',
  oneOf: [
    { type: 'number', exclusiveMinimum: 0 },
    {
      type: 'object',
      additionalProperties: false,
      required: ['records_per_second'],
      properties: {
        records_per_second: { type: 'number', exclusiveMinimum: 0 },
        burst: { type: 'integer', minimum: 1 },
      },
    },
  ],
};

const channel = {
  type: 'object',
  additionalProperties: false,
  properties: {
    level,
    handlers: handlerList,
    propagate: { type: 'boolean' },
    qualname: { type: 'string' },
    rate_limit: rateLimit,
    sample: {
      description:
        'Fraction of records kept (0 < sample <= 1), evenly spaced; the rest is dropped and counted.',
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
    },
  },
};

const commonHandlerProps = {
  class: { description: 'Handler type or its Python class name.', enum: Object.keys(HANDLER_CLASS_ALIASES) },
  level,
  formatter: { description: 'Name of a formatter (key of `formatters`).', type: 'string', minLength: 1 },
  flush_interval: {
    description: 'Seconds between background exports of buffered records (default 1).',
    ...positiveSeconds,
  },
  max_queue_size: {
    description: 'Records buffered before new ones are dropped and counted (default 8192).',
    ...positiveInt,
  },
};

const otlpQueue = {
  description:
    'Bounded queue in front of each OTLP signal (logs, metrics, traces): records wait here while the collector is down, slow or failing and are sent, oldest first, when it answers again. The trainer never waits on it.',
  type: 'object',
  additionalProperties: false,
  properties: {
    max_records: {
      description:
        'Records held per signal at most (metrics: data points), the batch being sent included (default 32768).',
      ...positiveInt,
    },
    max_bytes: {
      description: 'Estimated bytes held per signal at most (default 33554432, 32 MiB).',
      type: 'integer',
      minimum: 1024,
    },
    overflow: {
      description:
        'Which records are dropped (and counted as queue_full) when the queue is full: the oldest queued (drop_oldest, default) or the new ones (drop_newest).',
      enum: ['drop_oldest', 'drop_newest'],
    },
    max_export_batch_size: {
      description: 'Log records or spans per export request at most (default 512).',
      ...positiveInt,
    },
    retry: {
      description:
        'Backoff between attempts to send a failed batch again: it starts at initial_interval and doubles up to max_interval (seconds). A batch is retried until it is delivered or dropped by the bound.',
      type: 'object',
      additionalProperties: false,
      properties: {
        initial_interval: { description: 'First wait in seconds (default 1).', ...positiveSeconds },
        max_interval: { description: 'Longest wait in seconds (default 30).', ...positiveSeconds },
      },
    },
  },
};

const asyncWrites = {
  description:
    "Write through libuv's thread pool instead of on the training thread (default false). By default each flush hands its batch to the OS (page cache, microseconds on a local disk) before the next step runs, so a process killed at any moment loses at most the last flush_interval; set true for a slow network filesystem, where a write can block for long.",
  type: 'boolean',
};

/** Which ranks of a distributed run (`grpo.world_size` > 1) write a local sink; see docs/operations.md. */
const ranks = (def: string, all: string) => ({
  description: `Which ranks write this sink when world_size > 1: \`zero\` (rank 0 only) or \`all\` (${all}). Default \`${def}\`.`,
  enum: ['zero', 'all'],
});

const handlerProps: Record<HandlerType, Record<string, unknown>> = {
  console: {
    stream: {
      description: 'Where console output goes (Python writes `ext://sys.stderr` by default).',
      enum: ['ext://sys.stdout', 'ext://sys.stderr', 'stdout', 'stderr'],
    },
    color: {
      description: 'Colour levels: on a TTY only (auto), always or never.',
      enum: ['auto', 'always', 'never'],
    },
  },
  file: {
    filename: { description: `Log file; ${RELATIVE}.`, ...path },
    mode: { enum: ['a', 'w'] },
    maxBytes: {
      description: 'Roll over before a record would take the file past this size (0 = never).',
      ...nonNegativeInt,
    },
    backupCount: {
      description: 'Rolled-over files kept as name.1 ... name.N (0 = never roll over).',
      ...nonNegativeInt,
    },
    encoding: { enum: ['utf-8', 'utf8', 'UTF-8'] },
    delay: { type: 'boolean' },
    async_writes: asyncWrites,
    ranks: ranks('all', 'each rank its own file, `name.rank<k>.ext`'),
  },
  csv: {
    filename: { description: `CSV file; ${RELATIVE}.`, ...path },
    columns: {
      description:
        'Column names, filled from the log record (timestamp, level, message, ...) or its attributes.',
      type: 'array',
      items: { type: 'string', minLength: 1 },
      minItems: 1,
      uniqueItems: true,
    },
    buffer_size: { description: 'Rows buffered before a background write.', ...positiveInt },
    maxBytes: nonNegativeInt,
    backupCount: nonNegativeInt,
    encoding: { enum: ['utf-8', 'utf8', 'UTF-8'] },
    async_writes: asyncWrites,
    ranks: ranks('all', 'each rank its own file, `name.rank<k>.ext`'),
  },
  tensorboard: {
    log_dir: {
      description: `TensorBoard log directory; one run directory per run inside it; ${RELATIVE}.`,
      ...path,
    },
    max_file_bytes: { description: 'Start a new event file past this size (0 = never).', ...nonNegativeInt },
    async_writes: asyncWrites,
    ranks: ranks('zero', 'each rank its own run, `<run id>/rank<k>`'),
  },
  otlp: {
    endpoint: {
      description: 'OTLP/HTTP base URL, e.g. http://127.0.0.1:4318.',
      type: 'string',
      pattern: '^https?://',
    },
    protocol: { enum: ['http/protobuf', 'http/json'] },
    headers: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config file's own syntax
      description: 'Extra HTTP headers; use ${env:VAR} for secrets.',
      type: 'object',
      additionalProperties: { type: 'string' },
    },
    timeout: { description: 'Export timeout in seconds.', ...positiveSeconds },
    compression: { enum: ['gzip', 'none'] },
    tls: {
      description: `TLS for an https:// endpoint: PEM files; ${RELATIVE}. Overrides OTEL_EXPORTER_OTLP_{CERTIFICATE,CLIENT_CERTIFICATE,CLIENT_KEY}.`,
      type: 'object',
      additionalProperties: false,
      dependentRequired: { cert_file: ['key_file'], key_file: ['cert_file'] },
      properties: {
        ca_file: {
          description: 'CA certificate(s) that verify the collector, used instead of the system roots.',
          ...path,
        },
        cert_file: { description: 'Client certificate chain, for mutual TLS (needs key_file).', ...path },
        key_file: { description: "The client certificate's private key (needs cert_file).", ...path },
      },
    },
    queue: otlpQueue,
  },
  null: {},
};

function handlerDef(type: HandlerType) {
  return {
    type: 'object',
    additionalProperties: false,
    ...(type === 'file' || type === 'csv'
      ? { required: ['filename'] }
      : type === 'tensorboard'
        ? { required: ['log_dir'] }
        : {}),
    properties: { ...commonHandlerProps, ...handlerProps[type] },
  };
}

const HANDLER_TYPES: HandlerType[] = ['console', 'file', 'csv', 'tensorboard', 'otlp', 'null'];

const handler = {
  type: 'object',
  required: ['class'],
  properties: { class: commonHandlerProps.class },
  allOf: HANDLER_TYPES.map((t) => ({
    if: { required: ['class'], properties: { class: { enum: handlerClassesOf(t) } } },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema keyword
    then: { $ref: `#/$defs/${t}Handler` },
  })),
};

const formatter = {
  type: 'object',
  additionalProperties: false,
  properties: {
    format: {
      description:
        'Python logging format string (`%(asctime)s - %(message)s`), or `json` for the JSON formatter.',
      type: 'string',
    },
    datefmt: { description: 'strftime format for %(asctime)s.', type: 'string' },
    style: { enum: ['%', '{', '$'] },
    fields: {
      description: 'JSON formatter: fields of each line (timestamp, level, name, message, attributes, ...).',
      type: 'array',
      items: { type: 'string', minLength: 1 },
      minItems: 1,
    },
    validate: { type: 'boolean' },
    class: { enum: ['logging.Formatter', 'json', 'standard'] },
    utc: { description: 'Render %(asctime)s in UTC instead of local time.', type: 'boolean' },
  },
};

const metrics = {
  type: 'object',
  additionalProperties: false,
  properties: {
    logging_frequency: {
      description:
        'Basic metrics (the reward analyses of logRewardMetrics) every N training steps (default 50); isLoggingStep(step) says which.',
      ...positiveInt,
    },
    full_metrics_frequency: {
      description:
        'Full metrics (the generation analyses of logGenerationMetrics: entropy, KL, diversity, lengths, format, correctness) every N training steps (default 250); isLoggingStep(step, { full: true }) says which.',
      ...positiveInt,
    },
    validation_frequency: { description: 'Run validation every N training steps.', ...positiveInt },
    sampling_ratio: {
      description: 'Fraction of batches on which expensive metrics are computed.',
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
    },
    history_window: { description: 'Steps in reward moving averages (default 100).', ...windowInt },
    plateau: {
      description:
        'Reward plateau detection (early stopping): no improvement of the smoothed reward over `window` steps.',
      type: 'object',
      additionalProperties: false,
      properties: {
        window: {
          description: 'Steps over which the smoothed reward must improve (default 50).',
          ...windowInt,
        },
        min_delta: {
          description: 'Smallest improvement that counts (default 0.01).',
          type: 'number',
          minimum: 0,
        },
        patience: {
          description: 'Consecutive stalled steps (with a value) before a plateau fires (default 1).',
          ...positiveInt,
        },
        objective: {
          description:
            "The reward function whose plateau fires onPlateau (default 'total', the weighted sum; the one function when there is only one). Every function's plateau is still a signal for onSignal.",
          type: 'string',
          minLength: 1,
        },
      },
    },
    collapse: {
      description: 'Policy collapse detection on token entropy and distinct-2 diversity.',
      type: 'object',
      additionalProperties: false,
      properties: {
        entropy_threshold: {
          description:
            'Mean token entropy (nats) below which the policy has collapsed (default 0.05; 0 turns it off).',
          type: 'number',
        },
        diversity_threshold: {
          description:
            'distinct-2 of a batch below which generations have collapsed (default 0.2; 0 turns it off).',
          type: 'number',
        },
        max_drop: {
          description: 'Fall over `window` steps that counts as collapsing.',
          type: 'number',
          minimum: 0,
        },
        window: { description: 'Steps for the fall (default 50).', ...windowInt },
      },
    },
    observe_interval: {
      description:
        'Seconds between readings of the asynchronous instruments (memory, SDK queue sizes and counters) into the step-keyed exporters (TensorBoard): at most one reading per interval, at the end of a step, and one at flush and shutdown. 0 reads them at every step. Default 1. OTLP reads them at each export.',
      type: 'number',
      minimum: 0,
      maximum: 2_147_483,
    },
    max_pending_analyses: {
      description:
        'Metric computations queued for the analysis worker before new ones are dropped and counted (default 64).',
      ...positiveInt,
    },
    enable: {
      type: 'object',
      additionalProperties: false,
      properties: {
        reward_metrics: { type: 'boolean' },
        generation_metrics: { type: 'boolean' },
        validation_metrics: { type: 'boolean' },
        resource_metrics: { type: 'boolean' },
      },
    },
    validation: {
      type: 'object',
      additionalProperties: false,
      properties: {
        dataset_path: {
          description: `Held-out validation set (JSON or JSON lines) for runValidation; ${RELATIVE}.`,
          ...path,
        },
        max_samples: positiveInt,
        timeout_per_sample: { description: 'Seconds.', ...positiveSeconds },
      },
    },
  },
};

const resource = {
  type: 'object',
  additionalProperties: false,
  properties: {
    service_name: { type: 'string', minLength: 1 },
    run_id: { description: 'Run id; generated when absent.', type: 'string', pattern: '^[A-Za-z0-9_.:-]+$' },
    experiment: { type: 'string', minLength: 1 },
    model: { description: 'Policy model name (gen_ai.request.model).', type: 'string', minLength: 1 },
    rank: nonNegativeInt,
    world_size: positiveInt,
    attributes: {
      description: 'Extra resource attributes.',
      type: 'object',
      additionalProperties: { type: ['string', 'number', 'boolean'] },
    },
  },
};

const otlp = {
  description:
    'OTLP/HTTP export of metrics and traces (and defaults for `otlp` log handlers). Enabled when `enabled` is true or OTEL_EXPORTER_OTLP_ENDPOINT is set.',
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean' },
    ...handlerProps.otlp,
    metrics: { type: 'boolean' },
    traces: { type: 'boolean' },
    logs: { description: 'Send every channel to OTLP even without an `otlp` handler.', type: 'boolean' },
    export_interval: {
      description:
        'Seconds between metric exports (default: OTEL_METRIC_EXPORT_INTERVAL in milliseconds, else 5).',
      ...positiveSeconds,
    },
  },
};

export const CONFIG_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:grpo-otel:schema:config:1',
  title: 'grpo-otel configuration',
  description:
    "Logging and telemetry configuration for GRPO training: Python logging's dictConfig layout (version, root, loggers, handlers, formatters) plus metrics, resource and otlp sections.",
  type: 'object',
  additionalProperties: false,
  properties: {
    version: { description: 'Schema version; must be 1.', const: 1 },
    disable_existing_loggers: { type: 'boolean' },
    incremental: { const: false },
    root: channel,
    loggers: {
      type: 'object',
      propertyNames: { pattern: NAME_PATTERN },
      additionalProperties: { $ref: '#/$defs/channel' },
    },
    handlers: {
      type: 'object',
      propertyNames: { pattern: NAME_PATTERN },
      additionalProperties: { $ref: '#/$defs/handler' },
    },
    formatters: {
      type: 'object',
      propertyNames: { pattern: NAME_PATTERN },
      additionalProperties: { $ref: '#/$defs/formatter' },
    },
    metrics,
    resource,
    otlp,
    limits: {
      description: 'Limits applied to every log record before it leaves the process.',
      type: 'object',
      additionalProperties: false,
      properties: {
        max_string_length: {
          description:
            'Longest message or string attribute kept, in characters (default 65536); longer ones are cut and end with a marker saying how much was cut.',
          ...positiveInt,
        },
        redact: {
          description:
            'Regular expressions (JavaScript syntax) whose matches in messages and string attributes are replaced by [REDACTED], e.g. to keep prompts or secrets out of logs. A pattern with a repetition inside another repetition, e.g. (a+)+, can take exponential time and is refused.',
          type: 'array',
          items: { type: 'string', minLength: 1 },
        },
      },
    },
    files: {
      description:
        'Permissions of the files (log, CSV, TensorBoard event files) and directories the SDK creates, before the umask. Octal, as a string ("0640") or a YAML octal (0o640).',
      type: 'object',
      additionalProperties: false,
      properties: {
        mode: { description: 'Files (default "0640": owner read/write, group read).', ...permissionBits },
        dir_mode: { description: 'Directories (default "0750").', ...permissionBits },
      },
    },
  },
  $defs: {
    channel,
    handler,
    formatter,
    ...Object.fromEntries(HANDLER_TYPES.map((t) => [`${t}Handler`, handlerDef(t)])),
  },
} as const;
