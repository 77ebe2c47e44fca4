import { readFileSync } from 'node:fs';

/**
 * Python's `time.strftime` on Linux, i.e. glibc's strftime in the C locale (Python never sets
 * LC_TIME on its own), plus `%f` (microseconds, as `datetime.strftime` adds it).
 *
 * Everything glibc accepts is reproduced, including its GNU extensions: the flags `_` `-` `0` `^` `#`,
 * a field width (`%10A`, `%_5d`), the `E`/`O` modifiers, and unknown directives copied through
 * unchanged (`%q` stays `%q`; a `%` at the end of the format stays). Local time by default; with
 * `utc` the fields are those of `time.gmtime` (`%Z` is then `GMT`, `%z` `+0000`, as Python prints).
 */

export interface StrftimeOptions {
  /** Format in UTC (like `time.gmtime`) instead of local time. Default false. */
  utc?: boolean;
}

/** A format compiled once: call it with epoch milliseconds (may be fractional, for `%f`). */
export interface CompiledStrftime {
  (timeMs: number): string;
  /** Whether the output changes within a second (the format has `%f`); if not, callers may cache per second. */
  readonly subSecond: boolean;
}

/** Formats `date` like Python's `time.strftime(format, time.localtime(t))` (or `gmtime` with `utc`). */
export function strftime(format: string, date: Date, opts?: StrftimeOptions): string {
  return cachedCompile(format, opts?.utc === true)(date.getTime());
}

/** Compiles `format` once, for formatting many timestamps (the log export path). */
export function compileStrftime(format: string, opts?: StrftimeOptions): CompiledStrftime {
  const utc = opts?.utc === true;
  const pieces = compilePieces(format);
  const usesMicros = pieces.some((p) => typeof p !== 'string' && p.micros === true);
  let fn: (timeMs: number) => string;
  if (pieces.length === 0) fn = () => '';
  else if (pieces.length === 1 && typeof pieces[0] === 'string') {
    const constant = pieces[0];
    fn = () => constant;
  } else {
    fn = (timeMs: number) => {
      const tm = breakDown(timeMs, utc, usesMicros);
      if (tm === undefined) return '';
      let out = '';
      for (const p of pieces) out += typeof p === 'string' ? p : p.render(tm);
      return out;
    };
  }
  return Object.assign(fn, { subSecond: usesMicros });
}

const compiledCache = new Map<string, CompiledStrftime>();
const CACHE_LIMIT = 64;

function cachedCompile(format: string, utc: boolean): CompiledStrftime {
  const key = (utc ? 'u' : 'l') + format;
  let fn = compiledCache.get(key);
  if (fn === undefined) {
    fn = compileStrftime(format, { utc });
    if (compiledCache.size >= CACHE_LIMIT) compiledCache.clear();
    compiledCache.set(key, fn);
  }
  return fn;
}

/** glibc's `struct tm`, plus what `%s`, `%f` and `%Z` need. */
interface Tm {
  year: number;
  mon: number;
  mday: number;
  hour: number;
  min: number;
  sec: number;
  wday: number;
  yday: number;
  /** Seconds east of UTC. */
  gmtoff: number;
  /** Whole seconds since the epoch. */
  epochSec: number;
  usec: number;
  utc: boolean;
}

const MS_PER_DAY = 86_400_000;

