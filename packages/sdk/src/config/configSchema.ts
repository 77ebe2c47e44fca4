import { HANDLER_CLASS_ALIASES, type HandlerType, handlerClassesOf } from './handlerTypes.js';

/**
 * JSON Schema (draft 2020-12) of the grpo-otel YAML config. It is the single description of the file:
 * the loader validates with it, the file's TypeScript type is derived from it (RawConfig.ts, with
 * json-schema-to-ts), resolveConfig reads each default from it, and `schema/grpo-otel-config.schema.json`
 * (for editors) and docs/configuration.md are generated from it. Every key carries its `default` (what
 * the loader uses when the key is absent; absent when there is none) and `examples`
 * (test/configSchema.test.ts checks the defaults against the loader). Everything is `as const` so the
 * types keep each literal. Durations are in seconds, like the seed's `timeout_per_sample`; sizes in bytes.
 */

const LEVELS = ['NOTSET', 'DEBUG', 'INFO', 'WARNING', 'WARN', 'ERROR', 'CRITICAL', 'FATAL'] as const;
const NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_.-]*$';

const level = {
  description: 'Python logging level name.',
  enum: LEVELS,
} as const;
const handlerList = {
  description: 'Names of handlers (keys of `handlers`).',
  type: 'array',
  items: { type: 'string', minLength: 1 },
  uniqueItems: true,
  default: [],
  examples: [['console', 'file']],
} as const;
const nonNegativeInt = { type: 'integer', minimum: 0 } as const;
const positiveInt = { type: 'integer', minimum: 1 } as const;
/** Steps in a window the SDK allocates up front (8 bytes each): at most a million. */
const windowInt = { type: 'integer', minimum: 1, maximum: 1_000_000 } as const;
/** Node's timers take at most 2^31 - 1 ms (a longer delay fires at once): about 24.8 days. */
const positiveSeconds = { type: 'number', exclusiveMinimum: 0, maximum: 2_147_483 } as const;
const path = { type: 'string', minLength: 1 } as const;
/** How every relative path in the file resolves (docs/security.md, "Config paths"). */
const RELATIVE =
  "relative paths resolve against the working directory (or initialize's baseDir) and must stay inside it";
const permissionBits = {
  oneOf: [
    { type: 'string', pattern: '^0?[0-7]{3}$' },
    { type: 'integer', minimum: 0, maximum: 0o777 },
  ],
} as const;

const rateLimit = {
  description:
    'Maximum records per second for the channel (token bucket); the excess is dropped and counted. A number, or an object with `records_per_second` and `burst` (default: the rate, rounded up). Default: no limit.',
  examples: [100, { records_per_second: 5, burst: 20 }],
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
} as const;

const channelProperties = {
  handlers: handlerList,
  propagate: {
    description: "Also pass records to the root channel's handlers, as in Python.",
    type: 'boolean',
    default: true,
    examples: [false],
  },
  qualname: {
    description:
      "Python's logger name; accepted for compatibility (the key under `loggers` names the channel).",
    type: 'string',
    examples: ['training'],
  },
  rate_limit: rateLimit,
  sample: {
    description:
      'Fraction of records kept (0 < sample <= 1), evenly spaced; the rest is dropped and counted.',
    type: 'number',
    exclusiveMinimum: 0,
    maximum: 1,
    default: 1,
    examples: [0.25],
  },
} as const;

/** A channel under `loggers`: with no level it takes the root's (Python's NOTSET). */
const channel = {
  type: 'object',
  additionalProperties: false,
  properties: {
    level: { ...level, default: 'NOTSET', examples: ['DEBUG'] },
    ...channelProperties,
  },
} as const;

/** `root`: the channel every other one propagates to; Python's root logger is WARNING with no handlers. */
const rootChannel = {
  description:
    'The root channel: where records of channels with `propagate: true` (and of unconfigured ones) go.',
  type: 'object',
  additionalProperties: false,
  properties: {
    level: { ...level, default: 'WARNING', examples: ['INFO'] },
    ...channelProperties,
  },
} as const;

