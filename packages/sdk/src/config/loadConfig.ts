import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import safeRegex from 'safe-regex2';
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from 'yaml';
import { didYouMeanSuffix } from '../internal/didYouMean.js';
import { ConfigError } from './ConfigError.js';
import { CONFIG_SCHEMA } from './configSchema.js';
import { type Env, EnvSubstitutionError, substituteEnv } from './envSubstitution.js';
import { HANDLER_CLASS_ALIASES } from './handlerTypes.js';
import { excessiveNesting, MAX_NESTING } from './nestingDepth.js';
import type { RawChannel, RawConfig } from './RawConfig.js';
import type { ResolvedConfig } from './ResolvedConfig.js';
import { resolveConfig } from './resolveConfig.js';
import { ConfigPathError } from './resolvePath.js';
import { locateYamlSyntaxError } from './yamlSyntaxError.js';

/** Repetitions a `limits.redact` pattern may have in all (a bound on its matching cost). */
const REDACT_MAX_REPETITIONS = 100;

export interface LoadConfigOptions {
  /** Environment for `${env:...}` and OTEL_* variables (default: process.env). */
  env?: Env;
  /**
   * Directory relative paths in the config resolve against, and must stay inside (default: the working
   * directory, as Python's `logging.config` resolves them; so an existing `logging_config.yaml` writes
   * where it did under Python). E.g. a run folder, so one run's files sit together.
   */
  baseDir?: string;
}

type KeyPath = (string | number)[];

let validator: ValidateFunction<RawConfig> | undefined;
/** The schema compiled: a type guard, so data it accepts has the schema's type. */
function getValidator(): ValidateFunction<RawConfig> {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    validator = ajv.compile<RawConfig>(CONFIG_SCHEMA);
  }
  return validator;
}

/**
 * Reads, validates and resolves a config file. Relative paths in it resolve against `options.baseDir`,
 * else the working directory at the time of the call (not the file's directory).
 * Throws {@link ConfigError} (one line) on any problem.
 */
export function loadConfigFile(file: string, options: LoadConfigOptions = {}): ResolvedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a directory, expected a YAML file'
          : code === 'EACCES'
            ? 'permission denied'
            : `cannot read (${code ?? String(err)})`;
    throw new ConfigError(file, 0, 0, '', why);
  }
  return parseConfig(text, { ...options, source: file, baseDir: resolve(options.baseDir ?? process.cwd()) });
}

