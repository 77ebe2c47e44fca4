import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { threadId } from 'node:worker_threads';
import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import type { FormatInput } from '../src/logging/formatters/FormatInput.js';
import {
  PythonFormatter,
  type PythonFormatterOptions,
  STANDARD_DATEFMT,
  STANDARD_FORMAT,
} from '../src/logging/formatters/PythonFormatter.js';

// The fixture was produced under TZ=UTC (scripts/gen-formatter-fixtures.py); local time here must match.
process.env.TZ = 'UTC';

interface FixtureRecord {
  timeMs: number;
  name: string;
  levelno: number;
  message: string;
  attributes: Record<string, unknown>;
  exception?: { type?: string; message?: string; stacktrace?: string };
}
interface FixtureCase {
  record: number;
  format: string | null;
  style: '%' | '{' | '$';
  datefmt: string | null;
  utc: boolean;
  expected: string;
}
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/python-formatter.json', import.meta.url), 'utf8'),
) as {
  tz: string;
  startTimeMs: number;
  records: FixtureRecord[];
  cases: FixtureCase[];
  numberFormat: string;
  numbers: Array<[value: number, expected: string]>;
};

const LEVEL_NAMES: Record<number, string> = {
  10: 'DEBUG',
  20: 'INFO',
  30: 'WARNING',
  40: 'ERROR',
  50: 'CRITICAL',
};

const SPECIAL_FLOATS: Record<string, number> = {
  nan: Number.NaN,
  inf: Infinity,
  '-inf': -Infinity,
  '-0.0': -0,
};

/** Values JSON cannot carry: {"__float__": "nan"}, {"__int__": "<digits>"} (a bigint). */
function decode(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (typeof v.__float__ === 'string') return SPECIAL_FLOATS[v.__float__];
    if (typeof v.__int__ === 'string') return BigInt(v.__int__);
  }
  return value;
}

function toInput(r: FixtureRecord): FormatInput {
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r.attributes)) attributes[k] = decode(v);
  const input: FormatInput = {
    timeMs: r.timeMs,
    name: r.name,
    levelname: LEVEL_NAMES[r.levelno]!,
    levelno: r.levelno,
    message: r.message,
    attributes,
  };
  if (r.exception) input.exception = r.exception;
  return input;
}

function optionsOf(c: FixtureCase): PythonFormatterOptions {
  const o: PythonFormatterOptions = { style: c.style, utc: c.utc, startTimeMs: fixture.startTimeMs };
  if (c.format !== null) o.format = c.format;
  if (c.datefmt !== null) o.datefmt = c.datefmt;
  return o;
}