const commonHandlerProps = {
  class: {
    description: 'Handler type or its Python class name (required).',
    enum: Object.keys(HANDLER_CLASS_ALIASES),
    examples: ['logging.handlers.RotatingFileHandler'],
  },
  level: {
    ...level,
    description: 'Least level this handler writes.',
    default: 'NOTSET',
    examples: ['ERROR'],
  },
  formatter: {
    description:
      "Name of a formatter (key of `formatters`). Default: the message alone (Python's `%(message)s`).",
    type: 'string',
    minLength: 1,
    examples: ['standard'],
  },
  flush_interval: {
    description: 'Seconds between background exports of buffered records.',
    ...positiveSeconds,
    default: 1,
    examples: [0.5],
  },
  max_queue_size: {
    description: 'Records buffered before new ones are dropped and counted.',
    ...positiveInt,
    default: 8192,
    examples: [65536],
  },
} as const;

const otlpQueue = {
  description:
    'Bounded queue in front of each OTLP signal (logs, metrics, traces): records wait here while the collector is down, slow or failing and are sent, oldest first, when it answers again. The trainer never waits on it.',
  type: 'object',
  additionalProperties: false,
  properties: {
    max_records: {
      description:
        "Records held per signal at most (metrics: data points), the batch being sent included. An `otlp` handler's default is its max_queue_size when set.",
      ...positiveInt,
      default: 32768,
      examples: [100000],
    },
    max_bytes: {
      description: 'Estimated bytes held per signal at most (32 MiB by default).',
      type: 'integer',
      minimum: 1024,
      default: 33554432,
      examples: [134217728],
    },
    overflow: {
      description:
        'Which records are dropped (and counted as queue_full) when the queue is full: the oldest queued (drop_oldest) or the new ones (drop_newest).',
      enum: ['drop_oldest', 'drop_newest'],
      default: 'drop_oldest',
      examples: ['drop_newest'],
    },
    max_export_batch_size: {
      description: 'Log records or spans per export request at most.',
      ...positiveInt,
      default: 512,
      examples: [1024],
    },
    retry: {
      description:
        'Backoff between attempts to send a failed batch again: it starts at initial_interval and doubles up to max_interval (seconds). A batch is retried until it is delivered or dropped by the bound.',
      type: 'object',
      additionalProperties: false,
      properties: {
        initial_interval: {
          description: 'First wait in seconds.',
          ...positiveSeconds,
          default: 1,
          examples: [0.5],
        },
        max_interval: {
          description: 'Longest wait in seconds.',
          ...positiveSeconds,
          default: 30,
          examples: [60],
        },
      },
    },
  },
} as const;

const asyncWrites = {
  description:
    "Write through libuv's thread pool instead of on the training thread. By default each flush hands its batch to the OS (page cache, microseconds on a local disk) before the next step runs, so a process killed at any moment loses at most the last flush_interval; set true for a slow network filesystem, where a write can block for long.",
  type: 'boolean',
  default: false,
  examples: [true],
} as const;

/**
 * Which ranks of a distributed run (`grpo.world_size` > 1) write a local sink; see docs/operations.md.
 * TensorBoard is the run-level view (rank 0 by default); logs, CSV and traces are per rank.
 */
const ranks = <const D extends 'zero' | 'all'>(def: D, all: string) =>
  ({
    description: `Which ranks write this sink when world_size > 1: \`zero\` (rank 0 only) or \`all\` (${all}).`,
    enum: ['zero', 'all'],
    default: def,
    examples: [def === 'zero' ? 'all' : 'zero'],
  }) as const;
const encoding = {
  description: 'Text encoding; only UTF-8 is written (accepted for Python configs).',
  enum: ['utf-8', 'utf8', 'UTF-8'],
  default: 'utf-8',
  examples: ['utf-8'],
} as const;