function breakDown(timeMs: number, utc: boolean, usesMicros: boolean): Tm | undefined {
  if (!Number.isFinite(timeMs)) return undefined;
  let epochSec: number;
  let usec = 0;
  if (usesMicros) {
    // datetime.fromtimestamp(): the seconds float rounded half-even to microseconds (may carry).
    const t = timeMs / 1000;
    let whole = Math.trunc(t);
    let frac = roundHalfEven((t - whole) * 1e6);
    if (frac >= 1e6) {
      frac -= 1e6;
      whole += 1;
    } else if (frac < 0) {
      frac += 1e6;
      whole -= 1;
    }
    epochSec = whole;
    usec = frac;
  } else {
    // time.localtime(t) floors to whole seconds.
    epochSec = Math.floor(Math.floor(timeMs) / 1000);
  }
  const d = new Date(epochSec * 1000);
  if (Number.isNaN(d.getTime())) return undefined;
  const year = utc ? d.getUTCFullYear() : d.getFullYear();
  const mon = utc ? d.getUTCMonth() : d.getMonth();
  const mday = utc ? d.getUTCDate() : d.getDate();
  return {
    year,
    mon,
    mday,
    hour: utc ? d.getUTCHours() : d.getHours(),
    min: utc ? d.getUTCMinutes() : d.getMinutes(),
    sec: utc ? d.getUTCSeconds() : d.getSeconds(),
    wday: utc ? d.getUTCDay() : d.getDay(),
    yday: Math.round((Date.UTC(year, mon, mday) - Date.UTC(year, 0, 1)) / MS_PER_DAY),
    gmtoff: utc ? 0 : -d.getTimezoneOffset() * 60,
    epochSec,
    usec,
    utc,
  };
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// ---------------------------------------------------------------------------------------------
// Compilation: one piece per literal run or directive; directives follow glibc's strftime_l.c.

interface Directive {
  render(tm: Tm): string;
  micros?: boolean;
}
type Piece = string | Directive;

const ABDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAY = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const ABMON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MON = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Subformats of the C locale (D_T_FMT, D_FMT, T_FMT, T_FMT_AMPM) and the fixed composites. */
const SUBFORMATS: Readonly<Record<string, string>> = {
  c: '%a %b %e %H:%M:%S %Y',
  x: '%m/%d/%y',
  D: '%m/%d/%y',
  F: '%Y-%m-%d',
  X: '%H:%M:%S',
  T: '%H:%M:%S',
  R: '%H:%M',
  r: '%I:%M:%S %p',
};

const subformatCache = new Map<string, Piece[]>();

function compilePieces(format: string): Piece[] {
  const pieces: Piece[] = [];
  let literal = '';
  const n = format.length;
  let i = 0;
  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      literal += format.slice(i);
      break;
    }
    literal += format.slice(i, pct);
    const [piece, next] = compileDirective(format, pct);
    if (typeof piece === 'string') literal += piece;
    else {
      if (literal) pieces.push(literal);
      literal = '';
      pieces.push(piece);
    }
    i = next;
  }
  if (literal) pieces.push(literal);
  return pieces;
}