/** Validates and resolves config text. `source` names it in errors. */
export function parseConfig(
  text: string,
  options: LoadConfigOptions & { source: string; baseDir: string },
): ResolvedConfig {
  const { source } = options;
  const env = options.env ?? process.env;
  const deep = excessiveNesting(text);
  if (deep !== undefined) {
    const before = text.slice(0, deep);
    const line = before.split('\n').length;
    const col = deep - before.lastIndexOf('\n');
    throw new ConfigError(source, line, col, '', `collections nested deeper than ${MAX_NESTING} levels`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const pos = (offset: number | undefined): [number, number] => {
    if (offset === undefined) return [1, 1];
    const { line, col } = lineCounter.linePos(offset);
    return [line, col];
  };
  const fail = (offset: number | undefined, path: KeyPath, detail: string): never => {
    const [line, col] = pos(offset);
    throw new ConfigError(source, line, col, formatPath(path), detail);
  };

  const syntax = doc.errors[0];
  if (syntax) {
    const { offset, detail } = locateYamlSyntaxError(text, syntax, lineCounter);
    fail(offset, [], detail);
  }
  if (!isMap(doc.contents)) {
    const what = doc.contents === null ? 'an empty document' : describeNode(doc.contents);
    fail(
      doc.contents?.range?.[0],
      [],
      `expected a mapping (version: 1, root, loggers, handlers, ...), got ${what}`,
    );
  }

  substituteEnvInDocument(doc, env, fail);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    fail(0, [], `cannot expand YAML aliases: ${(err as Error).message}`);
  }

  const validate = getValidator();
  if (!validate(data)) {
    const err = pickError(validate.errors ?? [], doc, data);
    const { path, pointAtKey, detail } = describeError(err, validate.errors ?? [], data);
    return fail(offsetOf(doc, path, pointAtKey), path, detail);
  }

  checkReferences(doc, data, fail);
  try {
    return resolveConfig(data, { source, baseDir: options.baseDir, env });
  } catch (err) {
    if (!(err instanceof ConfigPathError)) throw err;
    if (err.fromEnv) throw new ConfigError(source, 0, 0, formatPath(err.keyPath), err.detail);
    return fail(offsetOf(doc, err.keyPath, false), err.keyPath, err.detail);
  }
}

function substituteEnvInDocument(
  doc: Document,
  env: Env,
  fail: (offset: number | undefined, path: KeyPath, detail: string) => never,
): void {
  visit(doc, {
    Scalar(key, node, ancestors) {
      if (key === 'key' || typeof node.value !== 'string') return;
      try {
        const r = substituteEnv(node.value, env);
        if (!r.changed) return;
        if (r.whole) {
          // `maxBytes: ${env:MAX_BYTES:-1000}` is a number, as if written in the file.
          const typed = parseDocument(r.value).contents;
          node.value = isScalar(typed) && r.value.trim() !== '' ? typed.value : r.value;
        } else {
          node.value = r.value;
        }
      } catch (err) {
        if (!(err instanceof EnvSubstitutionError)) throw err;
        fail(node.range?.[0], pathFromAncestors(ancestors, node), err.message);
      }
    },
  });
}

function pathFromAncestors(ancestors: readonly unknown[], leaf: unknown): KeyPath {
  const path: KeyPath = [];
  const chain = [...ancestors, leaf];
  for (let i = 0; i < chain.length - 1; i++) {
    const parent = chain[i];
    const child = chain[i + 1];
    if (isPair(parent) && child === parent.value) {
      path.push(isScalar(parent.key) ? String(parent.key.value) : '?');
    } else if (isSeq(parent)) {
      path.push(parent.items.indexOf(child as never));
    }
  }
  return path;
}

/**
 * One error to report: the first in document order; at the same place, the most specific one
 * (an unknown key inside a `oneOf` branch says more than "expected a number").
 */
function pickError(errors: ErrorObject[], doc: Document, data: unknown): ErrorObject {
  const real = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'oneOf');
  const candidates = real.length ? real : errors;
  const depth = (e: ErrorObject) =>
    e.instancePath.split('/').length +
    (e.keyword === 'additionalProperties' || e.keyword === 'required' ? 1 : 0);
  const rank = (e: ErrorObject) => (e.keyword === 'type' ? 0 : e.keyword === 'additionalProperties' ? 2 : 1);
  const offset = (e: ErrorObject) => offsetOf(doc, pointerToPath(e.instancePath, data), false) ?? 0;
  const sorted = candidates
    .map((e) => ({ e, o: offset(e) }))
    .sort((a, b) => a.o - b.o || depth(b.e) - depth(a.e) || rank(b.e) - rank(a.e));
  return sorted[0]!.e;
}