const handlerProps = {
  console: {
    stream: {
      description: "Where console output goes (stderr, as Python's StreamHandler).",
      enum: ['ext://sys.stdout', 'ext://sys.stderr', 'stdout', 'stderr'],
      default: 'ext://sys.stderr',
      examples: ['ext://sys.stdout'],
    },
    color: {
      description: 'Colour levels: on a TTY only (auto), always or never.',
      enum: ['auto', 'always', 'never'],
      default: 'auto',
      examples: ['never'],
    },
  },
  file: {
    filename: { description: `Log file (required); ${RELATIVE}.`, ...path, examples: ['logs/training.log'] },
    mode: {
      description: 'Append to an existing file (a) or start it empty (w).',
      enum: ['a', 'w'],
      default: 'a',
      examples: ['w'],
    },
    maxBytes: {
      description: 'Roll over before a record would take the file past this size (0 = never).',
      ...nonNegativeInt,
      default: 0,
      examples: [10485760],
    },
    backupCount: {
      description: 'Rolled-over files kept as name.1 ... name.N (0 = never roll over).',
      ...nonNegativeInt,
      default: 0,
      examples: [5],
    },
    encoding,
    delay: {
      description:
        "Python's delay (open the file at the first record); accepted, the file opens at the first write.",
      type: 'boolean',
      default: false,
      examples: [true],
    },
    async_writes: asyncWrites,
    ranks: ranks('all', 'each rank its own file, `name.rank<k>.ext`'),
  },
  csv: {
    filename: {
      description: `CSV file (required); ${RELATIVE}.`,
      ...path,
      examples: ['logs/model_outputs.csv'],
    },
    columns: {
      description:
        'Column names, filled from the log record (timestamp, level, message, ...) or its attributes.',
      type: 'array',
      items: { type: 'string', minLength: 1 },
      minItems: 1,
      uniqueItems: true,
      default: ['timestamp', 'level', 'name', 'message'],
      examples: [['timestamp', 'question', 'true_answer', 'model_answer', 'model_reasoning']],
    },
    buffer_size: {
      description: 'Rows buffered before a background write.',
      ...positiveInt,
      default: 100,
      examples: [50],
    },
    maxBytes: {
      description:
        'Roll over before a row would take the file past this size (0 = never); the header is repeated.',
      ...nonNegativeInt,
      default: 0,
      examples: [104857600],
    },
    backupCount: {
      description: 'Rolled-over files kept as name.1 ... name.N (0 = never roll over).',
      ...nonNegativeInt,
      default: 0,
      examples: [3],
    },
    encoding,
    async_writes: asyncWrites,
    ranks: ranks('all', 'each rank its own file, `name.rank<k>.ext`'),
  },
  tensorboard: {
    log_dir: {
      description: `TensorBoard log directory (required); one run directory per run inside it; ${RELATIVE}.`,
      ...path,
      examples: ['logs/tensorboard'],
    },
    max_file_bytes: {
      description: 'Start a new event file past this size (0 = never).',
      ...nonNegativeInt,
      default: 268435456,
      examples: [67108864],
    },
    async_writes: asyncWrites,
    ranks: ranks('zero', 'each rank its own run, `<run id>/rank<k>`'),
  },
  otlp: {
    endpoint: {
      description:
        'OTLP/HTTP base URL (/v1/logs, /v1/metrics, /v1/traces are appended). Default: OTEL_EXPORTER_OTLP_ENDPOINT, else http://localhost:4318.',
      type: 'string',
      pattern: '^https?://',
      default: 'http://localhost:4318',
      examples: ['https://otel-gateway.internal:4318'],
    },
    protocol: {
      description: 'OTLP encoding. Default: OTEL_EXPORTER_OTLP_PROTOCOL when http/json, else http/protobuf.',
      enum: ['http/protobuf', 'http/json'],
      default: 'http/protobuf',
      examples: ['http/json'],
    },
    headers: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config file's own syntax
      description: 'Extra HTTP headers, over OTEL_EXPORTER_OTLP_HEADERS; use ${env:VAR} for secrets.',
      type: 'object',
      additionalProperties: { type: 'string' },
      default: {},
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config file's own syntax
      examples: [{ authorization: 'Bearer ${env:GRPO_OTLP_TOKEN}' }],
    },
    timeout: {
      description: 'Export timeout in seconds. Default: OTEL_EXPORTER_OTLP_TIMEOUT (milliseconds), else 10.',
      ...positiveSeconds,
      default: 10,
      examples: [2],
    },
    compression: {
      description: 'Request compression. Default: OTEL_EXPORTER_OTLP_COMPRESSION when gzip, else none.',
      enum: ['gzip', 'none'],
      default: 'none',
      examples: ['gzip'],
    },
    tls: {
      description: `TLS for an https:// endpoint: PEM files; ${RELATIVE}. Overrides OTEL_EXPORTER_OTLP_{CERTIFICATE,CLIENT_CERTIFICATE,CLIENT_KEY}.`,
      type: 'object',
      additionalProperties: false,
      dependentRequired: { cert_file: ['key_file'], key_file: ['cert_file'] },
      properties: {
        ca_file: {
          description:
            'CA certificate(s) that verify the collector, used instead of the system roots. Default: OTEL_EXPORTER_OTLP_CERTIFICATE, else the system roots.',
          ...path,
          examples: ['certs/ca.pem'],
        },
        cert_file: {
          description: 'Client certificate chain, for mutual TLS (needs key_file).',
          ...path,
          examples: ['certs/client.pem'],
        },
        key_file: {
          description: "The client certificate's private key (needs cert_file).",
          ...path,
          examples: ['certs/client.key'],
        },
      },
    },
    queue: otlpQueue,
  },
  traces: {
    filename: {
      description: `Trace file (required): every span the SDK records, one OTLP/JSON line per span (an ExportTraceServiceRequest holding it, as the collector's file exporter writes); ${RELATIVE}.`,
      ...path,
      examples: ['logs/traces.jsonl'],
    },
    maxBytes: {
      description: 'Roll over before a span would take the file past this size (0 = never).',
      ...nonNegativeInt,
      default: 0,
      examples: [10485760],
    },
    backupCount: {
      description: 'Rolled-over files kept as name.1 ... name.N (0 = never roll over).',
      ...nonNegativeInt,
      default: 0,
      examples: [5],
    },
    async_writes: asyncWrites,
    ranks: ranks('all', 'each rank its own file, `name.rank<k>.ext`'),
  },
  null: {},
} as const satisfies Record<HandlerType, object>;

