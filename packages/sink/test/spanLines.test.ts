// Spans made by OpenTelemetry JS, sent as its own serializers write them (protobuf and JSON), become the
// lines the SDK's `traces` handler writes for the same spans (spanToOtlpJsonLine); a span that cannot be
// read is counted and left out, its neighbours written; a full trace queue drops and counts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ProtobufWriter, WIRE_FIXED64 } from '@grpo-otel/protobuf';
import { spanToOtlpJsonLine } from '@grpo-otel/sdk/otel';
import {
  decodeOtlpProtobuf,
  OtlpSink,
  parseOtlpJson,
  SinkRun,
  SinkStats,
  TraceFile,
  toSpanLines,
} from '@grpo-otel/sink';
import { tempDirUntilExit } from '@grpo-otel/testkit/tempDir';
import { createTraceState, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { CONTENT_TYPE, makeSpans, tracesBody } from './support/producers.js';

const RESOURCE = { 'service.name': 'trainer', 'grpo.run.id': 'run-spans', 'grpo.rank': 1 };
const REMOTE_PARENT = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: 1,
  isRemote: true,
  traceState: createTraceState('vendor=abc,other=1'),
};

/** A step span with a child (events, a link, an error status), a remote parent's child, two scopes. */
function trainingSpans(): ReadableSpan[] {
  return makeSpans(RESOURCE, (tracer) => {
    const t = tracer('grpo-otel', '1.2.3', 'https://opentelemetry.io/schemas/1.30.0');
    const step = t.startSpan('grpo.step', {
      kind: SpanKind.INTERNAL,
      startTime: [1_765_000_000, 123_456_789],
      attributes: {
        'grpo.step': 7,
        'grpo.reward.mean': 0.25,
        negative: -5,
        ok: true,
        names: ['correctness', 'format'],
        values: [1, 0.5, -2],
        flags: [true, false],
        text: 'quoted "text"\nsecond line \u2028 and \u00e9',
      },
    });
    const ctx = trace.setSpan(ROOT_CONTEXT, step);
    const child = t.startSpan(
      'grpo.reward',
      {
        kind: SpanKind.CLIENT,
        startTime: [1_765_000_000, 200_000_000],
        links: [{ context: REMOTE_PARENT, attributes: { why: 'the batch that fed it' } }],
        // over the attribute limit (8): two are dropped and counted
        attributes: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, i])),
      },
      ctx,
    );
    for (let i = 0; i < 4; i++)
      child.addEvent('grpo.validation.sample', { 'grpo.sample.id': `s${i}`, correct: i % 2 === 0 }, [
        1_765_000_000,
        300_000_000 + i,
      ]);
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'reward function failed' });
    child.end([1_765_000_000, 400_000_000]);
    step.setStatus({ code: SpanStatusCode.OK });
    step.end([1_765_000_001, 0]);
    const remote = tracer('other').startSpan(
      'grpo.validation',
      { kind: SpanKind.SERVER },
      trace.setSpanContext(ROOT_CONTEXT, REMOTE_PARENT),
    );
    remote.end();
  });
}

function decode(body: Uint8Array, encoding: 'protobuf' | 'json') {
  return toSpanLines(
    encoding === 'json'
      ? parseOtlpJson('traces', Buffer.from(body).toString('utf8'))
      : decodeOtlpProtobuf('traces', body),
  );
}

const bySpanId = (lines: readonly string[]) =>
  new Map(
    lines.map((l) => {
      const parsed = JSON.parse(l);
      return [parsed.resourceSpans[0].scopeSpans[0].spans[0].spanId as string, parsed];
    }),
  );

