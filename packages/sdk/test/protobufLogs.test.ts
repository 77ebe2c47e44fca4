// Our OTLP logs request writer against OTel's own (otlp-transformer's ProtobufLogsSerializer):
// the same records must give the same bytes, whatever the bodies, attributes, times and contexts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProtobufWriter } from '@grpo-otel/protobuf';
import { hostileNumber, PAYLOADS } from '@grpo-otel/testkit/hostileArbitraries';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { AnyValue, LogAttributes } from '@opentelemetry/api-logs';
import { ProtobufLogsSerializer as OtelSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, type SdkLogRecord } from '@opentelemetry/sdk-logs';
import fc from 'fast-check';
import {
  ProtobufLogsSerializer,
  serializeLogsExportRequest,
} from '../src/otlp/protobuf/ProtobufLogsSerializer.js';

function capture(resourceAttrs: Record<string, unknown>, schemaUrl?: string) {
  const records: SdkLogRecord[] = [];
  const provider = new LoggerProvider({
    resource: resourceFromAttributes(resourceAttrs as never, schemaUrl ? { schemaUrl } : {}),
    processors: [
      { onEmit: (r: SdkLogRecord) => records.push(r), forceFlush: async () => {}, shutdown: async () => {} },
    ],
  });
  return { records, provider };
}

const same = (records: SdkLogRecord[]) =>
  assert.deepEqual(
    Buffer.from(serializeLogsExportRequest(records)),
    Buffer.from(OtelSerializer.serializeRequest(records)!),
  );

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }), // lone surrogates included
  fc.constantFrom(...PAYLOADS),
  fc.string({ minLength: 100, maxLength: 3000 }), // lengths needing 2-byte varints
);
const scalar = fc.oneof(text, hostileNumber, fc.boolean(), fc.constant(undefined), fc.constant(null));
const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.uint8Array({ maxLength: 40 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(text, tie('value'), { maxKeys: 5 }),
    fc.bigInt(),
  ),
})).value;
const attributes = fc.dictionary(text, anyValue, { maxKeys: 8 });
const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));

test('the same bytes as OTel for arbitrary records, resources, scopes and span contexts', () => {
  fc.assert(
    fc.property(
      attributes,
      fc.option(fc.webUrl(), { nil: undefined }),
      fc.array(
        fc.record({
          logger: fc.constantFrom('training', 'rewards', 'model_outputs'),
          version: fc.option(fc.constantFrom('1.0.0', ''), { nil: undefined }),
          body: anyValue,
          attributes,
          severityNumber: fc.option(fc.integer({ min: 0, max: 24 }), { nil: undefined }),
          severityText: fc.option(text, { nil: undefined }),
          eventName: fc.option(text, { nil: undefined }),
          timestamp: fc.option(
            fc.oneof(
              fc.integer({ min: 0, max: 4_000_000_000_000 }),
              fc.double({ min: 0, max: 4e12, noNaN: true }),
            ),
            { nil: undefined },
          ),
          span: fc.option(
            fc.record({ traceId: hex(32), spanId: hex(16), traceFlags: fc.integer({ min: 0, max: 255 }) }),
            {
              nil: undefined,
            },
          ),
        }),
        { minLength: 1, maxLength: 12 },
      ),
      (resourceAttrs, schemaUrl, specs) => {
        const { records, provider } = capture(resourceAttrs, schemaUrl);
        for (const s of specs) {
          provider.getLogger(s.logger, s.version).emit({
            body: s.body as AnyValue,
            attributes: s.attributes as LogAttributes,
            ...(s.severityNumber !== undefined ? { severityNumber: s.severityNumber } : {}),
            ...(s.severityText !== undefined ? { severityText: s.severityText } : {}),
            ...(s.eventName !== undefined ? { eventName: s.eventName } : {}),
            ...(s.timestamp !== undefined ? { timestamp: s.timestamp } : {}),
            ...(s.span ? { context: trace.setSpanContext(ROOT_CONTEXT, s.span) } : {}),
          });
        }
        same(records);
      },
    ),
    { numRuns: 300 },
  );
});

test('a large request: many records, bodies and attribute maps beyond 2 MiB (4-byte lengths)', () => {
  const { records, provider } = capture({ 'service.name': 'grpo', 'grpo.run.id': 'r1' });
  const log = provider.getLogger('rewards');
  for (let i = 0; i < 600; i++) {
    log.emit({
      severityNumber: 9,
      severityText: 'INFO',
      body: i % 100 === 0 ? 'é'.repeat(200_000) : `reward ${i}`,
      attributes: { 'grpo.step': i, 'grpo.reward.value': i / 7, 'grpo.sample.completion': 'x'.repeat(i) },
    });
  }
  same(records);
  assert.ok(serializeLogsExportRequest(records).length > 2 ** 21, 'a length that needs 4 bytes');
});

test('an empty batch and the response deserializer (OTel partial success)', () => {
  same([]);
  // ExportLogsServiceResponse { partial_success { rejected_log_records: 3, error_message: "no" } }
  const w = new ProtobufWriter();
  w.key(1, 2);
  const at = w.beginMessage();
  w.key(1, 0);
  w.int64(3);
  w.key(2, 2);
  w.string('no');
  w.ldelim(at);
  const r = ProtobufLogsSerializer.deserializeResponse(w.finish());
  assert.equal(Number(r.partialSuccess?.rejectedLogRecords), 3);
  assert.equal(r.partialSuccess?.errorMessage, 'no');
});
