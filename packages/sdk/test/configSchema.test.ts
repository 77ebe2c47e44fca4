// The schema says what each key defaults to (docs/configuration.md shows it), and resolveConfig reads the
// defaults from it: here each stated default is checked against what the loader resolves when the key is
// absent (in the resolved units and spellings, and through the environment and `otlp` section fallbacks),
// so a default the loader does not actually apply cannot hide behind the docs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '@grpo-otel/sdk';
import { configKeyId, configKeys, type SchemaNode } from '../scripts/configKeys.js';
import { CONFIG_SCHEMA } from '../src/config/configSchema.js';
import { DEFAULT_JSON_FIELDS } from '../src/logging/formatters/JsonFormatter.js';

const load = (text: string) =>
  parseConfig(`version: 1\n${text}\n`, { source: 'd.yaml', baseDir: '/base', env: {} });
const handler = (yaml: string, name = 'h') => {
  const h = load(`handlers: { ${name}: ${yaml} }`).handlers.get(name);
  assert.ok(h);
  return h as unknown as Record<string, unknown>;
};
const otlpHandler = () =>
  handler('{ class: otlp }') as unknown as {
    [k: string]: unknown;
    queue: Record<string, unknown> & { retry: Record<string, number> };
  };
const formatter = (yaml: string) => load(`formatters: { f: ${yaml} }`).formatters.get('f')!;
const s = (ms: number) => ms / 1000;

