import { isMainThread, threadId } from 'node:worker_threads';
import { codePointLength } from '@grpo-otel/metrics';
import { diag } from '@opentelemetry/api';
import type { FormatInput, LogFormatter } from './FormatInput.js';
import { type CompiledStrftime, compileStrftime } from './strftime.js';

export interface PythonFormatterOptions {
  /** Python logging format string. Default: `%(message)s` (`{message}`, `${message}` for the other styles). */
  format?: string;
  /** strftime format of `asctime`. Default: Python's `%Y-%m-%d %H:%M:%S,mmm` (milliseconds after a comma). */
  datefmt?: string;
  /** `%` printf-style (default), `{` str.format-style, `$` string.Template-style. */
  style?: '%' | '{' | '$';
  /** Times in UTC (Python's `converter = time.gmtime`) instead of local time. Default false. */
  utc?: boolean;
  /** Values of fields a record does not have (Python's `defaults`). */
  defaults?: Readonly<Record<string, unknown>>;
  /** Origin of `relativeCreated`, epoch ms. Default: when this module was loaded (like Python's logging import). */
  startTimeMs?: number;
}

/** The seed's `standard` formatter. */
export const STANDARD_FORMAT = '%(asctime)s - %(name)s - %(levelname)s - %(message)s';
export const STANDARD_DATEFMT = '%Y-%m-%d %H:%M:%S';

// biome-ignore lint/suspicious/noTemplateCurlyInString: a string.Template format, not a JS template.
const DEFAULT_FORMATS = { '%': '%(message)s', '{': '{message}', $: '${message}' } as const;
const MODULE_START_MS = Date.now();
const MISSING: unique symbol = Symbol('missing');

type Getter = (input: FormatInput) => unknown;
/** A field's getter, and whether Python holds it as a float (created, msecs, relativeCreated). */
interface Field {
  get: Getter;
  float: boolean;
}
type Part = string | ((input: FormatInput) => string);

/**
 * Python's `logging.Formatter` for OTel log records: the same format strings (all three styles),
 * the same `asctime` (strftime `datefmt`, or `2024-01-02 03:04:05,678`), the same printf conversions
 * (flags, width, precision, `s r a d i u o x X e E f F g G c`), and the exception text appended on
 * its own line. Any record attribute is a field by its key: `%(grpo.step)05d`.
 *
 * The format is compiled once, here. A malformed format throws (at configuration time, with what is
 * wrong and where); formatting never throws: a field the record lacks renders empty and a value of
 * the wrong type for its conversion renders as `%s` would, each reported once through `diag.warn`.
 */
export class PythonFormatter implements LogFormatter {
  private readonly parts: Part[];
  private readonly dateFormat: CompiledStrftime;
  private readonly defaultDatefmt: boolean;
  private readonly startTimeMs: number;
  private readonly defaults: Readonly<Record<string, unknown>> | undefined;
  private readonly warned = new Set<string>();
  private readonly fmt: string;
  private lastSecond = Number.NaN;
  private lastSecondText = '';

  constructor(options: PythonFormatterOptions = {}) {
    const style = options.style ?? '%';
    if (style !== '%' && style !== '{' && style !== '$') {
      throw new TypeError(`PythonFormatter: style must be one of %, {, $; got ${JSON.stringify(style)}`);
    }
    for (const key of ['format', 'datefmt'] as const) {
      const v = options[key];
      if (v !== undefined && typeof v !== 'string') {
        throw new TypeError(`PythonFormatter: ${key} must be a string, got ${typeof v}`);
      }
    }
    if (options.startTimeMs !== undefined && !Number.isFinite(options.startTimeMs)) {
      throw new TypeError('PythonFormatter: startTimeMs must be a finite number of epoch milliseconds');
    }
    // Python: `fmt or default`, `if datefmt:` (an empty string means the default).
    this.fmt = options.format || DEFAULT_FORMATS[style];
    this.defaultDatefmt = !options.datefmt;
    this.dateFormat = compileStrftime(options.datefmt || '%Y-%m-%d %H:%M:%S', { utc: options.utc === true });
    this.startTimeMs = options.startTimeMs ?? MODULE_START_MS;
    this.defaults = options.defaults;
    const compiled =
      style === '%'
        ? this.compilePercent(this.fmt)
        : style === '{'
          ? this.compileBrace(this.fmt)
          : this.compileDollar(this.fmt);
    if (!compiled.fields)
      throw new Error(`PythonFormatter: invalid format ${JSON.stringify(this.fmt)}: no fields`);
    this.parts = mergeLiterals(compiled.parts);
  }

