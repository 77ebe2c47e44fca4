// The training thread's cost of writing OTLP/HTTP protobuf span requests: OTel's ProtobufTraceSerializer
// (otlp-transformer) vs ours (packages/sdk/src/otlp/protobuf), same spans, same bytes.
// A demo run's worth of spans (40 steps of grpo.step with grpo.generate, grpo.reward and grpo.update
// inside, 160 spans) in 3 batches, as the 5 s batch delay cuts a 12 s run. "cold" is each writer's
// first pass in a fresh process, "warm" the mean of 50 further passes; run both orders.
// Usage: node --conditions=source --import tsx bench/otlp/traceSerializer.ts [otel-first|ours-first]
// Measured (2 cores shared with other jobs, Node 20; 12 processes, orders alternating; ms CPU for the
// run's 160 spans): cold otel median 7.8 (3.3-11.4), ours 4.9 (2.1-5.9), per-process ratio median 0.63;
// warm otel 0.86, ours 0.83.
import assert from 'node:assert/strict';
import { ProtobufTraceSerializer as OtelSerializer } from '../../packages/sdk/node_modules/@opentelemetry/otlp-transformer/build/src/index.js';
import { resourceFromAttributes } from '../../packages/sdk/node_modules/@opentelemetry/resources/build/src/index.js';
import {
  BasicTracerProvider,
  type ReadableSpan,
} from '../../packages/sdk/node_modules/@opentelemetry/sdk-trace-base/build/src/index-shim.js';
import { serializeTraceExportRequest } from '../../packages/sdk/src/otlp/protobuf/ProtobufTraceSerializer.js';

const spans: ReadableSpan[] = [];
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({
    'service.name': 'grpo-demo',
    'service.instance.id': '20261126T041057.017Z-739f72c1',
    'grpo.run.id': '20261126T041057.017Z-739f72c1',
    'host.name': 'trainer-0',
    'process.pid': 4242,
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.version': '2.12.0',
  }),
  spanProcessors: [
    {
      onStart: () => {},
      onEnd: (s: ReadableSpan) => spans.push(s),
      forceFlush: async () => {},
      shutdown: async () => {},
    },
  ],
});
const tracer = provider.getTracer('@grpo-otel/sdk', '0.1.0');
for (let step = 1; step <= 40; step++) {
  tracer.startActiveSpan('grpo.step', { attributes: { 'grpo.step': step } }, (s) => {
    const kids: [string, Record<string, number>][] = [
      [
        'grpo.generate',
        {
          'grpo.batch.size': 8,
          'grpo.group.size': 8,
          'gen_ai.request.max_tokens': 48,
          'gen_ai.request.temperature': 1,
        },
      ],
      ['grpo.reward', { 'grpo.batch.size': 64 }],
      ['grpo.update', { 'grpo.batch.size': 64 }],
    ];
    for (const [name, attributes] of kids) tracer.startSpan(name, { attributes }).end();
    s.end();
  });
}
const batches = [spans.slice(0, 55), spans.slice(55, 110), spans.slice(110)];
const writers: Record<string, (b: ReadableSpan[]) => Uint8Array | undefined> = {
  otel: (b) => OtelSerializer.serializeRequest(b),
  ours: serializeTraceExportRequest,
};
const order = process.argv[2] === 'ours-first' ? ['ours', 'otel'] : ['otel', 'ours'];
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const result: Record<string, { cold: number; warm: number }> = {};
for (const name of order) {
  const write = writers[name]!;
  const c0 = cpuMs();
  for (const b of batches) write(b);
  const cold = cpuMs() - c0;
  const c1 = cpuMs();
  for (let r = 0; r < 50; r++) for (const b of batches) write(b);
  result[name] = { cold, warm: (cpuMs() - c1) / 50 };
}
for (const b of batches) assert.deepEqual(Buffer.from(writers.ours!(b)!), Buffer.from(writers.otel!(b)!));
console.log(
  `${spans.length} spans, ${batches.length} batches (same bytes: checked); order ${order.join(', ')}`,
);
for (const name of ['otel', 'ours']) {
  const r = result[name]!;
  console.log(`${name}: cold ${r.cold.toFixed(2)} ms CPU, warm ${r.warm.toFixed(3)} ms CPU per run's worth`);
}