/** How the loader shows each default: the resolved value, in the file's units and spelling. */
const RESOLVED: Record<string, () => unknown> = {
  version: () => 1, // version: 1 and no version load the same (the schema allows only 1)
  incremental: () => false,
  'root.level': () => load('').root.level,
  'root.handlers': () => load('').root.handlers,
  'root.propagate': () => load('').root.propagate,
  'root.sample': () => load('').root.sample ?? 1,
  'loggers.<name>.level': () => load('loggers: { c: {} }').channels.get('c')!.level,
  'loggers.<name>.handlers': () => load('loggers: { c: {} }').channels.get('c')!.handlers,
  'loggers.<name>.propagate': () => load('loggers: { c: {} }').channels.get('c')!.propagate,
  'loggers.<name>.sample': () => load('loggers: { c: {} }').channels.get('c')!.sample ?? 1,
  'handlers.<name>.level [every]': () => handler('{ class: "null" }').level,
  'handlers.<name>.flush_interval [every]': () => s(handler('{ class: "null" }').flushIntervalMs as number),
  'handlers.<name>.max_queue_size [every]': () => handler('{ class: "null" }').maxQueueSize,
  'handlers.<name>.stream [console]': () => `ext://sys.${handler('{ class: console }').stream}`,
  'handlers.<name>.color [console]': () => handler('{ class: console }').color,
  'handlers.<name>.mode [file]': () => handler('{ class: file, filename: x.log }').mode,
  'handlers.<name>.maxBytes [file]': () => handler('{ class: file, filename: x.log }').maxBytes,
  'handlers.<name>.backupCount [file]': () => handler('{ class: file, filename: x.log }').backupCount,
  'handlers.<name>.async_writes [file]': () => handler('{ class: file, filename: x.log }').asyncWrites,
  'handlers.<name>.ranks [file]': () => handler('{ class: file, filename: x.log }').ranks,
  'handlers.<name>.columns [csv]': () => handler('{ class: csv, filename: x.csv }').columns,
  'handlers.<name>.buffer_size [csv]': () => handler('{ class: csv, filename: x.csv }').bufferSize,
  'handlers.<name>.maxBytes [csv]': () => handler('{ class: csv, filename: x.csv }').maxBytes,
  'handlers.<name>.backupCount [csv]': () => handler('{ class: csv, filename: x.csv }').backupCount,
  'handlers.<name>.async_writes [csv]': () => handler('{ class: csv, filename: x.csv }').asyncWrites,
  'handlers.<name>.ranks [csv]': () => handler('{ class: csv, filename: x.csv }').ranks,
  'handlers.<name>.maxBytes [traces]': () => handler('{ class: traces, filename: t.jsonl }').maxBytes,
  'handlers.<name>.backupCount [traces]': () => handler('{ class: traces, filename: t.jsonl }').backupCount,
  'handlers.<name>.async_writes [traces]': () => handler('{ class: traces, filename: t.jsonl }').asyncWrites,
  'handlers.<name>.ranks [traces]': () => handler('{ class: traces, filename: t.jsonl }').ranks,
  'handlers.<name>.max_file_bytes [tensorboard]': () =>
    handler('{ class: tensorboard, log_dir: tb }').maxFileBytes,
  'handlers.<name>.async_writes [tensorboard]': () =>
    handler('{ class: tensorboard, log_dir: tb }').asyncWrites,
  'handlers.<name>.ranks [tensorboard]': () => handler('{ class: tensorboard, log_dir: tb }').ranks,
  'handlers.<name>.endpoint [otlp]': () => otlpHandler().endpoint,
  'handlers.<name>.protocol [otlp]': () => otlpHandler().protocol,
  'handlers.<name>.headers [otlp]': () => otlpHandler().headers,
  'handlers.<name>.timeout [otlp]': () => s(otlpHandler().timeoutMs as number),
  'handlers.<name>.compression [otlp]': () => otlpHandler().compression,
  'handlers.<name>.queue.max_records [otlp]': () => otlpHandler().queue.maxRecords,
  'handlers.<name>.queue.max_bytes [otlp]': () => otlpHandler().queue.maxBytes,
  'handlers.<name>.queue.overflow [otlp]': () => otlpHandler().queue.overflow,
  'handlers.<name>.queue.max_export_batch_size [otlp]': () => otlpHandler().queue.maxExportBatchSize,
  'handlers.<name>.queue.retry.initial_interval [otlp]': () =>
    s(otlpHandler().queue.retry.initialIntervalMs!),
  'handlers.<name>.queue.retry.max_interval [otlp]': () => s(otlpHandler().queue.retry.maxIntervalMs!),
  'formatters.<name>.style': () => formatter('{ format: "%(message)s" }').style,
  'formatters.<name>.fields': () => formatter('{ format: json }').fields ?? [...DEFAULT_JSON_FIELDS],
  'formatters.<name>.class': () => (formatter('{}').kind === 'python' ? 'logging.Formatter' : 'json'),
  'formatters.<name>.utc': () => formatter('{}').utc,
  'metrics.logging_frequency': () => load('').metrics.loggingFrequency,
  'metrics.full_metrics_frequency': () => load('').metrics.fullMetricsFrequency,
  'metrics.validation_frequency': () => load('').metrics.validationFrequency,
  'metrics.sampling_ratio': () => load('').metrics.samplingRatio,
  'metrics.history_window': () => load('').metrics.historyWindow,
  'metrics.plateau.window': () => load('').metrics.plateau.window,
  'metrics.plateau.min_delta': () => load('').metrics.plateau.minDelta,
  'metrics.plateau.patience': () => load('').metrics.plateau.patience,
  'metrics.plateau.objective': () => load('').metrics.plateau.objective,
  'metrics.collapse.entropy_threshold': () => load('').metrics.collapse.entropyThreshold,
  'metrics.collapse.diversity_threshold': () => load('').metrics.collapse.diversityThreshold,
  'metrics.collapse.window': () => load('').metrics.collapse.window,
  'metrics.observe_interval': () => s(load('').metrics.observeIntervalMs),
  'metrics.max_pending_analyses': () => load('').metrics.maxPendingAnalyses,
  'metrics.enable.reward_metrics': () => load('').metrics.enable.rewardMetrics,
  'metrics.enable.generation_metrics': () => load('').metrics.enable.generationMetrics,
  'metrics.enable.validation_metrics': () => load('').metrics.enable.validationMetrics,
  'metrics.enable.resource_metrics': () => load('').metrics.enable.resourceMetrics,
  'metrics.validation.max_samples': () => load('').metrics.validation.maxSamples,
  'metrics.validation.timeout_per_sample': () => s(load('').metrics.validation.timeoutPerSampleMs),
  'resource.attributes': () => load('').resource.attributes,
  'otlp.enabled': () => load('').otlp.enabled,
  'otlp.endpoint': () => load('').otlp.endpoint,
  'otlp.protocol': () => load('').otlp.protocol,
  'otlp.headers': () => load('').otlp.headers,
  'otlp.timeout': () => s(load('').otlp.timeoutMs),
  'otlp.compression': () => load('').otlp.compression,
  'otlp.queue.max_records': () => load('').otlp.queue.maxRecords,
  'otlp.queue.max_bytes': () => load('').otlp.queue.maxBytes,
  'otlp.queue.overflow': () => load('').otlp.queue.overflow,
  'otlp.queue.max_export_batch_size': () => load('').otlp.queue.maxExportBatchSize,
  'otlp.queue.retry.initial_interval': () => s(load('').otlp.queue.retry.initialIntervalMs),
  'otlp.queue.retry.max_interval': () => s(load('').otlp.queue.retry.maxIntervalMs),
  // The signal switches apply once export is on.
  'otlp.metrics': () => load('otlp: { enabled: true }').otlp.metrics,
  'otlp.traces': () => load('otlp: { enabled: true }').otlp.traces,
  'otlp.logs': () => load('otlp: { enabled: true }').otlp.logs,
  'otlp.export_interval': () => s(load('').otlp.exportIntervalMs),
  'limits.max_string_length': () => load('').limits.maxStringLength,
  'limits.redact': () => load('').limits.redact,
  'files.mode': () => `0${load('').files.mode.toString(8)}`,
  'files.dir_mode': () => `0${load('').files.dirMode.toString(8)}`,
  'telemetry_thread.enabled': () => load('').telemetryThread.enabled,
  'telemetry_thread.ring_bytes': () => load('').telemetryThread.ringBytes,
  'telemetry_thread.block_timeout': () => s(load('').telemetryThread.blockTimeoutMs),
  'telemetry_thread.exit_timeout': () => s(load('').telemetryThread.exitTimeoutMs),
};