/** Captures diag output for the duration of `fn`. */
function withDiag<T>(fn: () => T): { result: T; warnings: string[] } {
  const warnings: string[] = [];
  const logger: DiagLogger = {
    error: () => {},
    warn: (m: string) => warnings.push(m),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  try {
    return { result: fn(), warnings };
  } finally {
    diag.disable();
  }
}

test('the fixture was made under the TZ this test uses', () => {
  assert.equal(fixture.tz, 'UTC');
  assert.ok(fixture.cases.length > 100);
});

test('every fixture format renders exactly what Python logging.Formatter printed', () => {
  const mismatches: string[] = [];
  for (const c of fixture.cases) {
    const formatter = new PythonFormatter(optionsOf(c));
    const actual = formatter.format(toInput(fixture.records[c.record]!));
    if (actual !== c.expected) {
      mismatches.push(
        `record ${c.record} style ${c.style} format ${JSON.stringify(c.format)} datefmt ${JSON.stringify(c.datefmt)} utc=${c.utc}\n` +
          `  got    ${JSON.stringify(actual)}\n  Python ${JSON.stringify(c.expected)}`,
      );
    }
  }
  assert.deepEqual(mismatches, []);
});

test('floats print digit for digit as Python prints them (correct rounding, ties to even)', () => {
  const f = new PythonFormatter({ format: fixture.numberFormat });
  const base = toInput(fixture.records[0]!);
  const mismatches: string[] = [];
  for (const [v, expected] of fixture.numbers) {
    const actual = f.format({ ...base, attributes: { v } });
    if (actual !== expected) mismatches.push(`${v}\n  got    ${actual}\n  Python ${expected}`);
  }
  assert.ok(fixture.numbers.length > 400);
  assert.deepEqual(mismatches, []);
});

test("the seed's standard formatter", () => {
  const f = new PythonFormatter({ format: STANDARD_FORMAT, datefmt: STANDARD_DATEFMT, utc: true });
  const input = toInput(fixture.records[0]!);
  assert.equal(f.format(input), '2023-11-14 22:13:20 - training - INFO - step 10: loss=0.25');
});

test('process, processName, thread and threadName come from this process', () => {
  const f = new PythonFormatter({ format: '%(process)d %(processName)s %(thread)d %(threadName)s' });
  assert.equal(f.format(toInput(fixture.records[0]!)), `${process.pid} MainProcess ${threadId} MainThread`);
});

test('code location defaults match Python when the record has no code.* attributes', () => {
  const f = new PythonFormatter({ format: '%(pathname)s|%(filename)s|%(module)s|%(funcName)s|%(lineno)d' });
  const input = { ...toInput(fixture.records[0]!), attributes: {} };
  assert.equal(f.format(input), '(unknown file)|(unknown file)|(unknown file)|(unknown function)|0');
  const newer = {
    ...input,
    attributes: { 'code.file.path': '/a/b.c.ts', 'code.function.name': 'run', 'code.line.number': 7 },
  };
  assert.equal(f.format(newer), '/a/b.c.ts|b.c.ts|b.c|run|7');
});

test('a missing field renders empty (padding kept) and is reported once per formatter', () => {
  const { result, warnings } = withDiag(() => {
    const f = new PythonFormatter({ format: '[%(nope)5s] %(message)s %(nope)s' });
    const input = toInput(fixture.records[0]!);
    return [f.format(input), f.format(input)];
  });
  assert.deepEqual(result, ['[     ] step 10: loss=0.25 ', '[     ] step 10: loss=0.25 ']);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /nope/);
});

test('defaults fill fields the record lacks; record attributes win over defaults', () => {
  const f = new PythonFormatter({
    format: '%(grpo.step)s/%(run)s',
    defaults: { run: 'r1', 'grpo.step': -1 },
  });
  assert.equal(f.format(toInput(fixture.records[0]!)), '10/r1');
});

test('a value of the wrong type for its conversion renders as text instead of throwing', () => {
  const { result, warnings } = withDiag(() => {
    const f = new PythonFormatter({ format: '%(plain)05d|%(items)x|%(plain)f|{' });
    return f.format(toInput(fixture.records[0]!));
  });
  assert.equal(result, "hello|[1, 'a', None, True, {'k': 1.5}]|hello|{");
  assert.equal(warnings.length, 3);
  const brace = new PythonFormatter({ format: '{plain:05d}|{none:>6}|{message}', style: '{' });
  assert.equal(brace.format(toInput(fixture.records[0]!)), 'hello|  None|step 10: loss=0.25');
});

test('a malformed format is a configuration error naming what is wrong', () => {
  const bad: Array<[PythonFormatterOptions, RegExp]> = [
    [{ format: '%(message' }, /incomplete format key/],
    [{ format: '%(message)' }, /incomplete format/],
    [{ format: '%(message)k' }, /unsupported format character 'k'/],
    [{ format: '50% %(message)s' }, /has no \(key\)/],
    [{ format: '%(message)*d' }, /'\*' width/],
    [{ format: 'no fields at all' }, /no fields/],
    [{ format: '{message', style: '{' }, /expected '}'/],
    [{ format: '{message}}', style: '{' }, /single '}'/],
    [{ format: '{}', style: '{' }, /positional/],
    [{ format: '{message!x}', style: '{' }, /invalid conversion/],
    [{ format: '{message:abc}', style: '{' }, /bad format specifier/],
    [{ format: '$ $message', style: '$' }, /bare '\$'/],
    [{ style: '!' as '%' }, /style must be one of/],
    [{ format: 5 as unknown as string }, /format must be a string/],
  ];
  for (const [options, message] of bad) {
    assert.throws(() => new PythonFormatter(options), message, JSON.stringify(options));
  }
});

