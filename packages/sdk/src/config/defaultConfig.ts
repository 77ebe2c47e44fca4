/**
 * The embedded default config, used by `initialize()` without a path: the seed's layout with the
 * handlers this build has, writing under the working directory, so a run has everything on disk
 * without a server. Every channel goes to a rotating log file; training progress also to the
 * console; model outputs to a CSV; training, rewards and metrics (and every metric) to TensorBoard
 * under logs/tensorboard; every span to logs/traces.jsonl (OTLP/JSON lines). The `metrics` section
 * restates the schema's defaults to show the seed's layout; test/defaultConfig.test.ts checks the file
 * against the schema, and that every other value departing from a default is a listed choice.
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
    handlers: [console, file, tensorboard]
    propagate: false
  model_outputs:
    level: INFO
    handlers: [csv, file]
    propagate: false
  rewards:
    level: INFO
    handlers: [file, tensorboard]
    propagate: false
  whitelist:
    level: INFO
    handlers: [file]
    propagate: false
  metrics:
    level: INFO
    handlers: [file, tensorboard]
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
  csv:
    class: logging.custom.CSVHandler
    filename: logs/model_outputs.csv
    columns: [timestamp, step, question, true_answer, model_answer, model_reasoning, correct]
    buffer_size: 50
  tensorboard:
    class: logging.custom.TensorBoardHandler
    log_dir: logs/tensorboard
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
