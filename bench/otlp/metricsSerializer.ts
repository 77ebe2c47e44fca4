// The training thread's cost of writing OTLP/HTTP protobuf metric requests: OTel's
// ProtobufMetricsSerializer (otlp-transformer) vs ours (packages/sdk/src/otlp/protobuf), same
// collections, same bytes. Three collections (a 12 s demo run at the 5 s export interval, plus the one
// at shutdown) of 60 instruments shaped like the SDK's (counters, gauges, histograms with per-function
// attributes: about 250 data points each). "cold" is each writer's first pass in a fresh process,
// "warm" the mean of 50 further passes; run both orders.
// Usage: node --conditions=source --import tsx bench/otlp/metricsSerializer.ts [otel-first|ours-first]
// Measured (2 cores shared with other jobs, Node 20; 12 processes, orders alternating; ms CPU for the
// three collections): cold otel median 23.0 (12.7-42.7), ours 14.9 (8.0-30.5), per-process ratio
// median 0.68 (noisy: 0.23-1.81); warm otel 1.55, ours 1.60.
import assert from 'node:assert/strict';
import { ProtobufMetricsSerializer as OtelSerializer } from '../../packages/sdk/node_modules/@opentelemetry/otlp-transformer/build/src/index.js';
import { resourceFromAttributes } from '../../packages/sdk/node_modules/@opentelemetry/resources/build/src/index.js';
import {
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '../../packages/sdk/node_modules/@opentelemetry/sdk-metrics/build/src/index.js';
import { serializeMetricsExportRequest } from '../../packages/sdk/src/otlp/protobuf/ProtobufMetricsSerializer.js';

class Reader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}
const reader = new Reader();
const provider = new MeterProvider({
  resource: resourceFromAttributes({
    'service.name': 'grpo-demo',
    'grpo.run.id': '20261126T041057.017Z-739f72c1',
    'host.name': 'trainer-0',
  }),
  readers: [reader],
});
const meter = provider.getMeter('@grpo-otel/sdk', '0.1.0');
const functions = ['correctness', 'format', 'repetition', 'topic'];
const collections: ResourceMetrics[] = [];
const counters = Array.from({ length: 20 }, (_, i) =>
  meter.createCounter(`grpo.counter.${i}`, {
    description: `A counter of the GRPO run, number ${i}`,
    unit: '{record}',
  }),
);
const gauges = Array.from({ length: 25 }, (_, i) =>
  meter.createGauge(`grpo.gauge.${i}`, { description: `A gauge of the GRPO run, number ${i}`, unit: '1' }),
);
const histograms = Array.from({ length: 15 }, (_, i) =>
  meter.createHistogram(`grpo.histogram.${i}`, {
    description: `A histogram of the GRPO run, number ${i}`,
    unit: 's',
  }),
);
for (let c = 0; c < 3; c++) {
  for (let step = 0; step < 15; step++) {
    for (const f of functions) {
      const attrs = { 'grpo.reward.function': f, 'grpo.run.id': '20261126T041057.017Z-739f72c1' };
      for (const x of counters) x.add(step + 1, attrs);
      for (const g of gauges) g.record(step / 7, attrs);
      for (const h of histograms) h.record(step / 3, attrs);
    }
  }
  collections.push((await reader.collect()).resourceMetrics);
}
const writers: Record<string, (rm: ResourceMetrics) => Uint8Array | undefined> = {
  otel: (rm) => OtelSerializer.serializeRequest(rm),
  ours: serializeMetricsExportRequest,
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
  for (const rm of collections) write(rm);
  const cold = cpuMs() - c0;
  const c1 = cpuMs();
  for (let r = 0; r < 50; r++) for (const rm of collections) write(rm);
  result[name] = { cold, warm: (cpuMs() - c1) / 50 };
}
for (const rm of collections)
  assert.deepEqual(Buffer.from(writers.ours!(rm)!), Buffer.from(writers.otel!(rm)!));
const points = collections[0]!.scopeMetrics.reduce(
  (n, sm) => n + sm.metrics.reduce((k, m) => k + m.dataPoints.length, 0),
  0,
);
console.log(
  `${collections.length} collections of ${points} data points (same bytes: checked); order ${order.join(', ')}`,
);
for (const name of ['otel', 'ours']) {
  const r = result[name]!;
  console.log(`${name}: cold ${r.cold.toFixed(2)} ms CPU, warm ${r.warm.toFixed(3)} ms CPU per run's worth`);
}
