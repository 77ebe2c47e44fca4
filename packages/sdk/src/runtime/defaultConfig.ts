/**
 * The embedded default config, used by `initialize()` without a path: the seed's layout with the
 * handlers this build has, writing under the working directory. Every channel goes to a rotating
 * log file; training progress also to the console; every span to logs/traces.jsonl (OTLP/JSON lines),
 * so spans are visible without a collector.
 */
export const DEFAULT_CONFIG_YAML = `# grpo-otel embedded default
version: 1
disable_existing_loggers: false

root:
  level: INFO
  handlers: [console, file]

loggers:
  training:
    level: INFO
    handlers: [console, file]
    propagate: false
  model_outputs:
    level: INFO
    handlers: [file]
    propagate: false
  rewards:
    level: INFO
    handlers: [file]
    propagate: false
  whitelist:
    level: INFO
    handlers: [file]
    propagate: false
  metrics:
    level: INFO
    handlers: [file]
    propagate: false
  system:
    level: INFO
    handlers: [file]
    propagate: false

handlers:
  console:
    class: logging.StreamHandler
    formatter: standard
    level: INFO
    flush_interval: 0.2
  file:
    class: logging.handlers.RotatingFileHandler
    formatter: standard
    filename: logs/training.log
    maxBytes: 10485760
    backupCount: 5
  traces:
    class: traces
    filename: logs/traces.jsonl
    maxBytes: 10485760
    backupCount: 5

formatters:
  standard:
    format: "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
    datefmt: "%Y-%m-%d %H:%M:%S"
  json:
    format: json
    fields: [timestamp, level, name, message]

metrics:
  logging_frequency: 50
  validation_frequency: 250
  sampling_ratio: 0.1
  enable:
    reward_metrics: true
    generation_metrics: true
    validation_metrics: true
    resource_metrics: true
  validation:
    max_samples: 100
    timeout_per_sample: 5
`;
