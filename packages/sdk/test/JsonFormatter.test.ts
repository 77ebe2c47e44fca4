import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FormatInput } from '../src/logging/formatters/FormatInput.js';
import {
  DEFAULT_JSON_FIELDS,
  JsonFormatter,
  safeJsonStringify,
} from '../src/logging/formatters/JsonFormatter.js';

const base: FormatInput = {
  timeMs: Date.UTC(2024, 0, 2, 3, 4, 5, 678) + 0.9,
  name: 'rewards',
  levelname: 'INFO',
  levelno: 20,
  message: 'reward computed',
  attributes: { 'grpo.step': 7, 'grpo.reward': 0.5 },
};

test('default fields: timestamp (ISO 8601 UTC, ms), level, name, message, attributes', () => {
  assert.deepEqual(DEFAULT_JSON_FIELDS, ['timestamp', 'level', 'name', 'message', 'attributes']);
  const line = new JsonFormatter().format(base);
  assert.equal(
    line,
    '{"timestamp":"2024-01-02T03:04:05.678Z","level":"INFO","name":"rewards","message":"reward computed",' +
      '"attributes":{"grpo.step":7,"grpo.reward":0.5}}',
  );
});

test("the seed's fields [timestamp, level, name, message], in that order", () => {
  const f = new JsonFormatter({ fields: ['timestamp', 'level', 'name', 'message'] });
  assert.deepEqual(Object.keys(JSON.parse(f.format(base))), ['timestamp', 'level', 'name', 'message']);
});

test('levelno, levelname, exception and attributes by key; absent values leave their key out', () => {
  const f = new JsonFormatter({ fields: ['levelno', 'levelname', 'grpo.step', 'missing', 'exception'] });
  assert.equal(f.format(base), '{"levelno":20,"levelname":"INFO","grpo.step":7}');
  const withExc = { ...base, exception: { type: 'ValueError', message: 'bad', stacktrace: 'trace\nline' } };
  assert.deepEqual(JSON.parse(f.format(withExc)).exception, {
    type: 'ValueError',
    message: 'bad',
    stacktrace: 'trace\nline',
  });
});

test('values JSON cannot hold are written as text, never thrown', () => {
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  const shared = { x: 1 };
  const attributes = {
    nan: Number.NaN,
    inf: Infinity,
    ninf: -Infinity,
    big: 12345678901234567890n,
    cyclic,
    sharedTwice: [shared, shared],
    undef: undefined,
    arr: [1, undefined, () => 1, Symbol('s')],
    bytes: new Uint8Array([1, 2, 255]),
    map: new Map<unknown, unknown>([['k', 1n]]),
    set: new Set([1, 2]),
    date: new Date(0),
    badDate: new Date(Number.NaN),
    err: new TypeError('oops'),
    f32: new Float32Array([0.5]),
    withToJSON: { toJSON: () => ({ replaced: true }) },
    throwingToJSON: {
      toJSON() {
        throw new Error('no');
      },
    },
  };
  const line = new JsonFormatter({ fields: ['attributes'] }).format({ ...base, attributes });
  const parsed = JSON.parse(line).attributes;
  assert.equal(parsed.nan, 'NaN');
  assert.equal(parsed.inf, 'Infinity');
  assert.equal(parsed.ninf, '-Infinity');
  assert.equal(parsed.big, '12345678901234567890');
  assert.deepEqual(parsed.cyclic, { name: 'loop', self: '[Circular]' });
  assert.deepEqual(parsed.sharedTwice, [{ x: 1 }, { x: 1 }]);
  assert.equal('undef' in parsed, false);
  assert.deepEqual(parsed.arr, [1, null, null, null]);
  assert.equal(parsed.bytes, Buffer.from([1, 2, 255]).toString('base64'));
  assert.deepEqual(parsed.map, { k: '1' });
  assert.deepEqual(parsed.set, [1, 2]);
  assert.equal(parsed.date, '1970-01-01T00:00:00.000Z');
  assert.equal(parsed.badDate, null);
  assert.equal(parsed.err.name, 'TypeError');
  assert.equal(parsed.err.message, 'oops');
  assert.deepEqual(parsed.f32, [0.5]);
  assert.deepEqual(parsed.withToJSON, { replaced: true });
  assert.equal(parsed.throwingToJSON, '[Unserializable]');
});

test('one line per record: newlines, quotes, control characters and lone surrogates are escaped', () => {
  const message = 'a "quoted"\nmulti-line\u0000 message \u2028 \ud800 日本 😀';
  const line = new JsonFormatter({ fields: ['message'] }).format({ ...base, message });
  assert.equal(line.includes('\n'), false);
  assert.equal(JSON.parse(line).message, message);
});

test('deep nesting is cut, not a stack overflow', () => {
  let deep: unknown = 'bottom';
  for (let i = 0; i < 10_000; i++) deep = { d: deep };
  const line = new JsonFormatter({ fields: ['attributes'] }).format({ ...base, attributes: { deep } });
  assert.match(line, /\[MaxDepth\]/);
  JSON.parse(line);
});

test('an invalid time gives no timestamp key instead of a RangeError', () => {
  const line = new JsonFormatter().format({ ...base, timeMs: Number.NaN });
  assert.equal('timestamp' in JSON.parse(line), false);
});

test('options are validated', () => {
  assert.throws(() => new JsonFormatter({ fields: 'message' as unknown as string[] }), /must be an array/);
  assert.throws(
    () => new JsonFormatter({ fields: ['message', ''] }),
    /fields\[1\] must be a non-empty string/,
  );
  assert.throws(() => new JsonFormatter({ fields: ['message', 'message'] }), /listed twice/);
});

test('safeJsonStringify: undefined at the top is null unless asked to omit it', () => {
  assert.equal(safeJsonStringify(undefined), 'null');
  assert.equal(safeJsonStringify(undefined, true), undefined);
  assert.equal(safeJsonStringify({ a: [1, 'x', null] }), '{"a":[1,"x",null]}');
  assert.equal(safeJsonStringify(-0), '0');
});