for (const encoding of ['protobuf', 'json'] as const) {
  describe(`spans from OTLP ${encoding}`, () => {
    test('each span is the line the SDK’s traces handler writes for it', () => {
      const spans = trainingSpans();
      assert.equal(spans.length, 3);
      const out = decode(tracesBody(spans, encoding), encoding);
      assert.equal(out.length, 1);
      assert.equal(out[0]!.bad, 0);
      assert.equal(out[0]!.lines.length, 3);
      for (const line of out[0]!.lines) {
        assert.ok(line.endsWith('\n'));
        assert.equal(line.indexOf('\n'), line.length - 1, 'one line per span');
      }
      const got = bySpanId(out[0]!.lines);
      for (const span of spans) {
        const expected = spanToOtlpJsonLine(span);
        assert.deepEqual(got.get(span.spanContext().spanId), JSON.parse(expected), span.name);
        // byte for byte, too: the same members in the same order
        assert.ok(out[0]!.lines.includes(expected), `${span.name}: the same text as spanToOtlpJsonLine`);
      }
      assert.deepEqual(out[0]!.resource.attributes, spans[0]!.resource.attributes);
    });

    test('parent and child, kinds, times, status, events, links, flags and dropped counts are kept', () => {
      const spans = trainingSpans();
      const got = bySpanId(decode(tracesBody(spans, encoding), encoding)[0]!.lines);
      const [child, step, remote] = spans.map((s) => got.get(s.spanContext().spanId).resourceSpans[0]);
      const c = child.scopeSpans[0].spans[0];
      const s = step.scopeSpans[0].spans[0];
      const r = remote.scopeSpans[0].spans[0];
      assert.equal(s.name, 'grpo.step');
      assert.equal(s.parentSpanId, undefined);
      assert.equal(c.parentSpanId, s.spanId);
      assert.equal(c.traceId, s.traceId);
      assert.match(s.traceId, /^[0-9a-f]{32}$/);
      assert.equal(s.startTimeUnixNano, '1765000000123456789');
      assert.equal(s.endTimeUnixNano, '1765000001000000000');
      assert.deepEqual(s.status, { code: 1 });
      assert.deepEqual(c.status, { code: 2, message: 'reward function failed' });
      assert.equal(c.kind, 3);
      assert.equal(c.droppedAttributesCount, 2);
      assert.equal(c.events.length, 3);
      assert.equal(c.droppedEventsCount, 1);
      // the event limit (3) keeps the newest events
      assert.equal(c.events[0].timeUnixNano, '1765000000300000001');
      assert.equal(c.links[0].traceId, REMOTE_PARENT.traceId);
      assert.equal(c.links[0].spanId, REMOTE_PARENT.spanId);
      assert.equal(c.links[0].flags, 0x301);
      assert.equal(c.flags, 0x101);
      assert.equal(r.parentSpanId, REMOTE_PARENT.spanId);
      assert.equal(r.traceState, 'vendor=abc,other=1');
      assert.equal(r.flags, 0x301);
      const attrs = Object.fromEntries(
        s.attributes.map((kv: { key: string; value: unknown }) => [kv.key, kv.value]),
      );
      assert.deepEqual(attrs['grpo.step'], { intValue: 7 });
      assert.deepEqual(attrs.negative, { intValue: -5 });
      assert.deepEqual(attrs['grpo.reward.mean'], { doubleValue: 0.25 });
      assert.deepEqual(attrs.names, {
        arrayValue: { values: [{ stringValue: 'correctness' }, { stringValue: 'format' }] },
      });
      assert.equal(step.scopeSpans[0].schemaUrl, 'https://opentelemetry.io/schemas/1.30.0');
      assert.deepEqual(step.scopeSpans[0].scope, { name: 'grpo-otel', version: '1.2.3' });
      assert.deepEqual(remote.scopeSpans[0].scope, { name: 'other' });
    });
  });
}

// --- bad input ------------------------------------------------------------------------------------------

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