  /** The record as Python's Formatter.format() would print it, exception text included. Never throws. */
  format(input: FormatInput): string {
    const parts = this.parts;
    let s = '';
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (typeof p === 'string') s += p;
      else {
        try {
          s += p(input);
        } catch (err) {
          this.warnOnce(
            `throw:${i}`,
            `a field of format ${JSON.stringify(this.fmt)} failed to render: ${String(err)}`,
          );
        }
      }
    }
    const exc = input.exception;
    if (exc === undefined) return s;
    const text = exceptionText(exc);
    if (!text) return s;
    return s.endsWith('\n') ? s + text : `${s}\n${text}`;
  }

  /** `asctime`: strftime of the record's time, plus `,mmm` without a datefmt (Python's default_msec_format). */
  private asctime(timeMs: number): string {
    const ms = Math.floor(timeMs);
    let text: string;
    if (this.dateFormat.subSecond) text = this.dateFormat(timeMs);
    else {
      const second = Math.floor(ms / 1000);
      if (second !== this.lastSecond) {
        this.lastSecondText = this.dateFormat(timeMs);
        this.lastSecond = second;
      }
      text = this.lastSecondText;
    }
    if (!this.defaultDatefmt || !Number.isFinite(ms)) return text;
    const msecs = ((ms % 1000) + 1000) % 1000;
    return `${text},${msecs < 10 ? '00' : msecs < 100 ? '0' : ''}${msecs}`;
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    diag.warn(`PythonFormatter: ${message}`);
  }

  private field(key: string): Field {
    const float = (get: Getter): Field => ({ get, float: true });
    const plain = (get: Getter): Field => ({ get, float: false });
    switch (key) {
      case 'name':
        return plain((r) => r.name);
      case 'levelname':
        return plain((r) => r.levelname);
      case 'levelno':
        return plain((r) => r.levelno);
      case 'message':
      case 'msg':
        return plain((r) => r.message);
      case 'asctime':
        return plain((r) => this.asctime(r.timeMs));
      case 'created':
        return float((r) => r.timeMs / 1000);
      case 'msecs':
        return float((r) => {
          const ms = Math.floor(r.timeMs);
          return ((ms % 1000) + 1000) % 1000;
        });
      case 'relativeCreated':
        return float((r) => r.timeMs - this.startTimeMs);
      case 'process':
        return plain(() => process.pid);
      case 'processName':
        return plain(() => 'MainProcess');
      case 'thread':
        return plain(() => threadId);
      case 'threadName':
        return plain(() => (isMainThread ? 'MainThread' : `Thread-${threadId}`));
      case 'pathname':
        return plain(pathnameOf);
      case 'filename':
        return plain((r) => basename(pathnameOf(r)));
      case 'module':
        return plain((r) => stripExtension(basename(pathnameOf(r))));
      case 'funcName':
        return plain(
          (r) =>
            stringAttr(r.attributes, 'code.function') ??
            stringAttr(r.attributes, 'code.function.name') ??
            '(unknown function)',
        );
      case 'lineno':
        return plain((r) => {
          const v = r.attributes['code.lineno'] ?? r.attributes['code.line.number'];
          return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0;
        });
      default: {
        const defaults = this.defaults;
        const hasDefault = defaults !== undefined && Object.hasOwn(defaults, key);
        const fallback = hasDefault ? defaults[key] : MISSING;
        return plain((r) => (Object.hasOwn(r.attributes, key) ? r.attributes[key] : fallback));
      }
    }
  }

  private missing(key: string): void {
    this.warnOnce(
      `missing:${key}`,
      `field '${key}' of format ${JSON.stringify(this.fmt)} is not in the record; rendered empty`,
    );
  }

  private wrongType(key: string, conversion: string, value: unknown): void {
    this.warnOnce(
      `type:${key}:${conversion}`,
      `field '${key}' (${describeType(value)}) cannot be formatted with '${conversion}' in ${JSON.stringify(this.fmt)}; rendered as text`,
    );
  }

  // ------------------------------------------------------------------ %-style

  private compilePercent(fmt: string): { parts: Part[]; fields: number } {
    const parts: Part[] = [];
    let fields = 0;
    let i = 0;
    const n = fmt.length;
    const fail = (what: string, at: number): never => {
      throw new Error(`PythonFormatter: invalid format ${JSON.stringify(fmt)}: ${what} at index ${at}`);
    };
    while (i < n) {
      const pct = fmt.indexOf('%', i);
      if (pct < 0) {
        parts.push(fmt.slice(i));
        break;
      }
      if (pct > i) parts.push(fmt.slice(i, pct));
      let j = pct + 1;
      if (j >= n) fail('incomplete format', pct);
      if (fmt[j] === '%') {
        parts.push('%');
        i = j + 1;
        continue;
      }
      if (fmt[j] !== '(') {
        fail(`'%${fmt[j]}' has no (key): every directive must name a field, like %(message)s`, pct);
      }
      let depth = 1;
      const keyStart = j + 1;
      j = keyStart;
      while (j < n && depth > 0) {
        if (fmt[j] === '(') depth++;
        else if (fmt[j] === ')') depth--;
        j++;
      }
      if (depth > 0) fail('incomplete format key', pct);
      const key = fmt.slice(keyStart, j - 1);
      const spec: PercentSpec = {
        minus: false,
        plus: false,
        space: false,
        zero: false,
        alt: false,
        width: -1,
        prec: -1,
        conv: 's',
      };
      for (; j < n; j++) {
        const c = fmt[j];
        if (c === '-') spec.minus = true;
        else if (c === '+') spec.plus = true;
        else if (c === ' ') spec.space = true;
        else if (c === '#') spec.alt = true;
        else if (c === '0') spec.zero = true;
        else break;
      }
      if (fmt[j] === '*') fail("'*' width is not possible with named fields", j);
      if (isDigit(fmt, j)) {
        spec.width = 0;
        while (isDigit(fmt, j)) spec.width = spec.width * 10 + (fmt.charCodeAt(j++) - 48);
      }
      if (fmt[j] === '.') {
        j++;
        if (fmt[j] === '*') fail("'*' precision is not possible with named fields", j);
        spec.prec = 0;
        while (isDigit(fmt, j)) spec.prec = spec.prec * 10 + (fmt.charCodeAt(j++) - 48);
      }
      if (fmt[j] === 'h' || fmt[j] === 'l' || fmt[j] === 'L') j++;
      if (j >= n) fail('incomplete format', pct);
      const conv = fmt[j]!;
      if (!'sradiuoxXeEfFgGc'.includes(conv)) {
        fail(`unsupported format character '${conv}' (0x${conv.charCodeAt(0).toString(16)})`, j);
      }
      spec.conv = conv;
      parts.push(this.percentField(key, spec));
      fields++;
      i = j + 1;
    }
    return { parts, fields };
  }

  private percentField(key: string, spec: PercentSpec): (input: FormatInput) => string {
    const { get, float } = this.field(key);
    const simple = spec.conv === 's' && spec.width < 0 && spec.prec < 0;
    return (input) => {
      const value = get(input);
      if (value === MISSING) {
        this.missing(key);
        return padText('', spec.width, spec.minus);
      }
      if (simple) return typeof value === 'string' ? value : pyStr(value, float);
      const out = percentConvert(value, float, spec);
      if (out !== undefined) return out;
      this.wrongType(key, `%${spec.conv}`, value);
      return padText(pyStr(value, float), spec.width, spec.minus);
    };
  }

  // ------------------------------------------------------------------ {-style

  private compileBrace(fmt: string): { parts: Part[]; fields: number } {
    const parts: Part[] = [];
    let fields = 0;
    let literal = '';
    const n = fmt.length;
    const fail = (what: string): never => {
      throw new Error(`PythonFormatter: invalid format ${JSON.stringify(fmt)}: ${what}`);
    };
    let i = 0;
    while (i < n) {
      const c = fmt[i]!;
      if (c === '}') {
        if (fmt[i + 1] !== '}') fail(`single '}' at index ${i}`);
        literal += '}';
        i += 2;
        continue;
      }
      if (c !== '{') {
        literal += c;
        i++;
        continue;
      }
      if (fmt[i + 1] === '{') {
        literal += '{';
        i += 2;
        continue;
      }
      const close = fmt.indexOf('}', i + 1);
      if (close < 0) fail(`expected '}' after index ${i}`);
      const body = fmt.slice(i + 1, close);
      if (body.includes('{')) fail(`nested fields are not supported (index ${i})`);
      const colon = body.indexOf(':');
      const head = colon < 0 ? body : body.slice(0, colon);
      const specText = colon < 0 ? '' : body.slice(colon + 1);
      const bang = head.indexOf('!');
      const key = bang < 0 ? head : head.slice(0, bang);
      const conversion = bang < 0 ? '' : head.slice(bang + 1);
      if (key === '' || /^\d+$/.test(key))
        fail(`positional field '{${head}}': name a record field, like {message}`);
      if (bang >= 0 && conversion !== 'r' && conversion !== 's' && conversion !== 'a') {
        fail(`invalid conversion '!${conversion}' (expected !r, !s or !a)`);
      }
      const spec = parseFormatSpec(specText);
      if (spec === undefined) fail(`bad format specifier '${specText}' for field '${key}'`);
      if (literal) parts.push(literal);
      literal = '';
      parts.push(this.braceField(key, conversion, spec!, specText));
      fields++;
      i = close + 1;
    }
    if (literal) parts.push(literal);
    return { parts, fields };
  }

  private braceField(
    key: string,
    conversion: string,
    spec: FormatSpec,
    specText: string,
  ): (input: FormatInput) => string {
    const { get, float } = this.field(key);
    const simple = conversion === '' && specText === '';
    return (input) => {
      let value = get(input);
      if (value === MISSING) {
        this.missing(key);
        return formatSpecString('', spec) ?? '';
      }
      if (simple) return typeof value === 'string' ? value : pyStr(value, float);
      let isFloat = float;
      if (conversion !== '') {
        value =
          conversion === 'r'
            ? pyRepr(value, float)
            : conversion === 'a'
              ? pyAscii(value, float)
              : pyStr(value, float);
        isFloat = false;
      }
      const out = formatSpecValue(value, isFloat, spec, specText);
      if (out !== undefined) return out;
      this.wrongType(key, `:${specText}`, value);
      return (
        formatSpecString(pyStr(value, isFloat), {
          ...spec,
          type: '',
          sign: '',
          alt: false,
          align: spec.align === '=' ? '' : spec.align,
        }) ?? pyStr(value, isFloat)
      );
    };
  }

  // ------------------------------------------------------------------ $-style

  private compileDollar(fmt: string): { parts: Part[]; fields: number } {
    const parts: Part[] = [];
    let fields = 0;
    let literal = '';
    const n = fmt.length;
    let i = 0;
    while (i < n) {
      const d = fmt.indexOf('$', i);
      if (d < 0) {
        literal += fmt.slice(i);
        break;
      }
      literal += fmt.slice(i, d);
      let key: string | undefined;
      let next = d + 1;
      if (fmt[d + 1] === '$') {
        literal += '$';
        i = d + 2;
        continue;
      }
      if (fmt[d + 1] === '{') {
        const close = fmt.indexOf('}', d + 2);
        const name = close < 0 ? '' : fmt.slice(d + 2, close);
        if (/^[_a-zA-Z][_a-zA-Z0-9.]*$/.test(name)) {
          key = name;
          next = close + 1;
        }
      } else {
        const m = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(fmt.slice(d + 1));
        if (m) {
          key = m[0];
          next = d + 1 + key.length;
        }
      }
      if (key === undefined) {
        throw new Error(
          `PythonFormatter: invalid format ${JSON.stringify(fmt)}: bare '$' at index ${d} (write $$ for a dollar sign)`,
        );
      }
      if (literal) parts.push(literal);
      literal = '';
      const { get, float } = this.field(key);
      const k = key;
      parts.push((input) => {
        const value = get(input);
        if (value === MISSING) {
          this.missing(k);
          return '';
        }
        return typeof value === 'string' ? value : pyStr(value, float);
      });
      fields++;
      i = next;
    }
    if (literal) parts.push(literal);
    return { parts, fields };
  }
}

