import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { CONFIG_SCHEMA } from './configSchema.js';

/**
 * The part of a config file a schema node describes, as written: keys the user left out are absent
 * (their `default`s are not applied). Derived from the schema, so it cannot drift from what is validated.
 */
export type Written<S extends JSONSchema> = FromSchema<S, { keepDefaultedPropertiesOptional: true }>;

/** The validated file as plain data: the type of {@link CONFIG_SCHEMA}. */
export type RawConfig = Written<typeof CONFIG_SCHEMA>;

/** A channel as written: `root`, or one of `loggers`. */
export type RawChannel = NonNullable<RawConfig['root']>;

type HandlerDefs = (typeof CONFIG_SCHEMA)['$defs'];

/** Each handler kind as written (the schema's `class` branch for that kind validated it). */
export interface RawHandlers {
  console: Written<HandlerDefs['consoleHandler']>;
  file: Written<HandlerDefs['fileHandler']>;
  csv: Written<HandlerDefs['csvHandler']>;
  tensorboard: Written<HandlerDefs['tensorboardHandler']>;
  otlp: Written<HandlerDefs['otlpHandler']>;
  traces: Written<HandlerDefs['tracesHandler']>;
  null: Written<HandlerDefs['nullHandler']>;
}
