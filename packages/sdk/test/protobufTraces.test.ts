// Our OTLP trace request writer against OTel's own (otlp-transformer's ProtobufTraceSerializer):
// the same spans must give the same bytes, whatever their names, attributes, events, links and contexts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostileNumber, PAYLOADS } from '@grpo-otel/testkit/hostileArbitraries';
import { type Attributes, createTraceState, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer as OtelSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { serializeTraceExportRequest } from '../src/otlp/protobuf/ProtobufTraceSerializer.js';

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(...PAYLOADS),
  fc.string({ minLength: 130, maxLength: 2000 }),
);
const attrValue = fc.oneof(
  text,
  hostileNumber,
  fc.boolean(),
  fc.array(text, { maxLength: 4 }),
  fc.array(hostileNumber, { maxLength: 4 }),
  fc.array(fc.boolean(), { maxLength: 4 }),
);
const attributes = fc.dictionary(text, attrValue, { maxKeys: 6 }) as fc.Arbitrary<Attributes>;
const hex = (n: number) =>
  fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`)).filter((h) => /[1-9a-f]/.test(h));
const spanContext = fc.record({
  traceId: hex(32),
  spanId: hex(16),
  traceFlags: fc.integer({ min: 0, max: 255 }),
  isRemote: fc.option(fc.boolean(), { nil: undefined }),
  traceState: fc.option(fc.constantFrom('vendor=abc', 'a=1,b=2', ''), { nil: undefined }),
});
const toContext = (c: {
  traceId: string;
  spanId: string;
  traceFlags: number;
  isRemote?: boolean | undefined;
  traceState?: string | undefined;
}) => ({
  traceId: c.traceId,
  spanId: c.spanId,
  traceFlags: c.traceFlags,
  ...(c.isRemote !== undefined ? { isRemote: c.isRemote } : {}),
  ...(c.traceState !== undefined ? { traceState: createTraceState(c.traceState) } : {}),
});

function capture(resourceAttrs: Attributes, schemaUrl?: string) {
  const spans: ReadableSpan[] = [];
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resourceAttrs, schemaUrl ? { schemaUrl } : {}),
    // Low limits, so that dropped attribute, event and link counts are written too.
    spanLimits: {
      attributeCountLimit: 4,
      eventCountLimit: 2,
      linkCountLimit: 1,
      attributePerEventCountLimit: 2,
      attributePerLinkCountLimit: 2,
    },
    spanProcessors: [
      {
        onStart: () => {},
        onEnd: (s: ReadableSpan) => spans.push(s),
        forceFlush: async () => {},
        shutdown: async () => {},
      },
    ],
  });
  return { spans, provider };
}

const same = (spans: ReadableSpan[]) =>
  assert.deepEqual(
    Buffer.from(serializeTraceExportRequest(spans)),
    Buffer.from(OtelSerializer.serializeRequest(spans)!),
  );

test('the same bytes as OTel for arbitrary spans, events, links, statuses and parents', () => {
  fc.assert(
    fc.property(
      attributes,
      fc.option(fc.webUrl(), { nil: undefined }),
      fc.array(
        fc.record({
          tracer: fc.constantFrom('grpo-otel', 'other'),
          version: fc.option(fc.constantFrom('1.0.0', ''), { nil: undefined }),
          name: text,
          kind: fc.option(fc.constantFrom(...Object.values(SpanKind).filter((k) => typeof k === 'number')), {
            nil: undefined,
          }),
          attributes,
          parent: fc.option(spanContext, { nil: undefined }),
          links: fc.array(fc.record({ context: spanContext, attributes }), { maxLength: 2 }),
          events: fc.array(fc.record({ name: text, attributes }), { maxLength: 3 }),
          status: fc.record({ code: fc.constantFrom(0, 1, 2), message: fc.option(text, { nil: undefined }) }),
          start: fc.option(fc.integer({ min: 0, max: 4_000_000_000_000 }), { nil: undefined }),
        }),
        { minLength: 1, maxLength: 8 },
      ),
      (resourceAttrs, schemaUrl, specs) => {
        const { spans, provider } = capture(resourceAttrs, schemaUrl);
        for (const s of specs) {
          const ctx = s.parent ? trace.setSpanContext(ROOT_CONTEXT, toContext(s.parent)) : ROOT_CONTEXT;
          const span = provider.getTracer(s.tracer, s.version).startSpan(
            s.name,
            {
              attributes: s.attributes,
              links: s.links.map((l) => ({ context: toContext(l.context), attributes: l.attributes })),
              ...(s.kind !== undefined ? { kind: s.kind as SpanKind } : {}),
              ...(s.start !== undefined ? { startTime: s.start } : {}),
            },
            ctx,
          );
          for (const e of s.events) span.addEvent(e.name, e.attributes);
          span.setStatus(s.status.message !== undefined ? s.status : { code: s.status.code });
          span.end();
        }
        same(spans);
      },
    ),
    { numRuns: 200 },
  );
});

test('an exception event and an empty batch', () => {
  const { spans, provider } = capture({ 'service.name': 'grpo' });
  const span = provider.getTracer('grpo-otel').startSpan('grpo.step', { attributes: { 'grpo.step': 3 } });
  span.recordException(new Error('boom'));
  span.end();
  same(spans);
  same([]);
});