function mergeLiterals(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p;
    else if (p !== '') out.push(p);
  }
  return out;
}

function exceptionText(exc: NonNullable<FormatInput['exception']>): string {
  let text = exc.stacktrace;
  if (!text) {
    if (exc.type && exc.message) text = `${exc.type}: ${exc.message}`;
    else text = exc.type || exc.message || '';
  }
  // Python's formatException drops one trailing newline.
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

function stringAttr(attributes: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const v = attributes[key];
  return typeof v === 'string' ? v : undefined;
}

function pathnameOf(r: FormatInput): string {
  return (
    stringAttr(r.attributes, 'code.filepath') ??
    stringAttr(r.attributes, 'code.file.path') ??
    '(unknown file)'
  );
}

/** os.path.basename (POSIX). */
function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** os.path.splitext(name)[0]: a leading run of dots is not an extension. */
function stripExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return name;
  for (let i = 0; i < dot; i++) if (name[i] !== '.') return name.slice(0, dot);
  return name;
}

function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (Array.isArray(value)) return 'list';
  return typeof value;
}

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** The first `count` code points of `s`. */
function codePointPrefix(s: string, count: number): string {
  if (count >= s.length) return s;
  let units = 0;
  for (let k = 0; k < count && units < s.length; k++) {
    const c = s.charCodeAt(units);
    units += c >= 0xd800 && c <= 0xdbff && units + 1 < s.length ? 2 : 1;
  }
  return s.slice(0, units);
}