/** Compiles the directive starting at `format[start] === '%'`; returns it and the index after it. */
function compileDirective(format: string, start: number): [Piece, number] {
  let j = start + 1;
  let pad = '';
  let upcase = false;
  let changeCase = false;
  for (;;) {
    const c = format[j];
    if (c === '_' || c === '-' || c === '0') pad = c;
    else if (c === '^') upcase = true;
    else if (c === '#') changeCase = true;
    else break;
    j++;
  }
  let width = -1;
  if (isDigit(format.charCodeAt(j))) {
    width = 0;
    while (isDigit(format.charCodeAt(j))) {
      width = Math.min(width * 10 + (format.charCodeAt(j) - 48), 0x7fffffff);
      j++;
    }
  }
  let modifier = '';
  if (format[j] === 'E' || format[j] === 'O') modifier = format[j++]!;
  const conv = format[j];
  const spec: Spec = { pad, width, upcase, lowcase: false };

  // glibc's bad_format: output the directive as written, from the nearest '%' back.
  const bad = (): [Piece, number] => {
    const end = conv === undefined ? j : j + 1;
    const last = conv === undefined ? j - 1 : j;
    const from = format.lastIndexOf('%', last);
    return [constant(cpy(format.slice(from, end), spec)), end];
  };
  if (conv === undefined) return bad();
  const next = j + 1;
  const num = (digits: number, value: (tm: Tm) => number, spacepad = false): [Piece, number] => {
    const d = Math.max(digits, width);
    const p = spacepad && pad !== '0' && pad !== '-' ? '_' : pad;
    return [{ render: (tm) => formatNumber(value(tm), d, { ...spec, pad: p }) }, next];
  };
  const text = (value: (tm: Tm) => string): [Piece, number] => [
    { render: (tm) => cpy(value(tm), spec) },
    next,
  ];

  switch (conv) {
    case '%':
      if (modifier) return bad();
      return [constant(add('%', spec)), next];
    case 'a':
    case 'A':
      if (modifier) return bad();
      if (changeCase) spec.upcase = true;
      return text(conv === 'a' ? (tm) => ABDAY[tm.wday]! : (tm) => DAY[tm.wday]!);
    case 'b':
    case 'h':
    case 'B':
      // glibc applies '#' before rejecting %Eb, after rejecting %EB.
      if (changeCase && conv !== 'B') spec.upcase = true;
      if (modifier === 'E') return bad();
      if (changeCase) spec.upcase = true;
      return text(conv === 'B' ? (tm) => MON[tm.mon]! : (tm) => ABMON[tm.mon]!);
    case 'c':
    case 'x':
    case 'X':
      if (modifier === 'O') return bad();
      return subformat(SUBFORMATS[conv]!, spec, next);
    case 'D':
    case 'F':
      if (modifier) return bad();
      return subformat(SUBFORMATS[conv]!, spec, next);
    case 'R':
    case 'T':
    case 'r':
      return subformat(SUBFORMATS[conv]!, spec, next);
    case 'C':
      return num(1, (tm) => Math.floor(tm.year / 100));
    case 'd':
      if (modifier === 'E') return bad();
      return num(2, (tm) => tm.mday);
    case 'e':
      if (modifier === 'E') return bad();
      return num(2, (tm) => tm.mday, true);
    case 'H':
      if (modifier === 'E') return bad();
      return num(2, (tm) => tm.hour);
    case 'I':
      if (modifier === 'E') return bad();
      return num(2, hour12);
    case 'k':
      if (modifier === 'E') return bad();
      return num(2, (tm) => tm.hour, true);
    case 'l':
      if (modifier === 'E') return bad();
      return num(2, hour12, true);
    case 'j':
      if (modifier === 'E') return bad();
      return num(3, (tm) => tm.yday + 1);
    case 'M':
      if (modifier === 'E') return bad();
      return num(2, (tm) => tm.min);
    case 'm':
      if (modifier === 'E') return bad();
      return num(2, (tm) => tm.mon + 1);
    case 'S':
      if (modifier === 'E') return bad();
      return num(2, (tm) => tm.sec);
    case 'n':
      return [constant(add('\n', spec)), next];
    case 't':
      return [constant(add('\t', spec)), next];
    case 'P':
    case 'p':
      if (conv === 'P') spec.lowcase = true;
      if (changeCase) {
        spec.upcase = false;
        spec.lowcase = true;
      }
      return text((tm) => (tm.hour > 11 ? 'PM' : 'AM'));
    case 's':
      return [{ render: (tm) => formatNumber(tm.epochSec, 1, spec) }, next];
    case 'u':
      return num(1, (tm) => ((tm.wday - 1 + 7) % 7) + 1);
    case 'U':
      if (modifier === 'E') return bad();
      return num(2, (tm) => Math.trunc((tm.yday - tm.wday + 7) / 7));
    case 'W':
      if (modifier === 'E') return bad();
      return num(2, (tm) => Math.trunc((tm.yday - ((tm.wday - 1 + 7) % 7) + 7) / 7));
    case 'w':
      if (modifier === 'E') return bad();
      return num(1, (tm) => tm.wday);
    case 'V':
      if (modifier === 'E') return bad();
      return num(2, (tm) => Math.trunc(isoWeek(tm).days / 7) + 1);
    case 'G':
      if (modifier === 'E') return bad();
      return num(1, (tm) => isoWeek(tm).year);
    case 'g':
      if (modifier === 'E') return bad();
      return num(2, (tm) => ((isoWeek(tm).year % 100) + 100) % 100);
    case 'Y':
      if (modifier === 'O') return bad();
      return num(1, (tm) => tm.year);
    case 'y':
      return num(2, (tm) => ((tm.year % 100) + 100) % 100);
    case 'Z':
      if (changeCase) {
        spec.upcase = false;
        spec.lowcase = true;
      }
      return text(zoneName);
    case 'z':
      return [
        {
          render: (tm) => {
            let diff = tm.gmtoff;
            const sign = diff < 0 ? '-' : '+';
            diff = Math.trunc(Math.abs(diff) / 60);
            const s = add(sign, spec);
            return s + formatNumber(Math.trunc(diff / 60) * 100 + (diff % 60), Math.max(4, width), spec);
          },
        },
        next,
      ];
    case 'f':
      // datetime.strftime replaces a plain %f only; anything else goes to glibc, which copies it.
      if (j !== start + 1) return bad();
      return [{ render: (tm) => String(tm.usec).padStart(6, '0'), micros: true }, next];
    default:
      return bad();
  }
}

