/** A mapping of the config schema: its keys, some with a `default`. */
interface ObjectSchema {
  readonly properties: { readonly [key: string]: object };
}

/** The keys of a schema mapping that have a `default`. */
type DefaultedKeys<S extends ObjectSchema> = {
  [K in keyof S['properties']]: S['properties'][K] extends { readonly default: unknown } ? K : never;
}[keyof S['properties']];

/**
 * A mapping as written (`W`, the schema's type of it) once the defaults of schema `S` apply: each key
 * that has a `default` is always there.
 */
export type Defaulted<S extends ObjectSchema, W> = Omit<W, DefaultedKeys<S>> & {
  [K in DefaultedKeys<S> & keyof W]-?: Exclude<W[K], undefined>;
};

/**
 * `value` (one mapping of the file as written, or absent) with each key it lacks that has a `default`
 * in `schema` set to that default, so the schema is the one place a default is written. Shallow: a
 * nested mapping gets its defaults from its own call. Defaults are copies, never the schema's objects.
 */
export function withDefaults<S extends ObjectSchema, W extends { [K in keyof S['properties']]?: unknown }>(
  schema: S,
  value: W | undefined,
): Defaulted<S, W> {
  const out: Record<string, unknown> = { ...value };
  for (const [key, prop] of Object.entries(schema.properties)) {
    const fallback = (prop as { default?: unknown }).default;
    if (out[key] === undefined && fallback !== undefined) out[key] = structuredClone(fallback);
  }
  return out as Defaulted<S, W>;
}