function pointerToPath(pointer: string, data: unknown): KeyPath {
  if (!pointer) return [];
  const out: KeyPath = [];
  let cur: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const n = Number(seg);
      out.push(n);
      cur = cur[n];
    } else {
      out.push(seg);
      cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

function valueAt(data: unknown, path: KeyPath): unknown {
  let cur = data;
  for (const k of path)
    cur = cur && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[k] : undefined;
  return cur;
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

function describeError(
  err: ErrorObject,
  all: ErrorObject[],
  data: unknown,
): { path: KeyPath; pointAtKey: boolean; detail: string } {
  const path = pointerToPath(err.instancePath, data);
  const value = valueAt(data, path);
  const schema = err.parentSchema as Record<string, unknown> | undefined;
  const section = path.length ? String(path[path.length - 1]) : 'the top level';
  // Header values often carry credentials (Authorization): an error never repeats them.
  const describe = (v: unknown) =>
    path.includes('headers') && typeof v !== 'object'
      ? 'a value not shown (headers may hold secrets)'
      : describeValue(v);
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String((err.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys((schema?.properties as Record<string, unknown>) ?? {});
      const where = path.length ? `in ${describeSection(path)}` : 'at the top level';
      return {
        path: [...path, key],
        pointAtKey: true,
        detail: `unknown key '${key}' ${where}${didYouMeanSuffix(key, known)}; expected one of: ${known.join(', ')}`,
      };
    }
    case 'required': {
      const key = String((err.params as { missingProperty: string }).missingProperty);
      return { path, pointAtKey: true, detail: `missing required key '${key}' in ${describeSection(path)}` };
    }
    case 'propertyNames': {
      const name = String((err.params as { propertyName: string }).propertyName);
      return {
        path: [...path, name],
        pointAtKey: true,
        detail: `invalid name '${name}' in ${section}: expected letters, digits, '_', '.', '-' (starting with a letter or '_')`,
      };
    }
    case 'type': {
      const types = new Set<string>();
      for (const e of all) {
        if (e.keyword === 'type' && e.instancePath === err.instancePath) {
          const t = (e.params as { type: string | string[] }).type;
          for (const x of Array.isArray(t) ? t : [t]) types.add(x);
        }
      }
      const expected = [...types].map((t) => TYPE_WORDS[t] ?? t).join(' or ');
      return { path, pointAtKey: false, detail: `expected ${expected}, got ${describe(value)}` };
    }
    case 'enum': {
      const allowed = (err.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const got = describe(value);
      const hint = typeof value === 'string' ? didYouMeanSuffix(value, allowed) : '';
      const last = path[path.length - 1];
      if (last === 'class') {
        const types = [...new Set(Object.values(HANDLER_CLASS_ALIASES))].join(', ');
        return {
          path,
          pointAtKey: false,
          detail: `unknown handler class ${got}${hint}; expected one of ${types}, or a Python name such as logging.StreamHandler, logging.handlers.RotatingFileHandler, logging.custom.CSVHandler, logging.custom.TensorBoardHandler`,
        };
      }
      if (last === 'level') {
        return {
          path,
          pointAtKey: false,
          detail: `unknown level ${got}${hint}; expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL`,
        };
      }
      return { path, pointAtKey: false, detail: `expected one of ${allowed.join(', ')}, got ${got}${hint}` };
    }
    case 'const': {
      const allowed = (err.params as { allowedValue: unknown }).allowedValue;
      return {
        path,
        pointAtKey: false,
        detail: `expected ${JSON.stringify(allowed)}, got ${describe(value)}`,
      };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const p = err.params as { comparison: string; limit: number };
      const kind = schema?.type === 'integer' ? 'an integer' : 'a number';
      if (p.limit === 0o777 && typeof value === 'number' && /^[0-7]{3,4}$/.test(String(value))) {
        // YAML reads `640` and `0640` as decimal: the octal mode meant must be quoted or written 0o640.
        return {
          path,
          pointAtKey: false,
          detail: `expected a permission mode, got ${value} (decimal); write the octal mode as '0${String(value).replace(/^0/, '')}' (quoted) or 0o${String(value).replace(/^0/, '')}`,
        };
      }
      return {
        path,
        pointAtKey: false,
        detail: `expected ${kind} ${p.comparison} ${p.limit}, got ${describe(value)}`,
      };
    }
    case 'dependentRequired': {
      const p = err.params as { property: string; missingProperty: string };
      return {
        path: [...path, p.property],
        pointAtKey: true,
        detail: `'${p.property}' needs '${p.missingProperty}' in ${describeSection(path)}`,
      };
    }
    case 'minItems':
      return { path, pointAtKey: false, detail: `expected a non-empty list, got ${describe(value)}` };
    case 'minLength':
      return { path, pointAtKey: false, detail: 'expected a non-empty string' };
    case 'uniqueItems': {
      const p = err.params as { i: number; j: number };
      const dup = Array.isArray(value) ? value[p.j] : undefined;
      return { path: [...path, p.j], pointAtKey: false, detail: `duplicate entry ${describe(dup)}` };
    }
    case 'pattern': {
      const last = path[path.length - 1];
      const expected =
        last === 'endpoint'
          ? 'a URL starting with http:// or https://'
          : `text matching ${(err.params as { pattern: string }).pattern}`;
      return { path, pointAtKey: false, detail: `expected ${expected}, got ${describe(value)}` };
    }
    default:
      return { path, pointAtKey: false, detail: err.message ?? 'invalid value' };
  }
}

function describeSection(path: KeyPath): string {
  if (path.length === 0) return 'the top level';
  if (path.length === 2 && path[0] === 'handlers') return `handler '${path[1]}'`;
  if (path.length === 2 && path[0] === 'loggers') return `logger '${path[1]}'`;
  if (path.length === 2 && path[0] === 'formatters') return `formatter '${path[1]}'`;
  return `'${formatPath(path)}'`;
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `string '${v.length > 60 ? `${v.slice(0, 57)}...` : v}'`;
  return String(v);
}

function describeNode(node: Node): string {
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return describeValue(node.value);
  return 'something else';
}

export function formatPath(path: KeyPath): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else out += out ? `.${k}` : k;
  }
  return out;
}

/** Source offset of the node at `path` (its key when `pointAtKey`), falling back to the nearest ancestor. */
function offsetOf(doc: Document, path: KeyPath, pointAtKey: boolean): number | undefined {
  let node: unknown = doc.contents;
  let best: number | undefined = (node as Node | null)?.range?.[0];
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return best;
      const keyNode = pair.key as Node;
      if (last && pointAtKey) return keyNode.range?.[0] ?? best;
      node = pair.value;
      best = (pair.value as Node | null)?.range?.[0] ?? keyNode.range?.[0] ?? best;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      best = (node as Node | null)?.range?.[0] ?? best;
    } else {
      return best;
    }
  }
  return best;
}

