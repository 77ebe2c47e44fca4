// docs/configuration.md, rendered from the JSON Schema the sdk ships (schema/grpo-otel-config.schema.json):
// every key with its type, default, an example and what it does. `pnpm sdk:schema` writes both files;
// packages/sdk/test/renderConfigReference.test.ts fails when the committed page is stale.
import { stringify } from 'yaml';
import { type ConfigKey, configKeys, handlerKinds, type SchemaNode } from './configKeys.js';

const code = (text: string): string => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);

/** A value as it is written in YAML, on one line. */
function flow(value: unknown): string {
  return stringify(value, { collectionStyle: 'flow', flowCollectionPadding: false, lineWidth: 0 }).trim();
}

/** Text safe inside a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function bounds(s: SchemaNode): string {
  const parts: string[] = [];
  if (s.exclusiveMinimum !== undefined) parts.push(`> ${s.exclusiveMinimum}`);
  if (s.minimum !== undefined) parts.push(`>= ${s.minimum}`);
  if (s.maximum !== undefined) parts.push(`<= ${s.maximum}`);
  return parts.length ? ` ${parts.join(', ')}` : '';
}

/** What values a key takes, in words. */
export function typeText(s: SchemaNode): string {
  if (s.const !== undefined) return `only ${code(flow(s.const))}`;
  if (s.enum) return `one of ${s.enum.map((v) => code(flow(v))).join(', ')}`;
  if (s.oneOf) return s.oneOf.map(typeText).join('; or ');
  if (Array.isArray(s.type)) return s.type.join(' or ');
  switch (s.type) {
    case 'integer':
    case 'number':
      return `${s.type}${bounds(s)}`;
    case 'boolean':
      return 'true or false';
    case 'string':
      if (s.pattern) return `string matching ${code(s.pattern)}`;
      return s.minLength ? 'non-empty string' : 'string';
    case 'array': {
      const extra = [s.minItems ? 'non-empty' : '', s.uniqueItems ? 'no duplicates' : ''].filter(Boolean);
      const items = s.items ? typeText(s.items).replace(/string$/, 'strings') : 'values';
      return `list of ${items}${extra.length ? ` (${extra.join(', ')})` : ''}`;
    }
    case 'object': {
      if (s.properties) {
        const required = new Set(s.required ?? []);
        const keys = Object.entries(s.properties).map(
          ([k, v]) => `${code(k)} (${typeText(v)}${required.has(k) ? ', required' : ''})`,
        );
        return `mapping: ${keys.join(', ')}`;
      }
      if (typeof s.additionalProperties === 'object')
        return `mapping of names to ${typeText(s.additionalProperties)}`;
      return 'mapping';
    }
    default:
      throw new Error(`no type for ${JSON.stringify(s)}`);
  }
}

/** The key's example value: its first `examples` entry, or for a mapping, its keys' examples. */
function exampleOf(key: ConfigKey, keys: ConfigKey[]): unknown {
  if (key.schema.examples?.length) return key.schema.examples[0];
  if (key.hasChildren) {
    const children = keys.filter(
      (k) => k.path.startsWith(`${key.path}.`) && !k.path.slice(key.path.length + 1).includes('.'),
    );
    return Object.fromEntries(children.map((c) => [c.name, exampleOf(c, keys)]));
  }
  throw new Error(`${key.path}: the schema gives no example`);
}

function defaultText(key: ConfigKey): string {
  if (key.required) return 'required';
  if (key.schema.default !== undefined) return code(flow(key.schema.default));
  return key.hasChildren ? '(its keys)' : 'not set';
}

function rows(keys: ConfigKey[], all: ConfigKey[]): string[][] {
  return keys.map((k) => [
    code(k.path),
    k.hasChildren ? 'mapping' : typeText(k.schema),
    defaultText(k),
    k.hasChildren ? '(below)' : code(`${k.name}: ${flow(exampleOf(k, all))}`),
    k.schema.description ?? '',
  ]);
}

const HEADER = ['key', 'type', 'default', 'example', 'description'];

function yamlBlock(value: unknown): string {
  return ['```yaml', stringify(value, { lineWidth: 0 }).trimEnd(), '```'].join('\n');
}

/** The Python-style class name of a handler kind (the one an existing logging config uses), else its own. */
function className(classes: string[]): string {
  return (
    classes.find((c) => c.startsWith('logging.handlers.')) ??
    classes.find((c) => c.startsWith('logging.')) ??
    classes[0]!
  );
}