interface Spec {
  pad: string;
  width: number;
  upcase: boolean;
  lowcase: boolean;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function constant(s: string): Piece {
  return s;
}

/** glibc's add(): pads to the field width (zeros with the `0` flag, spaces otherwise). */
function add(s: string, spec: Spec): string {
  const delta = spec.width - s.length;
  if (delta <= 0) return s;
  return (spec.pad === '0' ? '0' : ' ').repeat(delta) + s;
}

/** glibc's cpy(): add() after the case conversion asked for. */
function cpy(s: string, spec: Spec): string {
  const t = spec.lowcase ? s.toLowerCase() : spec.upcase ? s.toUpperCase() : s;
  return add(t, spec);
}

/** glibc's do_number / do_number_sign_and_padding. */
function formatNumber(value: number, digits: number, spec: Spec): string {
  const negative = value < 0;
  let buf = (negative ? '-' : '') + String(Math.abs(value));
  let prefix = '';
  let width = spec.width;
  if (spec.pad !== '-') {
    const padding = digits - buf.length;
    if (padding > 0) {
      if (spec.pad === '_') {
        prefix = ' '.repeat(padding);
        width = width > padding ? width - padding : 0;
      } else {
        if (negative) {
          prefix = '-';
          buf = buf.slice(1);
        }
        prefix += '0'.repeat(padding);
        width = 0;
      }
    }
  }
  return prefix + add(buf, { ...spec, width });
}

function subformat(sub: string, spec: Spec, next: number): [Piece, number] {
  let pieces = subformatCache.get(sub);
  if (pieces === undefined) {
    pieces = compilePieces(sub);
    subformatCache.set(sub, pieces);
  }
  const parts = pieces;
  return [
    {
      render: (tm) => {
        let s = '';
        for (const p of parts) s += typeof p === 'string' ? p : p.render(tm);
        s = add(s, spec);
        return spec.upcase ? s.toUpperCase() : s;
      },
    },
    next,
  ];
}

function hour12(tm: Tm): number {
  if (tm.hour > 12) return tm.hour - 12;
  return tm.hour === 0 ? 12 : tm.hour;
}

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** glibc's iso_week_days(): days since the start of the year's first ISO week. */
function isoWeekDays(yday: number, wday: number): number {
  const bigEnoughMultipleOf7 = (Math.trunc(366 / 7) + 2) * 7;
  return yday - ((yday - wday + 4 + bigEnoughMultipleOf7) % 7) + 4 - 1;
}

function isoWeek(tm: Tm): { year: number; days: number } {
  let year = tm.year;
  let days = isoWeekDays(tm.yday, tm.wday);
  if (days < 0) {
    year--;
    days = isoWeekDays(tm.yday + (365 + (isLeap(year) ? 1 : 0)), tm.wday);
  } else {
    const d = isoWeekDays(tm.yday - (365 + (isLeap(year) ? 1 : 0)), tm.wday);
    if (d >= 0) {
      year++;
      days = d;
    }
  }
  return { year, days };
}

// ---------------------------------------------------------------------------------------------
// %Z: the zone abbreviation glibc puts in tm_zone. ECMAScript does not expose tzdata's
// abbreviations (Intl gives "GMT+5:30" where tzdata says "IST"), so the TZif file glibc reads is
// read here too: once per TZ value, on the first %Z, and cached.

interface ZoneType {
  offset: number;
  isDst: boolean;
  abbr: string;
}
interface PosixZone {
  std: string;
  stdOffset: number;
  dst?: string;
}
interface ZoneData {
  transitions: number[];
  typeIndex: number[];
  types: ZoneType[];
  footer?: PosixZone;
}

let zoneKey: string | undefined | null = null;
let zoneData: ZoneData | 'utc' | undefined;
let intlZoneFormat: Intl.DateTimeFormat | undefined;

function zoneName(tm: Tm): string {
  if (tm.utc) return 'GMT';
  const tz = process.env.TZ;
  if (tz !== zoneKey) {
    zoneKey = tz;
    zoneData = loadZone(tz);
    intlZoneFormat = undefined;
  }
  if (zoneData === 'utc') return 'UTC';
  const name = zoneData ? lookupZone(zoneData, tm.epochSec, tm.gmtoff) : undefined;
  return name ?? intlZoneName(tm.epochSec);
}

function loadZone(tz: string | undefined): ZoneData | 'utc' | undefined {
  if (tz === '') return 'utc';
  let spec = tz ?? '/etc/localtime';
  if (spec.startsWith(':')) spec = spec.slice(1);
  const path = spec.startsWith('/') ? spec : `${process.env.TZDIR || '/usr/share/zoneinfo'}/${spec}`;
  try {
    const parsed = parseTzif(readFileSync(path));
    if (parsed) return parsed;
  } catch {
    // not a file: glibc then reads TZ as a POSIX rule string
  }
  const posix = tz === undefined ? undefined : parsePosixTz(spec);
  return posix ? { transitions: [], typeIndex: [], types: [], footer: posix } : undefined;
}

function intlZoneName(epochSec: number): string {
  try {
    intlZoneFormat ??= new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' });
    const part = intlZoneFormat
      .formatToParts(new Date(epochSec * 1000))
      .find((p) => p.type === 'timeZoneName');
    return part?.value ?? '';
  } catch {
    return '';
  }
}

function lookupZone(z: ZoneData, t: number, gmtoff: number): string | undefined {
  const n = z.transitions.length;
  if (n === 0 || t >= z.transitions[n - 1]!) {
    if (z.footer) {
      const f = z.footer;
      return f.dst !== undefined && gmtoff !== f.stdOffset ? f.dst : f.std;
    }
    if (n === 0) return (z.types.find((ty) => !ty.isDst) ?? z.types[0])?.abbr;
    return z.types[z.typeIndex[n - 1]!]?.abbr;
  }
  if (t < z.transitions[0]!) return (z.types.find((ty) => !ty.isDst) ?? z.types[0])?.abbr;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (z.transitions[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return z.types[z.typeIndex[lo]!]?.abbr;
}

/** RFC 8536 TZif (v1 data, or the 64-bit v2+ block and its POSIX footer). */
function parseTzif(buf: Buffer): ZoneData | undefined {
  if (buf.length < 44 || buf.toString('latin1', 0, 4) !== 'TZif') return undefined;
  const version = buf[4]!;
  const counts = (at: number) => ({
    isut: buf.readUInt32BE(at + 20),
    isstd: buf.readUInt32BE(at + 24),
    leap: buf.readUInt32BE(at + 28),
    time: buf.readUInt32BE(at + 32),
    type: buf.readUInt32BE(at + 36),
    char: buf.readUInt32BE(at + 40),
  });
  let c = counts(0);
  let pos = 44;
  let timeSize = 4;
  if (version >= 0x32) {
    pos += c.time * 5 + c.type * 6 + c.char + c.leap * 8 + c.isstd + c.isut;
    if (buf.length < pos + 44 || buf.toString('latin1', pos, pos + 4) !== 'TZif') return undefined;
    c = counts(pos);
    pos += 44;
    timeSize = 8;
  }
  const transitions: number[] = [];
  for (let k = 0; k < c.time; k++, pos += timeSize) {
    transitions.push(timeSize === 8 ? Number(buf.readBigInt64BE(pos)) : buf.readInt32BE(pos));
  }
  const typeIndex: number[] = [];
  for (let k = 0; k < c.time; k++) typeIndex.push(buf[pos++]!);
  const rawTypes: Array<{ offset: number; isDst: boolean; idx: number }> = [];
  for (let k = 0; k < c.type; k++, pos += 6) {
    rawTypes.push({ offset: buf.readInt32BE(pos), isDst: buf[pos + 4] !== 0, idx: buf[pos + 5]! });
  }
  const chars = buf.toString('latin1', pos, pos + c.char);
  pos += c.char + c.leap * (timeSize + 4) + c.isstd + c.isut;
  const types = rawTypes.map((t) => {
    const end = chars.indexOf('\0', t.idx);
    return { offset: t.offset, isDst: t.isDst, abbr: chars.slice(t.idx, end < 0 ? undefined : end) };
  });
  let footer: PosixZone | undefined;
  if (timeSize === 8 && buf[pos] === 0x0a) {
    const end = buf.indexOf(0x0a, pos + 1);
    if (end > pos + 1) footer = parsePosixTz(buf.toString('latin1', pos + 1, end));
  }
  return footer ? { transitions, typeIndex, types, footer } : { transitions, typeIndex, types };
}

/** The names and standard offset of a POSIX TZ string (`EST5EDT,M3.2.0,M11.1.0`, `<+0530>-5:30`). */
function parsePosixTz(s: string): PosixZone | undefined {
  let i = 0;
  const name = (): string | undefined => {
    if (s[i] === '<') {
      const end = s.indexOf('>', i);
      if (end < 0) return undefined;
      const n = s.slice(i + 1, end);
      i = end + 1;
      return n;
    }
    const from = i;
    while (i < s.length && /[A-Za-z]/.test(s[i]!)) i++;
    return i - from >= 3 ? s.slice(from, i) : undefined;
  };
  const offset = (): number | undefined => {
    let sign = 1;
    if (s[i] === '+' || s[i] === '-') sign = s[i++] === '-' ? -1 : 1;
    const m = /^(\d{1,3})(?::(\d{1,2}))?(?::(\d{1,2}))?/.exec(s.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    return sign * (Number(m[1]) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0));
  };
  const std = name();
  if (std === undefined) return undefined;
  const off = offset();
  if (off === undefined) return undefined;
  const dst = i < s.length && s[i] !== ',' ? name() : undefined;
  // POSIX offsets are west of UTC; tm_gmtoff is east.
  return dst === undefined ? { std, stdOffset: -off } : { std, stdOffset: -off, dst };
}