function checkReferences(
  doc: Document,
  cfg: RawConfig,
  fail: (offset: number | undefined, path: KeyPath, detail: string) => never,
): void {
  const handlerNames = Object.keys(cfg.handlers ?? {});
  const formatterNames = Object.keys(cfg.formatters ?? {});
  const channels: [KeyPath, RawChannel][] = [];
  if (cfg.root) channels.push([['root'], cfg.root]);
  for (const [name, ch] of Object.entries(cfg.loggers ?? {})) channels.push([['loggers', name], ch]);
  for (const [path, ch] of channels) {
    (ch.handlers ?? []).forEach((h, i) => {
      if (!handlerNames.includes(h)) {
        const p = [...path, 'handlers', i];
        const defined = handlerNames.length
          ? `defined: ${handlerNames.join(', ')}`
          : 'no handlers are defined';
        fail(
          offsetOf(doc, p, false),
          p,
          `unknown handler '${h}'${didYouMeanSuffix(h, handlerNames)}; ${defined}`,
        );
      }
      if (HANDLER_CLASS_ALIASES[String(cfg.handlers?.[h]?.class)] === 'traces') {
        const p = [...path, 'handlers', i];
        fail(
          offsetOf(doc, p, false),
          p,
          `handler '${h}' is a trace sink (class ${cfg.handlers?.[h]?.class}): it writes every span and takes no channel's records; remove it from this list`,
        );
      }
    });
  }
  for (const [name, h] of Object.entries(cfg.handlers ?? {})) {
    const f = h.formatter;
    if (typeof f === 'string' && !formatterNames.includes(f)) {
      const p = ['handlers', name, 'formatter'];
      const defined = formatterNames.length
        ? `defined: ${formatterNames.join(', ')}`
        : 'no formatters are defined';
      fail(
        offsetOf(doc, p, false),
        p,
        `unknown formatter '${f}'${didYouMeanSuffix(f, formatterNames)}; ${defined}`,
      );
    }
  }
  const queues: [KeyPath, unknown][] = [[['otlp', 'queue'], cfg.otlp?.queue]];
  for (const [name, h] of Object.entries(cfg.handlers ?? {}))
    queues.push([['handlers', name, 'queue'], h.queue]);
  for (const [path, q] of queues) {
    const retry = (q as { retry?: { initial_interval?: number; max_interval?: number } } | undefined)?.retry;
    if (retry?.initial_interval !== undefined && retry.max_interval !== undefined) {
      if (retry.initial_interval > retry.max_interval) {
        const p = [...path, 'retry', 'max_interval'];
        fail(
          offsetOf(doc, p, false),
          p,
          `max_interval (${retry.max_interval} s) is shorter than initial_interval (${retry.initial_interval} s)`,
        );
      }
    }
  }
  (cfg.limits?.redact ?? []).forEach((pattern, i) => {
    const p = ['limits', 'redact', i];
    try {
      new RegExp(pattern, 'g');
    } catch (err) {
      fail(offsetOf(doc, p, false), p, `invalid regular expression: ${(err as Error).message}`);
      return;
    }
    // Redaction runs on every message and string attribute on the training thread: a pattern that
    // backtracks exponentially on some input would hang the trainer. Nested repetition (star height
    // above 1) is what makes JavaScript's backtracking engine exponential.
    if (!safeRegex(pattern, { limit: REDACT_MAX_REPETITIONS })) {
      fail(
        offsetOf(doc, p, false),
        p,
        'the pattern can take exponential time on some inputs: a repetition inside another repetition ' +
          '(such as (a+)+ or (\\w+\\s?)*), or more than ' +
          `${REDACT_MAX_REPETITIONS} repetitions; redaction runs on every log string, so write it without nesting`,
      );
    }
  });
  for (const [name, f] of Object.entries(cfg.formatters ?? {})) {
    if (f.format === 'json' || f.class === 'json') continue;
    if (f.fields !== undefined) {
      const p = ['formatters', name, 'fields'];
      fail(offsetOf(doc, p, true), p, "'fields' applies only to the JSON formatter (format: json)");
    }
  }
}
