// Every key of the config file, read from the JSON Schema the sdk ships: where it is, which section and
// handler class it belongs to, and its schema. docs/configuration.md is rendered from this list, and the
// tests check each key's default against the loader.

/** A JSON Schema node, as much of it as the config schema uses. */
export interface SchemaNode {
  description?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  examples?: unknown[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  propertyNames?: SchemaNode;
  required?: string[];
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  allOf?: { if: { properties: { class: { enum: string[] } } }; then: { $ref: string } }[];
  $ref?: string;
  $defs?: Record<string, SchemaNode>;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  minItems?: number;
  uniqueItems?: boolean;
  pattern?: string;
}

export interface ConfigKey {
  /** Dotted path as a user writes it; `<name>` stands for a key the user chooses. */
  path: string;
  /** The top-level section (`root`, `handlers`, ...), or '' for top-level scalars. */
  section: string;
  /** For handler keys: the handler kind they apply to (`file`, ...), or `every` for the common ones. */
  handlerKind?: string;
  /** The key's last segment, as written in YAML. */
  name: string;
  schema: SchemaNode;
  required: boolean;
  /** True for a mapping whose keys are listed after it. */
  hasChildren: boolean;
}

/** A stable id for a key: its path, plus the handler kind for handler keys. */
export function configKeyId(key: ConfigKey): string {
  return key.handlerKind ? `${key.path} [${key.handlerKind}]` : key.path;
}

function deref(root: SchemaNode, node: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  const name = node.$ref.replace('#/$defs/', '');
  const target = root.$defs?.[name];
  if (!target) throw new Error(`unresolved $ref ${node.$ref}`);
  return target;
}

/** The handler kinds and their class names, in schema order, from the handler's if/then branches. */
export function handlerKinds(root: SchemaNode): { kind: string; classes: string[]; schema: SchemaNode }[] {
  const handler = root.$defs?.handler;
  if (!handler?.allOf) throw new Error('the schema has no $defs.handler with allOf branches');
  return handler.allOf.map((branch) => {
    const schema = deref(root, branch.then);
    return {
      kind: branch.then.$ref.replace('#/$defs/', '').replace(/Handler$/, ''),
      classes: branch.if.properties.class.enum,
      schema,
    };
  });
}

function walk(
  root: SchemaNode,
  node: SchemaNode,
  prefix: string,
  section: string,
  out: ConfigKey[],
  handlerKind?: string,
  only?: (name: string) => boolean,
  alsoRequired: string[] = [],
): void {
  const required = new Set([...(node.required ?? []), ...alsoRequired]);
  for (const [name, raw] of Object.entries(node.properties ?? {})) {
    if (only && !only(name)) continue;
    const schema = deref(root, raw);
    const path = prefix ? `${prefix}.${name}` : name;
    const hasChildren = schema.properties !== undefined && schema.oneOf === undefined;
    out.push({
      path,
      section: section || (hasChildren ? name : ''),
      ...(handlerKind ? { handlerKind } : {}),
      name,
      schema,
      required: required.has(name),
      hasChildren,
    });
    if (hasChildren) walk(root, schema, path, section || name, out, handlerKind);
  }
}

/**
 * Every key of the config, depth first in schema order: top-level scalars and sections, `loggers.<name>`,
 * the keys every handler has, then each handler kind's own, `formatters.<name>`.
 */
export function configKeys(root: SchemaNode): ConfigKey[] {
  const out: ConfigKey[] = [];
  for (const [name, raw] of Object.entries(root.properties ?? {})) {
    const schema = deref(root, raw);
    const item =
      typeof schema.additionalProperties === 'object' ? deref(root, schema.additionalProperties) : undefined;
    if (item && schema.propertyNames) {
      // A mapping of user-chosen names: loggers, handlers, formatters.
      out.push({ path: name, section: name, name, schema, required: false, hasChildren: true });
      const prefix = `${name}.<name>`;
      if (name === 'handlers') {
        const kinds = handlerKinds(root);
        const common = Object.keys(kinds[0]!.schema.properties ?? {}).filter((k) =>
          kinds.every((h) => h.schema.properties?.[k] !== undefined),
        );
        // `class` is required of every handler ($defs.handler), the rest by each kind.
        const always = root.$defs?.handler?.required ?? [];
        walk(root, kinds[0]!.schema, prefix, name, out, 'every', (k) => common.includes(k), always);
        for (const h of kinds) walk(root, h.schema, prefix, name, out, h.kind, (k) => !common.includes(k));
      } else {
        walk(root, item, prefix, name, out);
      }
      continue;
    }
    const hasChildren = schema.properties !== undefined;
    out.push({
      path: name,
      section: hasChildren ? name : '',
      name,
      schema,
      required: (root.required ?? []).includes(name),
      hasChildren,
    });
    if (hasChildren) walk(root, schema, name, name, out);
  }
  return out;
}