const HANDLER_DESCRIPTIONS: Record<HandlerType, string> = {
  console: "Formatted lines on stderr (or stdout), as Python's StreamHandler.",
  file: "A log file of formatted lines, rotated by size as Python's RotatingFileHandler.",
  csv: 'A CSV file, one row per record: RFC 4180 quoting, formula-injection escape, the header once per file.',
  tensorboard:
    'TensorBoard event files: the text of the routed channels, and the scalars and histograms of every metric.',
  otlp: "OTLP/HTTP logs of the channels routed to it; keys it does not set take the `otlp` section's values.",
  traces:
    "Every span the SDK records, one OTLP/JSON line each (the collector's file format), in a local file. Listed in no channel's handlers.",
  null: 'Discards records.',
};

/** The keys of one handler kind (`$defs.<kind>Handler`); `extra` holds its `required`, when it has some. */
function handlerDef<
  T extends HandlerType,
  const E extends { required?: readonly string[] } = Record<never, never>,
>(type: T, extra?: E) {
  return {
    description: HANDLER_DESCRIPTIONS[type],
    type: 'object',
    additionalProperties: false,
    ...(extra as E),
    properties: { ...commonHandlerProps, ...handlerProps[type] },
  } as const;
}

const handlerDefs = {
  consoleHandler: handlerDef('console'),
  fileHandler: handlerDef('file', { required: ['filename'] }),
  csvHandler: handlerDef('csv', { required: ['filename'] }),
  tensorboardHandler: handlerDef('tensorboard', { required: ['log_dir'] }),
  otlpHandler: handlerDef('otlp'),
  tracesHandler: handlerDef('traces', { required: ['filename'] }),
  nullHandler: handlerDef('null'),
} as const satisfies Record<`${HandlerType}Handler`, object>;