/** One resource (run `bad-spans`): a good span, a torn one (a fixed64 cut short) and one without ids. */
function protobufWithBadSpans(): Uint8Array {
  const w = new ProtobufWriter();
  const nested = (field: number, body: () => void) => {
    const mark = w.fork(field);
    body();
    w.ldelim(mark);
  };
  const nanos = (field: number, n: bigint) => {
    w.key(field, WIRE_FIXED64);
    w.fixed64(Number(n & 0xffffffffn), Number(n >> 32n));
  };
  nested(1, () => {
    nested(1, () =>
      nested(1, () => {
        w.stringField(1, 'grpo.run.id');
        nested(2, () => w.stringField(1, 'bad-spans'));
      }),
    );
    nested(2, () => {
      nested(1, () => w.stringField(1, 'scope'));
      nested(2, () => {
        w.bytesField(1, Buffer.from(TRACE_ID, 'hex'));
        w.bytesField(2, Buffer.from(SPAN_ID, 'hex'));
        w.stringField(5, 'good');
        nanos(7, 1_765_000_000_000_000_001n);
        nanos(8, 1_765_000_000_000_000_002n);
      });
      nested(2, () => {
        w.stringField(5, 'torn');
        w.raw(Uint8Array.from([(7 << 3) | WIRE_FIXED64, 1, 2, 3]));
      });
      nested(2, () => w.stringField(5, 'no ids'));
    });
  });
  return w.finish();
}

const jsonWithBadSpans = () =>
  JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'grpo.run.id', value: { stringValue: 'bad-spans' } }] },
        scopeSpans: [
          {
            scope: { name: 'scope' },
            spans: [
              {
                traceId: TRACE_ID.toUpperCase(),
                spanId: SPAN_ID,
                name: 'good',
                kind: 'SPAN_KIND_SERVER',
                startTimeUnixNano: '1765000000000000001',
                endTimeUnixNano: '1765000000000000002',
                attributes: [{ key: 'n', value: { intValue: '12' } }],
                status: { code: 'STATUS_CODE_ERROR' },
              },
              'not a span',
              { traceId: 'xyz', spanId: SPAN_ID, name: 'bad trace id' },
              { traceId: TRACE_ID, spanId: SPAN_ID, parent_span_id: '12', name: 'bad parent id' },
              { traceId: TRACE_ID, spanId: SPAN_ID, name: 'bad time', startTimeUnixNano: 'yesterday' },
              { traceId: TRACE_ID, spanId: SPAN_ID, name: 'bad link', links: [{ traceId: TRACE_ID }] },
            ],
          },
        ],
      },
    ],
  });