function padText(s: string, width: number, left: boolean): string {
  if (width < 0) return s;
  const len = codePointLength(s);
  if (len >= width) return s;
  const pad = ' '.repeat(width - len);
  return left ? s + pad : pad + s;
}

// ---------------------------------------------------------------------------------------------
// Python's str(), repr() and ascii() of the values a record can hold.

function pyStr(value: unknown, float: boolean): string {
  return typeof value === 'string' ? value : pyRepr(value, float);
}

function pyRepr(value: unknown, float: boolean, seen: object[] = []): string {
  switch (typeof value) {
    case 'string':
      return stringRepr(value);
    case 'number':
      return isPyInt(value, float) ? String(value) : floatRepr(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'True' : 'False';
    case 'undefined':
      return 'None';
    case 'symbol':
      return value.toString();
    case 'function':
      return `<function ${value.name || '<anonymous>'}>`;
    default:
      break;
  }
  if (value === null) return 'None';
  const obj = value as object;
  if (obj instanceof Uint8Array) return bytesRepr(obj);
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'NaT' : stringRepr(obj.toISOString());
  if (obj instanceof Error) return `${obj.name}(${stringRepr(obj.message)})`;
  const isArray = Array.isArray(obj);
  if (seen.includes(obj)) return isArray ? '[...]' : '{...}';
  seen.push(obj);
  try {
    if (isArray) return `[${obj.map((v) => pyRepr(v, false, seen)).join(', ')}]`;
    const entries = obj instanceof Map ? [...obj.entries()] : Object.entries(obj);
    return `{${entries.map(([k, v]) => `${pyRepr(k, false, seen)}: ${pyRepr(v, false, seen)}`).join(', ')}}`;
  } finally {
    seen.pop();
  }
}

function pyAscii(value: unknown, float: boolean): string {
  const r = pyRepr(value, float);
  let out = '';
  for (const ch of r) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out += ch;
    else if (cp <= 0xff) out += `\\x${hex(cp, 2)}`;
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return out;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
const PLAIN_ASCII = /^[\x20-\x26\x28-\x5b\x5d-\x7e]*$/;

/** repr() of a str: Python's quote choice and escapes (non-printable characters as \x, \u, \U). */
function stringRepr(s: string): string {
  if (PLAIN_ASCII.test(s)) return `'${s}'`;
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x7f) out += ch;
    else if (ch === ' ' || !NON_PRINTABLE.test(ch)) out += ch;
    else if (cp <= 0xff) out += `\\x${hex(cp, 2)}`;
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return out + quote;
}

function bytesRepr(b: Uint8Array): string {
  let hasSingle = false;
  let hasDouble = false;
  for (const c of b) {
    if (c === 0x27) hasSingle = true;
    else if (c === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? '"' : "'";
  let out = `b${quote}`;
  for (const c of b) {
    const ch = String.fromCharCode(c);
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c >= 0x7f) out += `\\x${hex(c, 2)}`;
    else out += ch;
  }
  return out + quote;
}

/**
 * Whether Python would hold this JS number as an int: a safe integer that is not a float field.
 * Beyond 2^53 (and -0) a JS number is a float in all but name; a bigint is always an int.
 */
function isPyInt(n: number, float: boolean): boolean {
  return !float && Number.isSafeInteger(n) && !Object.is(n, -0);
}

// ---------------------------------------------------------------------------------------------
// Floats, digit for digit as CPython prints them (correctly rounded, ties to even).

const view = new DataView(new ArrayBuffer(8));

/** x > 0 finite as m * 2^e with m odd. */
function decompose(x: number): [m: number, e: number] {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let m = (hi & 0xfffff) * 4294967296 + lo;
  let e: number;
  if (biased === 0) e = -1074;
  else {
    m += 4503599627370496;
    e = biased - 1075;
  }
  while (m % 2 === 0) {
    m /= 2;
    e++;
  }
  return [m, e];
}

/** Whether x * 10^s lies exactly halfway between two integers (where JS and C round differently). */
function isTie(x: number, s: number): boolean {
  const [m, e] = decompose(x);
  if (e + s + 1 !== 0) return false;
  if (s >= 0) return true;
  return -s <= 22 && m % 5 ** -s === 0;
}

/** The exact decimal value of x > 0: digits D and exponent E with x = D * 10^E. */
function exactDecimal(x: number): [string, number] {
  const [m, e] = decompose(x);
  if (e >= 0) return [(BigInt(m) << BigInt(e)).toString(), 0];
  return [(BigInt(m) * 5n ** BigInt(-e)).toString(), e];
}

/** The leading `keep` digits of D, rounded half-even on the rest (may gain a digit on carry). */
function roundKeep(d: string, keep: number): string {
  if (keep >= d.length) return d + '0'.repeat(keep - d.length);
  if (keep < 0) return '0';
  const kept = keep === 0 ? '0' : d.slice(0, keep);
  const first = d.charCodeAt(keep) - 48;
  let up = first > 5;
  if (first === 5) {
    up = (kept.charCodeAt(kept.length - 1) - 48) % 2 === 1;
    for (let i = keep + 1; i < d.length && !up; i++) if (d[i] !== '0') up = true;
  }
  return up ? (BigInt(kept) + 1n).toString() : kept;
}

/** x >= 0 with exactly p digits after the point ('%.{p}f' of the magnitude). */
function fixedDigits(x: number, p: number): string {
  if (x === 0) return p === 0 ? '0' : `0.${'0'.repeat(p)}`;
  if (x < 1e21 && p <= 100 && !isTie(x, p)) return x.toFixed(p);
  const [d, e] = exactDecimal(x);
  const s = roundKeep(d, d.length + e + p).padStart(p + 1, '0');
  return p === 0 ? s : `${s.slice(0, -p)}.${s.slice(-p)}`;
}

/** x > 0 rounded to `count` significant digits: the digits and the decimal exponent of the first. */
function significantDigits(x: number, count: number): [string, number] {
  if (count <= 101) {
    const k = Math.floor(Math.log10(x));
    const s = count - 1 - k;
    if (!isTie(x, s) && !isTie(x, s - 1) && !isTie(x, s + 1)) {
      const t = x.toExponential(count - 1);
      const at = t.indexOf('e');
      return [t.slice(0, at).replace('.', ''), Number(t.slice(at + 1))];
    }
  }
  const [d, e] = exactDecimal(x);
  let k = d.length - 1 + e;
  let digits = roundKeep(d, count);
  if (digits.length > count) {
    digits = digits.slice(0, count);
    k++;
  }
  return [digits, k];
}

/** The shortest digits that round-trip (Python's repr, JS's ToString) and their decimal exponent. */
function shortestDigits(x: number): [string, number] {
  const t = x.toExponential();
  const at = t.indexOf('e');
  return [t.slice(0, at).replace('.', ''), Number(t.slice(at + 1))];
}

/** CPython's format_float_short layout, for the 'g' and 'r' modes. */
function layoutDigits(
  digits: string,
  decpt: number,
  useExp: boolean,
  vdigitsEnd: number,
  alt: boolean,
  addDot0: boolean,
  upper: boolean,
): string {
  let exp = 0;
  if (useExp) {
    exp = decpt - 1;
    decpt = 1;
  }
  const vStart = decpt <= 0 ? decpt - 1 : 0;
  const vEnd = !useExp && addDot0 ? Math.max(vdigitsEnd, decpt + 1) : Math.max(vdigitsEnd, decpt);
  const n = digits.length;
  let s = '';
  if (decpt <= 0) s += `${'0'.repeat(decpt - vStart)}.${'0'.repeat(-decpt)}`;
  if (decpt > 0 && decpt <= n) s += `${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  else s += digits;
  if (n < decpt) s += `${'0'.repeat(decpt - n)}.${'0'.repeat(vEnd - decpt)}`;
  else if (vEnd > n) s += '0'.repeat(vEnd - n);
  if (s.endsWith('.') && !alt) s = s.slice(0, -1);
  if (useExp) s += (upper ? 'E' : 'e') + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
  return s;
}

function stripTrailingZeros(d: string): string {
  let end = d.length;
  while (end > 1 && d.charCodeAt(end - 1) === 48) end--;
  return d.slice(0, end);
}

function nonFinite(x: number, upper: boolean): string {
  const s = Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  return upper ? s.toUpperCase() : s;
}

/** repr(float). */
function floatRepr(x: number): string {
  if (!Number.isFinite(x)) return nonFinite(x, false);
  const neg = x < 0 || Object.is(x, -0);
  if (x === 0) return neg ? '-0.0' : '0.0';
  const [digits, k] = shortestDigits(Math.abs(x));
  const decpt = k + 1;
  return (
    (neg ? '-' : '') +
    layoutDigits(digits, decpt, decpt <= -4 || decpt > 16, digits.length, false, true, false)
  );
}

/** A float in one of the printf types e E f F g G (also format-spec 'r' for none-with-precision). */
function formatFloat(x: number, type: string, prec: number, alt: boolean, addDot0 = false): string {
  const upper = type === 'E' || type === 'F' || type === 'G';
  if (!Number.isFinite(x)) return nonFinite(x, upper);
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let body: string;
  switch (type) {
    case 'f':
    case 'F':
      body = fixedDigits(a, prec) + (alt && prec === 0 ? '.' : '');
      break;
    case 'e':
    case 'E': {
      const [d, k] = a === 0 ? ['0'.repeat(prec + 1), 0] : significantDigits(a, prec + 1);
      body =
        d[0] +
        (prec > 0 ? `.${d.slice(1)}` : alt ? '.' : '') +
        (upper ? 'E' : 'e') +
        (k < 0 ? '-' : '+') +
        String(Math.abs(k)).padStart(2, '0');
      break;
    }
    default: {
      const p = prec === 0 ? 1 : prec;
      const [d, k] = a === 0 ? ['0', 0] : significantDigits(a, p);
      const digits = stripTrailingZeros(d);
      const decpt = k + 1;
      const useExp = decpt <= -4 || decpt > (addDot0 ? p - 1 : p);
      body = layoutDigits(digits, decpt, useExp, alt ? p : digits.length, alt, addDot0, upper);
    }
  }
  return (neg ? '-' : '') + body;
}

// ---------------------------------------------------------------------------------------------
// printf-style conversions (PyUnicode_Format with a mapping).

interface PercentSpec {
  minus: boolean;
  plus: boolean;
  space: boolean;
  zero: boolean;
  alt: boolean;
  width: number;
  prec: number;
  conv: string;
}

/** The integer Python's int() would take from a value, or undefined (TypeError in Python). */
function toInteger(value: unknown, truncateFloats: boolean, float: boolean): bigint | undefined {
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  if (isPyInt(value, float)) return BigInt(value);
  return truncateFloats ? BigInt(Math.trunc(value)) : undefined;
}

function toFloat(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

function percentConvert(value: unknown, float: boolean, spec: PercentSpec): string | undefined {
  switch (spec.conv) {
    case 's':
    case 'r':
    case 'a': {
      let s =
        spec.conv === 's'
          ? pyStr(value, float)
          : spec.conv === 'r'
            ? pyRepr(value, float)
            : pyAscii(value, float);
      if (spec.prec >= 0) s = codePointPrefix(s, spec.prec);
      return padText(s, spec.width, spec.minus);
    }
    case 'c': {
      let ch: string | undefined;
      if (typeof value === 'string' && codePointLength(value) === 1) ch = value;
      else {
        const n = toInteger(value, false, float);
        if (n !== undefined && n >= 0n && n <= 0x10ffffn) ch = String.fromCodePoint(Number(n));
      }
      return ch === undefined ? undefined : padText(ch, spec.width, spec.minus);
    }
    case 'd':
    case 'i':
    case 'u':
    case 'o':
    case 'x':
    case 'X': {
      const decimal = spec.conv === 'd' || spec.conv === 'i' || spec.conv === 'u';
      const n = toInteger(value, decimal, float);
      if (n === undefined) return undefined;
      const neg = n < 0n;
      let digits = (neg ? -n : n).toString(decimal ? 10 : spec.conv === 'o' ? 8 : 16);
      if (spec.conv === 'X') digits = digits.toUpperCase();
      if (spec.prec > digits.length) digits = '0'.repeat(spec.prec - digits.length) + digits;
      const prefix = spec.alt && !decimal ? (spec.conv === 'o' ? '0o' : spec.conv === 'x' ? '0x' : '0X') : '';
      return assembleNumber(neg, prefix, digits, spec);
    }
    default: {
      const x = toFloat(value);
      if (x === undefined) return undefined;
      const text = formatFloat(x, spec.conv, spec.prec < 0 ? 6 : spec.prec, spec.alt);
      const neg = text.startsWith('-');
      return assembleNumber(neg, '', neg ? text.slice(1) : text, spec);
    }
  }
}

/** CPython's unicode_format_arg_output for numbers: sign, 0x prefix, zero or space padding. */
function assembleNumber(neg: boolean, prefix: string, digits: string, spec: PercentSpec): string {
  const sign = neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  const len = sign.length + prefix.length + digits.length;
  if (spec.width <= len) return sign + prefix + digits;
  const pad = spec.width - len;
  if (spec.minus) return sign + prefix + digits + ' '.repeat(pad);
  if (spec.zero) return sign + prefix + '0'.repeat(pad) + digits;
  return ' '.repeat(pad) + sign + prefix + digits;
}

// ---------------------------------------------------------------------------------------------
// str.format's format-spec mini-language: [[fill]align][sign][z][#][0][width][grouping][.precision][type]

interface FormatSpec {
  fill: string;
  align: string;
  sign: string;
  z: boolean;
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  prec: number;
  type: string;
  /** The '=' alignment came from the '0' flag, not from the spec. */
  zeroAlign: boolean;
}

function parseFormatSpec(s: string): FormatSpec | undefined {
  const spec: FormatSpec = {
    fill: '',
    align: '',
    sign: '',
    z: false,
    alt: false,
    zero: false,
    width: -1,
    grouping: '',
    prec: -1,
    type: '',
    zeroAlign: false,
  };
  const chars = Array.from(s);
  let i = 0;
  const isAlign = (c: string | undefined) => c === '<' || c === '>' || c === '=' || c === '^';
  if (chars.length >= 2 && isAlign(chars[1])) {
    spec.fill = chars[0]!;
    spec.align = chars[1]!;
    i = 2;
  } else if (isAlign(chars[0])) {
    spec.align = chars[0]!;
    i = 1;
  }
  if (chars[i] === '+' || chars[i] === '-' || chars[i] === ' ') spec.sign = chars[i++]!;
  if (chars[i] === 'z') {
    spec.z = true;
    i++;
  }
  if (chars[i] === '#') {
    spec.alt = true;
    i++;
  }
  if (chars[i] === '0') {
    spec.zero = true;
    i++;
  }
  const digit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  if (digit(chars[i])) {
    spec.width = 0;
    while (digit(chars[i])) spec.width = spec.width * 10 + Number(chars[i++]);
  }
  if (chars[i] === ',' || chars[i] === '_') spec.grouping = chars[i++]!;
  if (chars[i] === '.') {
    i++;
    if (!digit(chars[i])) return undefined;
    spec.prec = 0;
    while (digit(chars[i])) spec.prec = spec.prec * 10 + Number(chars[i++]);
  }
  if (i < chars.length) {
    if (i !== chars.length - 1 || !'bcdeEfFgGnosxX%'.includes(chars[i]!)) return undefined;
    spec.type = chars[i]!;
  }
  if (spec.zero) {
    if (!spec.fill) spec.fill = '0';
    if (!spec.align) {
      spec.align = '=';
      spec.zeroAlign = true;
    }
  }
  return spec;
}

function alignText(s: string, spec: FormatSpec, defaultAlign: string): string {
  if (spec.width < 0) return s;
  const len = codePointLength(s);
  if (len >= spec.width) return s;
  const fill = spec.fill || ' ';
  const pad = spec.width - len;
  switch (spec.align || defaultAlign) {
    case '<':
      return s + fill.repeat(pad);
    case '^': {
      const left = Math.floor(pad / 2);
      return fill.repeat(left) + s + fill.repeat(pad - left);
    }
    default:
      return fill.repeat(pad) + s;
  }
}

/** format(str, spec), or undefined where Python raises. */
function formatSpecString(s: string, spec: FormatSpec): string | undefined {
  if (spec.type !== '' && spec.type !== 's') return undefined;
  if (spec.sign || spec.alt || spec.grouping || spec.z || spec.align === '=') {
    // Python 3.10+: a lone '0' flag pads strings with zeros on the default (left) alignment.
    if (!(spec.zeroAlign && !spec.sign && !spec.alt && !spec.grouping && !spec.z)) return undefined;
    return alignText(spec.prec >= 0 ? codePointPrefix(s, spec.prec) : s, { ...spec, align: '<' }, '<');
  }
  return alignText(spec.prec >= 0 ? codePointPrefix(s, spec.prec) : s, spec, '<');
}

function group(intDigits: string, sep: string, every: number): string {
  if (!sep) return intDigits;
  let out = '';
  let count = 0;
  for (let i = intDigits.length - 1; i >= 0; i--) {
    out = intDigits[i] + out;
    if (++count % every === 0 && i > 0) out = sep + out;
  }
  return out;
}

/** Sign, prefix and number padded per the spec (the '=' alignment puts the fill after the sign). */
function alignNumber(
  neg: boolean,
  prefix: string,
  body: string,
  spec: FormatSpec,
  groupEvery: number,
): string {
  const sign = neg ? '-' : spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
  if (spec.align === '=' && spec.width > 0) {
    const room = spec.width - sign.length - prefix.length;
    if (spec.fill === '0' && spec.grouping) {
      // Zero padding is grouped too: 0,001,234.
      const dot = body.search(/[.eE%]/);
      let int = dot < 0 ? body : body.slice(0, dot);
      const rest = dot < 0 ? '' : body.slice(dot);
      const plain = int.split(spec.grouping).join('');
      let digits = plain;
      int = group(digits, spec.grouping, groupEvery);
      while (int.length + rest.length < room || int.startsWith(spec.grouping)) {
        digits = `0${digits}`;
        int = group(digits, spec.grouping, groupEvery);
      }
      return sign + prefix + int + rest;
    }
    const len = codePointLength(body);
    return sign + prefix + (len < room ? (spec.fill || ' ').repeat(room - len) : '') + body;
  }
  return alignText(sign + prefix + body, spec, '>');
}

/** format(value, spec) for the value types a record holds, or undefined where Python raises. */
function formatSpecValue(
  value: unknown,
  float: boolean,
  spec: FormatSpec,
  specText: string,
): string | undefined {
  if (typeof value === 'string') return formatSpecString(value, spec);
  if (typeof value === 'boolean' && specText === '') return value ? 'True' : 'False';
  const isInt =
    typeof value === 'bigint' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && isPyInt(value, float));
  if (isInt && !'eEfFgG%'.includes(spec.type || '_')) {
    if (spec.prec >= 0 || spec.type === 's' || spec.z) return undefined;
    const n = toInteger(value, false, false)!;
    const neg = n < 0n;
    const mag = neg ? -n : n;
    const t = spec.type || 'd';
    if (t === 'c') {
      if (spec.sign || spec.alt || n < 0n || n > 0x10ffffn) return undefined;
      return alignText(String.fromCodePoint(Number(n)), spec, '<');
    }
    if (t === 'n' && spec.grouping) return undefined;
    const base = t === 'b' ? 2 : t === 'o' ? 8 : t === 'x' || t === 'X' ? 16 : 10;
    if (spec.grouping === ',' && base !== 10) return undefined;
    let digits = mag.toString(base);
    if (t === 'X') digits = digits.toUpperCase();
    const prefix = spec.alt && base !== 10 ? `0${t === 'b' ? 'b' : t === 'o' ? 'o' : t}` : '';
    const every = base === 10 ? 3 : 4;
    return alignNumber(neg, prefix, group(digits, spec.grouping, every), spec, every);
  }
  if (typeof value !== 'number' && !isInt) return undefined;
  if (spec.type !== '' && 'bcdoxXs'.includes(spec.type)) return undefined;
  let y = toFloat(value)!;
  if (spec.z && y === 0) y = 0;
  let text: string;
  switch (spec.type) {
    case '':
      text = spec.prec < 0 ? floatRepr(y) : formatFloat(y, 'g', spec.prec, spec.alt, true);
      break;
    case '%':
      text = `${formatFloat(y * 100, 'f', spec.prec < 0 ? 6 : spec.prec, spec.alt)}%`;
      break;
    case 'n':
      text = formatFloat(y, 'g', spec.prec < 0 ? 6 : spec.prec, spec.alt);
      break;
    default:
      text = formatFloat(y, spec.type, spec.prec < 0 ? 6 : spec.prec, spec.alt);
  }
  let neg = text.startsWith('-');
  if (neg) text = text.slice(1);
  // 'z': a negative value that rounded to zero prints as positive zero.
  if (spec.z && neg && /^[0.]+(?:[eE][+-]\d+)?%?$/.test(text)) neg = false;
  if (spec.grouping && Number.isFinite(y)) {
    const m = /^(\d+)(.*)$/.exec(text);
    if (m) text = group(m[1]!, spec.grouping, 3) + m[2];
  }
  return alignNumber(neg, '', text, spec, 3);
}