const HANDLER_TYPES: HandlerType[] = ['console', 'file', 'csv', 'tensorboard', 'otlp', 'traces', 'null'];

const handler = {
  type: 'object',
  required: ['class'],
  properties: { class: commonHandlerProps.class },
  allOf: HANDLER_TYPES.map((t) => ({
    if: { required: ['class'], properties: { class: { enum: handlerClassesOf(t) } } },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema keyword
    then: { $ref: `#/$defs/${t}Handler` },
  })),
} as const;

const formatter = {
  type: 'object',
  additionalProperties: false,
  properties: {
    format: {
      description:
        'Python logging format string (`%(asctime)s - %(message)s`), or `json` for the JSON formatter.',
      type: 'string',
      default: '%(message)s',
      examples: ['%(asctime)s - %(name)s - %(levelname)s - %(message)s'],
    },
    datefmt: {
      description: "strftime format for %(asctime)s. Default: Python's `%Y-%m-%d %H:%M:%S,mmm`.",
      type: 'string',
      examples: ['%Y-%m-%d %H:%M:%S'],
    },
    style: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Python's placeholder syntax
      description: "Placeholder style of `format`, as Python's: %(name)s, {name} or ${name}.",
      enum: ['%', '{', '$'],
      default: '%',
      examples: ['{'],
    },
    fields: {
      description:
        'JSON formatter: fields of each line (timestamp, level, levelname, levelno, name, message, attributes, exception).',
      type: 'array',
      items: { type: 'string', minLength: 1 },
      minItems: 1,
      default: ['timestamp', 'level', 'name', 'message', 'attributes'],
      examples: [['timestamp', 'level', 'name', 'message']],
    },
    validate: {
      description: "Python's format validation flag; accepted for compatibility, no effect.",
      type: 'boolean',
      default: true,
      examples: [false],
    },
    class: {
      description: 'Formatter class: `json` for the JSON formatter, else the Python-style one.',
      enum: ['logging.Formatter', 'json', 'standard'],
      default: 'logging.Formatter',
      examples: ['json'],
    },
    utc: {
      description: 'Render %(asctime)s in UTC instead of local time.',
      type: 'boolean',
      default: false,
      examples: [true],
    },
  },
} as const;