describe('bad spans', () => {
  test('protobuf: a torn span and one without ids are counted; the good one is written', () => {
    const [entry] = toSpanLines(decodeOtlpProtobuf('traces', protobufWithBadSpans()));
    assert.equal(entry!.bad, 2);
    assert.equal(entry!.lines.length, 1);
    assert.equal(entry!.resource.attributes['grpo.run.id'], 'bad-spans');
    assert.deepEqual(JSON.parse(entry!.lines[0]!).resourceSpans[0].scopeSpans[0].spans[0], {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      name: 'good',
      kind: 0,
      startTimeUnixNano: '1765000000000000001',
      endTimeUnixNano: '1765000000000000002',
      attributes: [],
      droppedAttributesCount: 0,
      events: [],
      droppedEventsCount: 0,
      status: { code: 0 },
      links: [],
      droppedLinksCount: 0,
      flags: 0,
    });
  });

  test('JSON: what is not a span, or has a malformed id, time or link, is counted; enum names are read', () => {
    const [entry] = toSpanLines(parseOtlpJson('traces', jsonWithBadSpans()));
    assert.equal(entry!.bad, 5);
    assert.equal(entry!.lines.length, 1);
    const span = JSON.parse(entry!.lines[0]!).resourceSpans[0].scopeSpans[0].spans[0];
    assert.equal(span.traceId, TRACE_ID);
    assert.equal(span.kind, 2);
    assert.deepEqual(span.status, { code: 2 });
    assert.deepEqual(span.attributes, [{ key: 'n', value: { intValue: 12 } }]);
  });

  test('the sink answers 200, writes the readable spans to the run’s traces.jsonl and counts the rest', async () => {
    const dir = await tempDirUntilExit('grpo-sink-spans-');
    const sink = new OtlpSink({ outDir: dir, port: 0, analysis: false });
    const url = await sink.listen();
    try {
      for (const [type, body] of [
        [CONTENT_TYPE.protobuf, protobufWithBadSpans()],
        [CONTENT_TYPE.json, jsonWithBadSpans()],
      ] as const) {
        const res = await fetch(`${url}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': type },
          body,
        });
        assert.equal(res.status, 200, await res.text());
      }
      const spans = trainingSpans();
      const res = await fetch(`${url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': CONTENT_TYPE.protobuf },
        body: tracesBody(spans, 'protobuf'),
      });
      assert.equal(res.status, 200);
      const stats = sink.stats.snapshot();
      assert.equal(stats.spans, 3 + 6 + 3);
      assert.equal(stats.dropped.bad_span, 2 + 5);
      assert.equal(stats.dropped.rejected_request, 0);
    } finally {
      await sink.shutdown();
    }
    const bad = readFileSync(join(dir, 'bad-spans', 'traces.jsonl'), 'utf8').split('\n');
    assert.equal(bad.pop(), '');
    assert.deepEqual(
      bad.map((l) => JSON.parse(l).resourceSpans[0].scopeSpans[0].spans[0].name),
      ['good', 'good'],
    );
    const written = readFileSync(join(dir, 'run-spans', 'traces.jsonl'), 'utf8').split('\n');
    assert.equal(written.pop(), '');
    const requests = written.map((l) => JSON.parse(l).resourceSpans[0]);
    assert.deepEqual(requests.map((r) => r.scopeSpans[0].spans[0].name).sort(), [
      'grpo.reward',
      'grpo.step',
      'grpo.validation',
    ]);
    for (const r of requests)
      assert.ok(
        r.resource.attributes.some(
          (kv: { key: string; value: { stringValue?: string } }) =>
            kv.key === 'grpo.run.id' && kv.value.stringValue === 'run-spans',
        ),
      );
  });
});

// --- bounded -------------------------------------------------------------------------------------------

describe('the trace queue is bounded', () => {
  const line = (i: number) => `${JSON.stringify({ i, pad: 'x'.repeat(80) })}\n`;

  test('TraceFile: lines past maxQueuedBytes are dropped and counted; the rest written whole', async () => {
    const dir = await tempDirUntilExit('grpo-trace-file-');
    const file = new TraceFile({
      filename: join(dir, 'traces.jsonl'),
      maxQueuedBytes: Math.floor(2.5 * line(0).length),
    });
    const lost = await file.write([0, 1, 2, 3, 4].map(line));
    assert.equal(lost, 3);
    assert.equal(file.queued, 0);
    assert.equal(await file.write([line(5)]), 0, 'room again once written');
    await file.close();
    assert.equal(await file.write([line(6)]), 1, 'after close: lost');
    assert.equal(readFileSync(join(dir, 'traces.jsonl'), 'utf8'), [0, 1, 5].map(line).join(''));
  });

  test('SinkRun: the spans its full queue drops are counted as write_failed', async () => {
    const dir = await tempDirUntilExit('grpo-sink-run-spans-');
    const stats = new SinkStats();
    const run = new SinkRun({
      outDir: dir,
      run: 'r',
      resource: resourceFromAttributes({ 'grpo.run.id': 'r' }),
      stats,
      csvColumns: [],
      textChannels: new Set(),
      maxChannels: 4,
      aggregateRanks: true,
      maxQueuedSpanBytes: line(0).length,
    });
    await Promise.all([run.writeSpans([line(0), line(1)]), run.writeSpans([line(2)])]);
    assert.equal(stats.snapshot().dropped.write_failed, 2);
    await run.close();
    await run.writeSpans([line(3)]);
    assert.equal(stats.snapshot().dropped.write_failed, 3);
    assert.equal(readFileSync(join(dir, 'r', 'traces.jsonl'), 'utf8'), line(0));
  });
});