/** Defaults the loader does not resolve: accepted Python keys without effect, or applied later. */
const NOT_RESOLVED: Record<string, string> = {
  disable_existing_loggers: 'Python flag, accepted without effect',
  'handlers.<name>.encoding [file]': 'only UTF-8 is written',
  'handlers.<name>.encoding [csv]': 'only UTF-8 is written',
  'handlers.<name>.delay [file]': 'Python flag, accepted without effect',
  'formatters.<name>.validate': 'Python flag, accepted without effect',
  'formatters.<name>.format': "PythonFormatter's own default (test/PythonFormatter.test.ts)",
  'resource.service_name': "GrpoTelemetry's resource (OTEL_SERVICE_NAME, else grpo-training)",
};

test('every default the schema states is the one the loader applies', () => {
  const withDefault = configKeys(CONFIG_SCHEMA as unknown as SchemaNode).filter(
    (k) => k.schema.default !== undefined,
  );
  assert.ok(withDefault.length > 70, `${withDefault.length} keys with a default`);
  for (const key of withDefault) {
    const id = configKeyId(key);
    const resolve = RESOLVED[id];
    if (!resolve) {
      assert.ok(
        NOT_RESOLVED[id],
        `${id}: its default ${JSON.stringify(key.schema.default)} is not checked here`,
      );
      continue;
    }
    assert.deepEqual(resolve(), key.schema.default, id);
  }
  // Nothing listed here that the schema no longer has.
  const ids = new Set(withDefault.map(configKeyId));
  for (const id of [...Object.keys(RESOLVED), ...Object.keys(NOT_RESOLVED)])
    assert.ok(ids.has(id), `${id} is gone`);
});

test('every key of the schema says what it does and gives an example', () => {
  const missing: string[] = [];
  for (const key of configKeys(CONFIG_SCHEMA as unknown as SchemaNode)) {
    if (!key.schema.description) missing.push(`${configKeyId(key)}: no description`);
    if (!key.hasChildren && !key.schema.examples?.length) missing.push(`${configKeyId(key)}: no example`);
  }
  assert.deepEqual(missing, []);
});