const metrics = {
  description:
    'Learning metrics: how often they are logged, which are computed, the plateau and collapse detectors, validation.',
  type: 'object',
  additionalProperties: false,
  properties: {
    logging_frequency: {
      description:
        'Basic metrics (the reward analyses of logRewardMetrics) every N training steps; isLoggingStep(step) says which.',
      ...positiveInt,
      default: 50,
      examples: [10],
    },
    full_metrics_frequency: {
      description:
        'Full metrics (the generation analyses of logGenerationMetrics: entropy, KL, diversity, lengths, format, correctness) every N training steps; isLoggingStep(step, { full: true }) says which.',
      ...positiveInt,
      default: 250,
      examples: [50],
    },
    validation_frequency: {
      description: 'Run validation every N training steps (shouldValidate).',
      ...positiveInt,
      default: 250,
      examples: [100],
    },
    sampling_ratio: {
      description: 'Fraction of batches on which expensive metrics are computed.',
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.1,
      examples: [1],
    },
    history_window: {
      description: 'Steps in reward moving averages.',
      ...windowInt,
      default: 100,
      examples: [50],
    },
    plateau: {
      description:
        'Reward plateau detection (early stopping): no improvement of the smoothed reward over `window` steps.',
      type: 'object',
      additionalProperties: false,
      properties: {
        window: {
          description: 'Steps over which the smoothed reward must improve.',
          ...windowInt,
          default: 50,
          examples: [100],
        },
        min_delta: {
          description: 'Smallest improvement that counts.',
          type: 'number',
          minimum: 0,
          default: 0.01,
          examples: [0.005],
        },
        patience: {
          description: 'Consecutive stalled steps (with a value) before a plateau fires.',
          ...positiveInt,
          default: 1,
          examples: [3],
        },
        objective: {
          description:
            "The reward function whose plateau fires onPlateau: 'total' is the weighted sum (the one function when there is only one). Every function's plateau is still a signal for onSignal.",
          type: 'string',
          minLength: 1,
          default: 'total',
          examples: ['correctness_reward'],
        },
      },
    },
    // On by default, with floors taken from measured demo runs (`pnpm demo`, 600 steps, seed 1): a
    // learning run's token entropy never went below 0.128 nats and its distinct-2 below 0.339; a run
    // driven to collapse (learning rate 0.05, no KL) had distinct-2 0.06-0.16 from its first analyses and
    // entropy down to 0.001.
    collapse: {
      description: 'Policy collapse detection on token entropy and distinct-2 diversity.',
      type: 'object',
      additionalProperties: false,
      properties: {
        entropy_threshold: {
          description: 'Mean token entropy (nats) below which the policy has collapsed; 0 turns it off.',
          type: 'number',
          default: 0.05,
          examples: [0.1],
        },
        diversity_threshold: {
          description: 'distinct-2 of a batch below which generations have collapsed; 0 turns it off.',
          type: 'number',
          default: 0.2,
          examples: [0],
        },
        max_drop: {
          description:
            'Relative fall over `window` steps that counts as collapsing (0.5 = lost half). Default: not checked.',
          type: 'number',
          minimum: 0,
          examples: [0.5],
        },
        window: { description: 'Steps for the fall.', ...windowInt, default: 50, examples: [20] },
      },
    },
    observe_interval: {
      description:
        'Seconds between readings of the asynchronous instruments (memory, SDK queue sizes and counters) into the step-keyed exporters (TensorBoard): at most one reading per interval, at the end of a step, and one at flush and shutdown. 0 reads them at every step. OTLP reads them at each export.',
      type: 'number',
      minimum: 0,
      maximum: 2_147_483,
      default: 1,
      examples: [0],
    },
    max_pending_analyses: {
      description:
        'Metric computations queued for the analysis worker before new ones are dropped and counted.',
      ...positiveInt,
      default: 64,
      examples: [256],
    },
    enable: {
      description: 'Which groups of metrics are computed and recorded.',
      type: 'object',
      additionalProperties: false,
      properties: {
        reward_metrics: {
          description: 'Reward statistics of logRewardMetrics.',
          type: 'boolean',
          default: true,
          examples: [false],
        },
        generation_metrics: {
          description: 'Generation statistics of logGenerationMetrics (entropy, KL, lengths, diversity).',
          type: 'boolean',
          default: true,
          examples: [false],
        },
        validation_metrics: {
          description: 'Validation runs (shouldValidate answers false when off).',
          type: 'boolean',
          default: true,
          examples: [false],
        },
        resource_metrics: {
          description: 'Memory and throughput.',
          type: 'boolean',
          default: true,
          examples: [false],
        },
      },
    },
    validation: {
      description: 'The validation runner (runValidation).',
      type: 'object',
      additionalProperties: false,
      properties: {
        dataset_path: {
          description: `Held-out validation set (JSON or JSON lines) for runValidation; ${RELATIVE}. Default: none (set one in code, or pass samples).`,
          ...path,
          examples: ['data/validation_set.json'],
        },
        max_samples: {
          description: 'Samples per validation run at most.',
          ...positiveInt,
          default: 100,
          examples: [50],
        },
        timeout_per_sample: {
          description: 'Seconds one sample may take before it counts as failed.',
          ...positiveSeconds,
          default: 5,
          examples: [2],
        },
      },
    },
  },
} as const;

