import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import {
  createRingBuffer,
  prefaultRing,
  RingReader,
  RingWriter,
  ringHeader,
} from '../src/internal/FrameRing.js';

// Values a telemetry call takes, and what comes out on the other side: the same value, except that
// -0 stays -0, NaN stays NaN (deepStrictEqual compares with Object.is) and strings with lone
// surrogates come back with U+FFFD (UTF-8 cannot carry them).
const callValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(undefined),
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.string({ unit: 'grapheme' }),
    fc.array(fc.double(), { maxLength: 40 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 8 }), tie('value'), {
      maxKeys: 5,
      noNullPrototype: true,
    }),
  ),
})).value;

function roundTrip(values: unknown[], capacity = 1 << 16): unknown[] {
  const sab = createRingBuffer(capacity);
  const w = new RingWriter(sab);
  const r = new RingReader(sab);
  const out: unknown[] = [];
  for (const v of values) {
    let res = w.write(v);
    while (res === 'full') {
      // The reader catches up (as the telemetry thread would), then the writer retries.
      for (let f = r.next(); f; f = r.next()) out.push(f.value);
      r.release();
      res = w.write(v);
    }
    assert.equal(res, 'ok');
  }
  for (let f = r.next(); f; f = r.next()) out.push(f.value);
  r.release();
  return out;
}

test('FrameRing: every value comes out as it went in, in order, across wraps', () => {
  fc.assert(
    fc.property(fc.array(callValue, { maxLength: 60 }), (values) => {
      assert.deepStrictEqual(roundTrip(values, 4096), values);
    }),
    { numRuns: 200 },
  );
});

test('FrameRing: typed arrays, dates, errors and bigints keep their type; functions and symbols arrive as symbols naming them', () => {
  const [typed, f32, date, err, big, fn, sym, map] = roundTrip([
    new Float64Array([1, 2.5]),
    new Float32Array([0.5]),
    new Date(1_700_000_000_000),
    new TypeError('bad'),
    12345678901234567890n,
    function myFn() {},
    Symbol('s'),
    new Map([[1, 2]]),
  ]) as [Float64Array, Float32Array, Date, Error, bigint, symbol, symbol, symbol];
  assert.ok(typed instanceof Float64Array);
  assert.deepEqual([...typed], [1, 2.5]);
  assert.ok(f32 instanceof Float32Array);
  assert.equal(f32[0], 0.5);
  assert.equal(date.getTime(), 1_700_000_000_000);
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'TypeError');
  assert.equal(err.message, 'bad');
  assert.equal(big, 12345678901234567890n);
  assert.equal(typeof fn, 'symbol');
  assert.equal(fn.description, '[function myFn]');
  assert.equal(sym.description, 'Symbol(s)');
  assert.equal(map.description, '[Map]');
});

test('FrameRing: mixed arrays keep their elements; an array of numbers stays a plain Array', () => {
  const [mixed, nums] = roundTrip([
    [1, '2', null, undefined, true],
    [0.1, -0, Number.NaN, Infinity],
  ]) as [unknown[], number[]];
  assert.deepStrictEqual(mixed, [1, '2', null, undefined, true]);
  assert.ok(Array.isArray(nums));
  assert.deepStrictEqual(nums, [0.1, -0, Number.NaN, Infinity]);
});

test('FrameRing: a cycle or deep nesting arrives cut, not as an endless loop', () => {
  const a: Record<string, unknown> = { x: 1 };
  a.self = a;
  const [out] = roundTrip([a]) as [Record<string, unknown>];
  let depth = 0;
  let cur: unknown = out;
  while (typeof cur === 'object' && cur !== null) {
    cur = (cur as Record<string, unknown>).self;
    depth++;
  }
  assert.equal(cur, '[nested too deep, or a cycle]');
  assert.ok(depth >= 30 && depth <= 33, `depth ${depth}`);
});

