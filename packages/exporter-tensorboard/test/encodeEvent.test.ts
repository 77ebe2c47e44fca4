import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DataClass,
  DataType,
  decodeEvent,
  type Event,
  encodeEvent,
  scalarSummary,
  textSummary,
} from '@grpo-otel/exporter-tensorboard';

test('encodeEvent: file_version event, byte for byte as protobuf writes it', () => {
  const bytes = encodeEvent({ wallTime: 1.5, step: 0, fileVersion: 'brain.Event:2' });
  const expected = Buffer.concat([
    Buffer.from([0x09]), // field 1, fixed64
    Buffer.from(new Float64Array([1.5]).buffer),
    Buffer.from([0x1a, 13]), // field 3, length 13
    Buffer.from('brain.Event:2'),
  ]);
  assert.deepEqual(Buffer.from(bytes), expected);
});

test('encodeEvent: simple_value scalar event, byte for byte', () => {
  const bytes = encodeEvent({ wallTime: 0, step: 300, summary: [{ tag: 'a', simpleValue: 0.5 }] });
  const f32 = Buffer.from(new Float32Array([0.5]).buffer);
  const value = Buffer.concat([Buffer.from([0x0a, 1, 0x61, 0x15]), f32]); // tag "a", simple_value
  const summary = Buffer.concat([Buffer.from([0x0a, value.length]), value]);
  const expected = Buffer.concat([
    Buffer.from([0x09, 0, 0, 0, 0, 0, 0, 0, 0]),
    Buffer.from([0x10, 0xac, 0x02]), // step 300 as varint
    Buffer.from([0x2a, summary.length]),
    summary,
  ]);
  assert.deepEqual(Buffer.from(bytes), expected);
});

test('decodeEvent(encodeEvent(e)) round-trips every field we write', () => {
  const events: Event[] = [
    { wallTime: 1700000000.123, step: 0, fileVersion: 'brain.Event:2' },
    { wallTime: 1, step: 2 ** 40, summary: [scalarSummary('x/y', 0.25), scalarSummary('t', -3, 'tensor')] },
    { wallTime: 2, step: -5, summary: [textSummary('logs/training', 'héllo | <b>\n'.repeat(40))] },
    {
      wallTime: 3,
      step: 7,
      summary: [
        {
          tag: 'h',
          histo: {
            min: -1,
            max: 3,
            num: 4,
            sum: 5,
            sumSquares: 11,
            bucketLimit: [0, 1, 3],
            bucket: [1, 0, 3],
          },
        },
        {
          tag: 'meta',
          metadata: {
            pluginName: 'p',
            pluginContent: new Uint8Array([1, 2, 3]),
            displayName: 'd',
            summaryDescription: 's',
            dataClass: DataClass.TENSOR,
          },
          tensor: {
            dtype: DataType.DT_INT64,
            shape: [2, 1],
            int64Val: [-1, 2 ** 50],
          },
        },
        { tag: 'doubles', tensor: { dtype: DataType.DT_DOUBLE, shape: [2], doubleVal: [0.1, 1e300] } },
        { tag: 'bools', tensor: { dtype: DataType.DT_BOOL, shape: [2], boolVal: [true, false] } },
      ],
    },
  ];
  for (const e of events) {
    const back = decodeEvent(encodeEvent(e));
    // Buffers serialize as {type, data}, Uint8Arrays as index maps: compare both as plain arrays.
    const norm = (x: unknown) =>
      JSON.parse(
        JSON.stringify(x, function (this: unknown, k, v: unknown) {
          const raw = (this as Record<string, unknown>)[k];
          return raw instanceof Uint8Array ? [...raw] : v;
        }),
      ) as unknown;
    assert.deepEqual(norm(back), norm(e));
  }
});

test('encodeEvent: a nested message over 127 bytes gets a multi-byte length', () => {
  const long = 'x'.repeat(20_000);
  const back = decodeEvent(encodeEvent({ wallTime: 0, step: 1, summary: [{ tag: long, simpleValue: 1 }] }));
  assert.equal(back.summary?.[0]?.tag, long);
});