const resource = {
  description: 'OpenTelemetry resource of every record, metric and span: who is training what.',
  type: 'object',
  additionalProperties: false,
  properties: {
    service_name: {
      description: 'service.name. Default: OTEL_SERVICE_NAME, else grpo-training.',
      type: 'string',
      minLength: 1,
      default: 'grpo-training',
      examples: ['math-grpo'],
    },
    run_id: {
      description:
        "Run id. Default: GRPO_RUN_ID, else torchrun's TORCHELASTIC_RUN_ID, else generated (time and random suffix).",
      type: 'string',
      pattern: '^[A-Za-z0-9_.:-]+$',
      examples: ['run-2024-06-01-a'],
    },
    experiment: { description: 'Experiment name.', type: 'string', minLength: 1, examples: ['gsm8k-grpo'] },
    model: {
      description: 'Policy model name (gen_ai.request.model).',
      type: 'string',
      minLength: 1,
      examples: ['Qwen2.5-0.5B-Instruct'],
    },
    rank: {
      description: "This process's rank in a distributed run. Default: RANK, else none (one process).",
      ...nonNegativeInt,
      examples: [3],
    },
    world_size: {
      description: 'Processes in the run. Default: WORLD_SIZE, else none (one process).',
      ...positiveInt,
      examples: [8],
    },
    attributes: {
      description: 'Extra resource attributes, over OTEL_RESOURCE_ATTRIBUTES.',
      type: 'object',
      additionalProperties: { type: ['string', 'number', 'boolean'] },
      default: {},
      examples: [{ team: 'rl', 'host.gpu': 'a100' }],
    },
  },
} as const;

const otlp = {
  description:
    'OTLP/HTTP export of metrics and traces (and defaults for `otlp` log handlers). Enabled when `enabled` is true or OTEL_EXPORTER_OTLP_ENDPOINT is set.',
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: {
      description:
        'Export over OTLP. Default: true when OTEL_EXPORTER_OTLP_ENDPOINT (or a per-signal one) is set, `endpoint` is written or an `otlp` handler exists; else false.',
      type: 'boolean',
      default: false,
      examples: [true],
    },
    ...handlerProps.otlp,
    metrics: {
      description: 'Export metrics (when enabled; OTEL_METRICS_EXPORTER=none turns them off).',
      type: 'boolean',
      default: true,
      examples: [false],
    },
    traces: {
      description: 'Export spans (when enabled; OTEL_TRACES_EXPORTER=none turns them off).',
      type: 'boolean',
      default: true,
      examples: [false],
    },
    logs: {
      description:
        'Send every channel to OTLP (when enabled; OTEL_LOGS_EXPORTER=none turns it off). Default: true, or false when an `otlp` handler says which channels go.',
      type: 'boolean',
      default: true,
      examples: [false],
    },
    export_interval: {
      description:
        'Seconds between metric exports. Default: OTEL_METRIC_EXPORT_INTERVAL (milliseconds), else 5.',
      ...positiveSeconds,
      default: 5,
      examples: [15],
    },
  },
} as const;