const INTRO = `<!-- Generated from packages/sdk/schema/grpo-otel-config.schema.json by \`pnpm sdk:schema\`; do not edit by hand. -->

# Configuration reference

One YAML file configures the SDK: \`initialize('logging_config.yaml')\`, or \`$GRPO_OTEL_CONFIG\`, else the
embedded default. Its layout is Python's \`logging.config\` dictionary (\`version\`, \`root\`, \`loggers\`,
\`handlers\`, \`formatters\`; an existing \`logging_config.yaml\` loads unchanged) plus the sections \`metrics\`,
\`resource\`, \`otlp\`, \`limits\` and \`files\`. This page lists every key with its type, its default (what
applies when the key is absent) and an example; it is generated from the JSON Schema the SDK validates
with, which also ships for editors as \`@grpo-otel/sdk/schema.json\`
(\`# yaml-language-server: $schema=node_modules/@grpo-otel/sdk/schema/grpo-otel-config.schema.json\`).

- **Units.** Durations are in seconds, sizes in bytes.
- **Paths** (\`filename\`, \`log_dir\`, \`dataset_path\`, TLS files): an absolute path is used as written; a
  relative one resolves against the working directory, as Python's \`logging.config\` does, or against the
  \`baseDir\` given to \`initialize({ configPath, baseDir })\`, and must stay inside it (no \`..\` out of
  it, no symbolic link out of it); see [security](security.md#config-paths-cannot-escape-their-base-directory).
- **Environment.** \`\${env:VAR}\` and \`\${env:VAR:-default}\` in any value substitute environment variables
  (a whole value keeps its type: \`maxBytes: \${env:MAX_BYTES:-1000}\` is a number). The standard
  \`OTEL_*\` variables work as in OpenTelemetry (\`OTEL_SDK_DISABLED=true\` turns everything off); where a key
  and a variable both apply, the key wins, as the descriptions say.
- **Errors.** A bad file gives one line: \`file:line:column: key.path: what was expected\`.
  \`grpo-otel validate-config <file>\` checks a file and shows where each channel goes.
- \`<name>\` stands for a name you choose (a channel, handler or formatter): letters, digits, \`_\`, \`.\`, \`-\`,
  starting with a letter or \`_\`.
`;

/** The whole page. */
export function renderConfigReference(schema: SchemaNode): string {
  const keys = configKeys(schema);
  const out: string[] = [INTRO];

  out.push('## Top level', '');
  const top = keys.filter((k) => k.section === '' || (k.path === k.section && !k.path.includes('.')));
  out.push(table(HEADER, rows(top, keys)), '');

  for (const section of top.filter((k) => k.hasChildren)) {
    out.push(`## \`${section.path}\``, '');
    if (section.schema.description) out.push(section.schema.description, '');
    if (section.path === 'handlers') {
      const common = keys.filter((k) => k.handlerKind === 'every');
      out.push('Keys every handler takes:', '', table(HEADER, rows(common, keys)), '');
      for (const h of handlerKinds(schema)) {
        const own = keys.filter((k) => k.handlerKind === h.kind);
        out.push(`### \`class: ${h.kind}\``, '');
        if (h.schema.description) out.push(h.schema.description, '');
        out.push(`Class names: ${h.classes.map(code).join(', ')}.`, '');
        if (own.length) out.push(table(HEADER, rows(own, keys)), '');
        else out.push('No keys of its own.', '');
        const direct = [...common, ...own].filter((k) => k.path === `handlers.<name>.${k.name}`);
        const example = Object.fromEntries(
          direct.map((k) => [k.name, k.name === 'class' ? className(h.classes) : exampleOf(k, keys)]),
        );
        out.push('Example (every key):', '', yamlBlock({ handlers: { [h.kind]: example } }), '');
      }
      continue;
    }
    const inSection = keys.filter((k) => k.section === section.path && k !== section);
    out.push(table(HEADER, rows(inSection, keys)), '');
    out.push(
      section.schema.examples?.length ? 'Example:' : 'Example (every key):',
      '',
      yamlBlock({ [section.path]: exampleOf(section, keys) }),
      '',
    );
  }
  return `${out.join('\n').trimEnd()}\n`;
}