test('FrameRing: a throwing getter makes the frame unencodable; nothing is published', () => {
  const sab = createRingBuffer(4096);
  const w = new RingWriter(sab);
  const r = new RingReader(sab);
  const bad = {
    get boom(): number {
      throw new Error('getter');
    },
  };
  assert.equal(w.write([1, bad]), 'unencodable');
  assert.equal(r.next(), undefined);
  assert.equal(w.write('after'), 'ok');
  assert.deepEqual(r.next(), { value: 'after' });
});

test('FrameRing: full while the reader is behind, too large for the empty ring, and back to normal after', () => {
  const sab = createRingBuffer(4096);
  const w = new RingWriter(sab);
  const r = new RingReader(sab);
  const chunk = 'x'.repeat(1000);
  let written = 0;
  while (w.write(chunk) === 'ok') written++;
  assert.ok(written >= 3 && written <= 4, `wrote ${written}`);
  assert.equal(w.write(chunk), 'full');
  assert.equal(w.write('y'.repeat(10_000)), 'full', 'not known to be too large while the ring holds frames');
  for (let f = r.next(); f; f = r.next()) assert.equal(f.value, chunk);
  r.release();
  // Empty, with the write offset inside the ring: the writer sends the reader back to 0 first.
  let res = w.write('y'.repeat(10_000));
  while (res === 'full') {
    assert.equal(r.next(), undefined);
    r.release();
    res = w.write('y'.repeat(10_000));
  }
  assert.equal(res, 'too_large');
  assert.equal(w.write('z'.repeat(3000)), 'ok', 'the whole ring is usable once empty');
  assert.equal(r.next()?.value, 'z'.repeat(3000));
});

test('FrameRing: mapping the pages in (prefaultRing) while frames wait changes none of them, nor the offsets', () => {
  const sab = createRingBuffer(64 * 1024);
  const w = new RingWriter(sab);
  const r = new RingReader(sab);
  const values = [
    new Float32Array([1.5, -2.25, 3]),
    { text: 'a'.repeat(5000), tokens: new Int32Array(2000).fill(7) },
    [1, 2, 3],
    'after',
  ];
  for (const v of values) assert.equal(w.write(v), 'ok');
  const before = Buffer.from(new Uint8Array(sab)).toString('base64');
  prefaultRing(sab);
  assert.equal(Buffer.from(new Uint8Array(sab)).toString('base64'), before, 'not a byte changed');
  const out: unknown[] = [];
  for (let f = r.next(); f; f = r.next()) out.push(f.value);
  assert.deepEqual(out, values);
});

test('FrameRing: a sleeping reader is woken by the first frame of a burst; the frames after it do not notify again', async () => {
  const sab = createRingBuffer(1 << 16);
  const w = new RingWriter(sab);
  const r = new RingReader(sab);
  const header = ringHeader(sab);
  /** Int32 slot 20 of the header: 1 while the reader sleeps on the write offset. */
  const READER_WAITING = 20;
  const woken = r.waitForFrames(60_000).then(() => 'woken');
  // The reader naps (1 ms) before it says it sleeps.
  while (Atomics.load(header, READER_WAITING) === 0) await new Promise((res) => setTimeout(res, 1));
  assert.equal(w.write('first'), 'ok');
  assert.equal(
    Atomics.load(header, READER_WAITING),
    0,
    'the writer cleared the flag when it woke the reader',
  );
  assert.equal(w.write('second'), 'ok');
  assert.equal(w.write('third'), 'ok');
  // Without the wake-up the reader would sleep its whole 60 s timeout.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((res) => {
    timer = setTimeout(res, 30_000, 'timed out');
  });
  assert.equal(await Promise.race([woken, timeout]), 'woken');
  const out: unknown[] = [];
  for (let f = r.next(); f; f = r.next()) out.push(f.value);
  r.release();
  assert.deepEqual(out, ['first', 'second', 'third']);
  // Asleep again, it is woken again.
  const again = r.waitForFrames(60_000).then(() => 'woken');
  while (Atomics.load(header, READER_WAITING) === 0) await new Promise((res) => setTimeout(res, 1));
  assert.equal(w.write('fourth'), 'ok');
  assert.equal(await Promise.race([again, timeout]), 'woken');
  assert.equal(r.next()?.value, 'fourth');
  clearTimeout(timer);
});