test('defaults: %(message)s, {message}, ${message}; an empty format or datefmt means the default, as in Python', () => {
  const input = toInput(fixture.records[0]!);
  for (const style of ['%', '{', '$'] as const)
    assert.equal(new PythonFormatter({ style }).format(input), input.message);
  assert.equal(new PythonFormatter({ format: '' }).format(input), input.message);
  assert.equal(
    new PythonFormatter({ format: '%(asctime)s', datefmt: '', utc: true }).format(input),
    '2023-11-14 22:13:20,123',
  );
});

test('exception text goes on its own line after the formatted record', () => {
  const f = new PythonFormatter({ format: '%(levelname)s %(message)s' });
  const input = toInput(fixture.records[0]!);
  assert.equal(
    f.format({ ...input, exception: { type: 'E', message: 'm' } }),
    'INFO step 10: loss=0.25\nE: m',
  );
  assert.equal(f.format({ ...input, exception: { type: 'E' } }), 'INFO step 10: loss=0.25\nE');
  assert.equal(f.format({ ...input, exception: {} }), 'INFO step 10: loss=0.25');
  assert.equal(
    f.format({ ...input, exception: { type: 'E', message: 'm', stacktrace: 'E: m\n    at x (y.js:1:2)\n' } }),
    'INFO step 10: loss=0.25\nE: m\n    at x (y.js:1:2)',
  );
});

test('asctime is cached per second but follows the record time exactly', () => {
  const f = new PythonFormatter({ format: '%(asctime)s', utc: true });
  const base = Date.UTC(2024, 0, 2, 3, 4, 5);
  assert.equal(f.format({ ...toInput(fixture.records[0]!), timeMs: base + 1 }), '2024-01-02 03:04:05,001');
  assert.equal(
    f.format({ ...toInput(fixture.records[0]!), timeMs: base + 999.9 }),
    '2024-01-02 03:04:05,999',
  );
  assert.equal(f.format({ ...toInput(fixture.records[0]!), timeMs: base + 1000 }), '2024-01-02 03:04:06,000');
  assert.equal(f.format({ ...toInput(fixture.records[0]!), timeMs: base - 1 }), '2024-01-02 03:04:04,999');
  const micro = new PythonFormatter({ format: '%(asctime)s', datefmt: '%H:%M:%S.%f', utc: true });
  assert.equal(micro.format({ ...toInput(fixture.records[0]!), timeMs: base + 12.345 }), '03:04:05.012345');
});

test('relativeCreated counts from when the module loaded unless startTimeMs is given', () => {
  const f = new PythonFormatter({ format: '%(relativeCreated)d' });
  const now = Date.now();
  const rel = Number(f.format({ ...toInput(fixture.records[0]!), timeMs: now }));
  assert.ok(rel >= 0 && rel < 10 * 60_000, String(rel));
});

test('formatting never throws, even for values whose rendering throws', () => {
  const hostile = {
    get boom(): unknown {
      throw new Error('getter');
    },
  };
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const f = new PythonFormatter({ format: '%(h)s|%(c)s|%(c)r' });
  const { result } = withDiag(() =>
    f.format({ ...toInput(fixture.records[0]!), attributes: { h: hostile, c: cyclic } }),
  );
  assert.equal(result, "|{'a': 1, 'self': {...}}|{'a': 1, 'self': {...}}");
});
