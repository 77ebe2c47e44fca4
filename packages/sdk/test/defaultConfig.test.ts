// The embedded default config (DEFAULT_CONFIG_YAML, what initialize() loads without a path) is checked
// against the one schema: it validates, and each value it writes either restates the schema's default
// or is a choice of the embedded default, listed below with its reason. A default changed in the schema
// therefore cannot leave the embedded file silently saying something else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { parseConfig } from '@grpo-otel/sdk';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { configKeyId, configKeys, type SchemaNode } from '../scripts/configKeys.js';
import { CONFIG_SCHEMA } from '../src/config/configSchema.js';
import { DEFAULT_CONFIG_YAML } from '../src/config/defaultConfig.js';
import { HANDLER_CLASS_ALIASES } from '../src/config/handlerTypes.js';

const schema = CONFIG_SCHEMA as unknown as SchemaNode;
const keys = new Map(configKeys(schema).map((k) => [configKeyId(k), k]));

/** Where the embedded default departs from the schema's defaults on purpose, by key, and why. */
const CHOSEN: Record<string, string> = {
  disable_existing_loggers: "the seed's logging_config.yaml says false (the flag has no effect here)",
  'root.level': 'progress (INFO) is shown; the default is WARNING, as Python',
  'root.handlers': 'the root writes to the console and the log file',
  'loggers.<name>.level': "each of the seed's channels logs from INFO",
  'loggers.<name>.handlers': 'each channel names its sinks',
  'loggers.<name>.propagate': "the seed's channels do not also go to the root",
  'handlers.<name>.level [every]': 'the console shows INFO and above',
  'handlers.<name>.flush_interval [every]': 'the console is flushed more often than files',
  'handlers.<name>.maxBytes [file]': 'the log file rotates at 10 MiB, as in the seed',
  'handlers.<name>.backupCount [file]': 'five rotated log files are kept, as in the seed',
  'handlers.<name>.columns [csv]': "the model-output CSV has the seed's columns",
  'handlers.<name>.buffer_size [csv]': "the seed's CSV buffer",
  'handlers.<name>.maxBytes [traces]': 'the trace file rotates at 10 MiB, like the log file',
  'handlers.<name>.backupCount [traces]': 'five rotated trace files are kept, like the log file',
  'formatters.<name>.format': "the seed's `standard` layout and a JSON formatter",
  'formatters.<name>.fields': "the seed's JSON fields",
};

/** Every value the embedded default writes: where, the id of its key in the schema, and the value. */
function writtenValues(): { at: string; id: string; value: unknown }[] {
  const out: { at: string; id: string; value: unknown }[] = [];
  const visit = (value: unknown, at: string, path: string, kind?: string) => {
    const id = kind ? `${path} [${keys.has(`${path} [every]`) ? 'every' : kind}]` : path;
    const key = keys.get(id);
    if (key?.hasChildren && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) visit(v, `${at}.${k}`, `${path}.${k}`, kind);
    } else {
      out.push({ at, id, value });
    }
  };
  const data = parse(DEFAULT_CONFIG_YAML) as Record<string, unknown>;
  for (const [section, value] of Object.entries(data)) {
    if (section === 'loggers' || section === 'handlers' || section === 'formatters') {
      for (const [name, body] of Object.entries(value as Record<string, Record<string, unknown>>)) {
        const kind = section === 'handlers' ? HANDLER_CLASS_ALIASES[String(body.class)] : undefined;
        for (const [k, v] of Object.entries(body))
          visit(v, `${section}.${name}.${k}`, `${section}.<name>.${k}`, kind);
      }
    } else {
      visit(value, section, section);
    }
  }
  return out;
}

test('the embedded default config is valid against the schema and loads', () => {
  const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
  assert.ok(validate(parse(DEFAULT_CONFIG_YAML)), JSON.stringify(validate.errors));
  const config = parseConfig(DEFAULT_CONFIG_YAML, { source: '<embedded default>', baseDir: '/run', env: {} });
  assert.deepEqual(
    [...config.channels.keys()],
    ['training', 'model_outputs', 'rewards', 'whitelist', 'metrics', 'system'],
  );
});

test("each value of the embedded default restates the schema's default, or is a listed choice", () => {
  const values = writtenValues();
  assert.ok(values.length > 40, `${values.length} values`);
  const departures = new Set<string>();
  for (const { at, id, value } of values) {
    const key = keys.get(id);
    assert.ok(key, `${at}: no key ${id} in the schema`);
    if (key.schema.default === undefined || isDeepStrictEqual(value, key.schema.default)) continue;
    departures.add(id);
    assert.ok(
      CHOSEN[id],
      `${at}: ${JSON.stringify(value)} is not the schema's default ${JSON.stringify(key.schema.default)}; write the default, or list the choice in CHOSEN`,
    );
  }
  // No choice listed that the embedded default no longer makes.
  assert.deepEqual(
    Object.keys(CHOSEN).filter((id) => !departures.has(id)),
    [],
  );
  // The metrics section is written to show the seed's layout: every value in it is the default.
  assert.ok(values.some((v) => v.id === 'metrics.logging_frequency'));
  assert.ok(![...departures].some((id) => id.startsWith('metrics.')));
});
