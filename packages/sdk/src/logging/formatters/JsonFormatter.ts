import type { FormatInput, LogFormatter } from './FormatInput.js';

export interface JsonFormatterOptions {
  /**
   * Keys of each line, in order. Known fields: `timestamp` (ISO 8601 UTC with milliseconds),
   * `level` / `levelname`, `levelno`, `name`, `message`, `attributes` (the record's attributes),
   * `exception` ({type, message, stacktrace}); any other name is looked up as a record attribute
   * (`grpo.step`). A field without a value in a record is left out of that line.
   */
  fields?: readonly string[];
}

/** Used when no `fields` are given. */
export const DEFAULT_JSON_FIELDS: readonly string[] = ['timestamp', 'level', 'name', 'message', 'attributes'];

type Getter = (input: FormatInput) => unknown;

const KNOWN_FIELDS: Readonly<Record<string, Getter>> = {
  timestamp: (r) => isoTimestamp(r.timeMs),
  level: (r) => r.levelname,
  levelname: (r) => r.levelname,
  levelno: (r) => r.levelno,
  name: (r) => r.name,
  message: (r) => r.message,
  attributes: (r) => r.attributes,
  exception: (r) => r.exception,
};

/**
 * One JSON object per record (the seed's `format: json` formatter). Never throws: values JSON cannot
 * hold are written as text (NaN, Infinity and -Infinity as "NaN", "Infinity", "-Infinity"; a bigint
 * as its decimal digits; a cycle as "[Circular]"), so a record is never lost to its content.
 */
export class JsonFormatter implements LogFormatter {
  private readonly fields: ReadonlyArray<readonly [prefix: string, get: Getter]>;

  constructor(options: JsonFormatterOptions = {}) {
    const names = options.fields ?? DEFAULT_JSON_FIELDS;
    if (!Array.isArray(names)) {
      throw new TypeError(`JsonFormatter: fields must be an array of field names, got ${typeof names}`);
    }
    const seen = new Set<string>();
    const fields: Array<readonly [string, Getter]> = [];
    for (const [i, name] of names.entries()) {
      if (typeof name !== 'string' || name === '') {
        throw new TypeError(
          `JsonFormatter: fields[${i}] must be a non-empty string, got ${JSON.stringify(name)}`,
        );
      }
      if (seen.has(name)) throw new TypeError(`JsonFormatter: fields[${i}]: '${name}' is listed twice`);
      seen.add(name);
      const known = Object.hasOwn(KNOWN_FIELDS, name) ? KNOWN_FIELDS[name] : undefined;
      fields.push([`${JSON.stringify(name)}:`, known ?? ((r) => attributeValue(r.attributes, name))]);
    }
    this.fields = fields;
  }

  format(input: FormatInput): string {
    let out = '{';
    let first = true;
    for (const [prefix, get] of this.fields) {
      let value: unknown;
      try {
        value = get(input);
      } catch {
        value = '[unreadable]';
      }
      const json = safeJsonStringify(value, true);
      if (json === undefined) continue;
      out += (first ? '' : ',') + prefix + json;
      first = false;
    }
    return `${out}}`;
  }
}

function attributeValue(attributes: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(attributes, key) ? attributes[key] : undefined;
}

function isoTimestamp(timeMs: number): string | undefined {
  const d = new Date(Math.floor(timeMs));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

const MAX_DEPTH = 64;

/**
 * JSON text of any value; never throws. NaN and ±Infinity become the strings "NaN", "Infinity",
 * "-Infinity"; a bigint its decimal digits as a string; a cycle "[Circular]"; a Uint8Array its base64;
 * a Map an object, a Set an array; an Error {name, message, stack}; functions and symbols are left out
 * (null in arrays). Objects nested deeper than 64 levels become "[MaxDepth]".
 * With `omitUndefined`, a top-level undefined gives undefined (the caller leaves the key out);
 * otherwise it gives "null".
 */
export function safeJsonStringify(value: unknown, omitUndefined = false): string | undefined {
  try {
    const out = write(value, [], 0);
    if (out !== undefined) return out;
  } catch {
    return JSON.stringify('[Unserializable]');
  }
  return omitUndefined ? undefined : 'null';
}

function write(value: unknown, stack: object[], depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (Number.isFinite(value)) return String(value);
      return Number.isNaN(value) ? '"NaN"' : value > 0 ? '"Infinity"' : '"-Infinity"';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return `"${value.toString()}"`;
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (stack.includes(obj)) return '"[Circular]"';
  if (depth >= MAX_DEPTH) return '"[MaxDepth]"';
  stack.push(obj);
  try {
    return writeObject(obj, stack, depth + 1);
  } catch {
    // A throwing getter or toJSON loses that value only.
    return '"[Unserializable]"';
  } finally {
    stack.pop();
  }
}

function writeObject(obj: object, stack: object[], depth: number): string | undefined {
  if (Array.isArray(obj)) return writeArray(obj, stack, depth);
  if (obj instanceof Uint8Array)
    return JSON.stringify(Buffer.from(obj.buffer, obj.byteOffset, obj.byteLength).toString('base64'));
  if (ArrayBuffer.isView(obj))
    return writeArray(Array.from(obj as unknown as ArrayLike<unknown>), stack, depth);
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'null' : JSON.stringify(obj.toISOString());
  if (obj instanceof Map) {
    const entries: Array<[string, unknown]> = [];
    for (const [k, v] of obj) entries.push([String(k), v]);
    return writeEntries(entries, stack, depth);
  }
  if (obj instanceof Set) return writeArray([...obj], stack, depth);
  if (obj instanceof Error) {
    return writeEntries(
      [
        ['name', obj.name],
        ['message', obj.message],
        ['stack', obj.stack],
      ],
      stack,
      depth,
    );
  }
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    const replaced: unknown = toJSON.call(obj);
    if (replaced !== obj) return write(replaced, stack, depth);
  }
  return writeEntries(Object.entries(obj), stack, depth);
}

function writeArray(items: readonly unknown[], stack: object[], depth: number): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    out += (i === 0 ? '' : ',') + (write(items[i], stack, depth) ?? 'null');
  }
  return `${out}]`;
}

function writeEntries(
  entries: ReadonlyArray<readonly [string, unknown]>,
  stack: object[],
  depth: number,
): string {
  let out = '{';
  let first = true;
  for (const [k, v] of entries) {
    const json = write(v, stack, depth);
    if (json === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${json}`;
    first = false;
  }
  return `${out}}`;
}