export const CONFIG_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:grpo-otel:schema:config:1',
  title: 'grpo-otel configuration',
  description:
    "Logging and telemetry configuration for GRPO training: Python logging's dictConfig layout (version, root, loggers, handlers, formatters) plus metrics, resource and otlp sections.",
  type: 'object',
  additionalProperties: false,
  properties: {
    version: { description: 'Schema version; must be 1 when written.', const: 1, default: 1, examples: [1] },
    disable_existing_loggers: {
      description: "Python's dictConfig flag; accepted for compatibility, no effect.",
      type: 'boolean',
      default: true,
      examples: [false],
    },
    incremental: {
      description: "Python's dictConfig flag; only false (a whole configuration) is supported.",
      const: false,
      default: false,
      examples: [false],
    },
    root: rootChannel,
    loggers: {
      description:
        'Channels by name (training, model_outputs, rewards, whitelist, metrics, system, or any other): level, handlers, propagation, rate limit, sampling.',
      type: 'object',
      propertyNames: { pattern: NAME_PATTERN },
      additionalProperties: { $ref: '#/$defs/channel' },
      examples: [
        {
          training: { level: 'INFO', handlers: ['console', 'file'], propagate: false },
          model_outputs: { level: 'INFO', handlers: ['csv'], propagate: false, sample: 0.25 },
        },
      ],
    },
    handlers: {
      description: 'Sinks by name; `class` picks the kind and which keys apply.',
      type: 'object',
      propertyNames: { pattern: NAME_PATTERN },
      additionalProperties: { $ref: '#/$defs/handler' },
    },
    formatters: {
      description: 'Text layouts by name, for console and file handlers.',
      type: 'object',
      propertyNames: { pattern: NAME_PATTERN },
      additionalProperties: { $ref: '#/$defs/formatter' },
      examples: [
        {
          standard: {
            format: '%(asctime)s - %(name)s - %(levelname)s - %(message)s',
            datefmt: '%Y-%m-%d %H:%M:%S',
          },
          json: { format: 'json', fields: ['timestamp', 'level', 'name', 'message', 'attributes'] },
        },
      ],
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
            'Longest message or string attribute kept, in characters; longer ones are cut and end with a marker saying how much was cut.',
          ...positiveInt,
          default: 65536,
          examples: [4096],
        },
        redact: {
          description:
            'Regular expressions (JavaScript syntax) whose matches in messages and string attributes are replaced by [REDACTED], e.g. to keep prompts or secrets out of logs. A pattern with a repetition inside another repetition, e.g. (a+)+, can take exponential time and is refused.',
          type: 'array',
          items: { type: 'string', minLength: 1 },
          default: [],
          examples: [['sk-[A-Za-z0-9]{20,}', '\\b\\d{3}-\\d{2}-\\d{4}\\b']],
        },
      },
    },
    telemetry_thread: {
      description:
        "Where the SDK's work runs. Enabled, the training thread only copies each call's values (with its step, time and trace context) into a shared ring and returns; a telemetry thread does the rest (routing, formatting, the step pipeline, OTel's log and metric processing, encoding, file writes, OTLP) and is drained synchronously at exit. Your spans and the context API stay on your thread. Off, everything runs on the calling thread, as a plain OpenTelemetry setup would.",
      type: 'object',
      additionalProperties: false,
      properties: {
        enabled: {
          description: 'Run the pipeline on a telemetry thread.',
          type: 'boolean',
          default: true,
          examples: [false],
        },
        ring_bytes: {
          description:
            'Size of the shared ring between the threads, in bytes (a GRPO step with per-token logprobs for 64 completions of 256 tokens takes about 300 KB).',
          type: 'integer',
          minimum: 65536,
          maximum: 1073741824,
          default: 16777216,
          examples: [67108864],
        },
        block_timeout: {
          description:
            'Seconds a call waits for room when the ring is full before its values are dropped and counted (`queue_full`); log records below WARNING and sampled model outputs are dropped at once.',
          type: 'number',
          minimum: 0,
          maximum: 60,
          default: 1,
          examples: [0],
        },
        exit_timeout: {
          description:
            'Seconds `process.exit()`, an uncaught error or a signal wait for the telemetry thread to write what it holds; what is left then is reported.',
          ...positiveSeconds,
          default: 10,
          examples: [30],
        },
      },
    },
    files: {
      description:
        'Permissions of the files (log, CSV, TensorBoard event files) and directories the SDK creates, before the umask. Octal, as a string ("0640") or a YAML octal (0o640).',
      type: 'object',
      additionalProperties: false,
      properties: {
        mode: {
          description: 'Files: owner read/write, group read by default.',
          ...permissionBits,
          default: '0640',
          examples: ['0600'],
        },
        dir_mode: {
          description: 'Directories: owner all, group read/search by default.',
          ...permissionBits,
          default: '0750',
          examples: ['0700'],
        },
      },
    },
  },
  $defs: {
    channel,
    handler,
    formatter,
    ...handlerDefs,
  },
} as const;
