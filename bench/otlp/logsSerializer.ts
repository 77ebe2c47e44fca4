// The training thread's cost of writing OTLP/HTTP protobuf log requests: OTel's ProtobufLogsSerializer
// (otlp-transformer) vs ours (packages/sdk/src/otlp/protobuf), same records, same bytes.
// A demo run's worth of records (310 log records, shaped like the demo's: rewards with 10 attributes,
// training and metrics lines, model outputs) in 10 batches of 32, as the 1 s batch delay cuts them.
// "cold" is the first pass of each writer in a fresh process (the code a training run meets: export
// code runs a few times a second, it never gets hot); "warm" the mean of 50 further passes.
// Each process measures both, in the order given; run both orders.
// Usage: node --conditions=source --import tsx bench/otlp/logsSerializer.ts [otel-first|ours-first]
// Measured (2 cores shared with other jobs, Node 20; 12 processes, orders alternating; ms CPU for the
// run's 310 records): cold otel median 21.1 (13.0-29.0), ours 11.0 (4.3-16.4), per-process ratio
// median 0.55; warm otel 1.90, ours 1.41 (0.74).
import assert from 'node:assert/strict';
import { ProtobufLogsSerializer as OtelSerializer } from '../../packages/sdk/node_modules/@opentelemetry/otlp-transformer/build/src/index.js';
import { resourceFromAttributes } from '../../packages/sdk/node_modules/@opentelemetry/resources/build/src/index.js';
import {
  LoggerProvider,
  type SdkLogRecord,
} from '../../packages/sdk/node_modules/@opentelemetry/sdk-logs/build/src/index.js';
import { serializeLogsExportRequest } from '../../packages/sdk/src/otlp/protobuf/ProtobufLogsSerializer.js';

const records: SdkLogRecord[] = [];
const provider = new LoggerProvider({
  resource: resourceFromAttributes({
    'service.name': 'grpo-demo',
    'service.instance.id': '20261126T041057.017Z-739f72c1',
    'grpo.run.id': '20261126T041057.017Z-739f72c1',
    'host.name': 'trainer-0',
    'process.pid': 4242,
    'process.runtime.name': 'nodejs',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.version': '2.12.0',
  }),
  processors: [
    { onEmit: (r: SdkLogRecord) => records.push(r), forceFlush: async () => {}, shutdown: async () => {} },
  ],
});
const completion = (i: number) =>
  `<reasoning>Tom has ${i} apples and buys 3 more, so he has ${i} + 3 = ${i + 3}.</reasoning><answer>${i + 3}</answer>`;
for (let step = 1; step <= 40; step++) {
  const rewards = provider.getLogger('rewards');
  for (let k = 0; k < 4; k++) {
    const attributes: Record<string, string | number> = { 'grpo.step': step, 'grpo.sample.index': k };
    for (const f of ['correctness', 'format', 'repetition', 'topic'])
      attributes[`grpo.reward.${f}`] = (k + 1) / 7;
    attributes['grpo.sample.completion'] = completion(step * 10 + k).repeat(8);
    attributes['grpo.sample.question'] =
      `Tom has ${step} apples and buys 3 more. How many apples does he have now?`;
    attributes['code.function.name'] = 'logReward';
    rewards.emit({
      severityNumber: 9,
      severityText: 'INFO',
      body: `rewards for sample ${k} at step ${step}: total ${(k / 3).toFixed(3)}`,
      attributes,
    });
  }
  provider.getLogger('training').emit({
    severityNumber: 9,
    severityText: 'INFO',
    body: `step ${step}: loss=0.0023159, grad_norm=0.42863, learning_rate=8.000e-4, clip_ratio/low_mean=0`,
    attributes: {
      'grpo.step': step,
      'grpo.loss': 0.0023,
      'grpo.grad_norm': 0.42,
      'grpo.learning_rate': 8e-4,
    },
  });
  provider.getLogger('metrics').emit({
    severityNumber: 9,
    severityText: 'INFO',
    body: `step ${step} metrics: reward mean 0.242, std 0.11, correctness 0.016, format 0.5, length 48.2 tokens, entropy 2.31`,
    attributes: {
      'grpo.step': step,
      'grpo.reward.mean': 0.242,
      'grpo.reward.std': 0.11,
      'grpo.entropy': 2.31,
      'grpo.kl': 0.002,
    },
  });
  provider.getLogger('model_outputs').emit({
    severityNumber: 9,
    severityText: 'INFO',
    body: completion(step),
    attributes: {
      'grpo.step': step,
      'grpo.sample.question': 'What is 2+2?',
      'grpo.sample.answer': '4',
      'grpo.sample.expected_answer': '4',
      'grpo.sample.reasoning': 'two plus two is four',
      'grpo.sample.correct': true,
      'grpo.sample.index': 0,
    },
  });
  provider.getLogger('whitelist').emit({
    severityNumber: 5,
    severityText: 'DEBUG',
    body: `whitelist matches at step ${step}: apples, buys, more`,
    attributes: {
      'grpo.step': step,
      'grpo.whitelist.matches': ['apples', 'buys', 'more'],
      'grpo.whitelist.count': 3,
      'grpo.sample.index': 0,
    },
  });
  if (step % 4 === 0) records.pop(); // about 412 in all
}
const batches: SdkLogRecord[][] = [];
for (let i = 0; i < records.length; i += 32) batches.push(records.slice(i, i + 32));

const writers: Record<string, (b: SdkLogRecord[]) => Uint8Array | undefined> = {
  otel: (b) => OtelSerializer.serializeRequest(b),
  ours: serializeLogsExportRequest,
};
const order = process.argv[2] === 'ours-first' ? ['ours', 'otel'] : ['otel', 'ours'];
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const result: Record<string, { cold: number; warm: number; bytes: number }> = {};
for (const name of order) {
  const write = writers[name]!;
  const c0 = cpuMs();
  let bytes = 0;
  for (const b of batches) bytes += write(b)!.length;
  const cold = cpuMs() - c0;
  const c1 = cpuMs();
  for (let r = 0; r < 50; r++) for (const b of batches) write(b);
  result[name] = { cold, warm: (cpuMs() - c1) / 50, bytes };
}
for (const b of batches) assert.deepEqual(Buffer.from(writers.ours!(b)!), Buffer.from(writers.otel!(b)!));
console.log(
  `${records.length} records, ${batches.length} batches, ${result.ours!.bytes} bytes (same bytes: checked); order ${order.join(', ')}`,
);
for (const name of ['otel', 'ours']) {
  const r = result[name]!;
  console.log(`${name}: cold ${r.cold.toFixed(2)} ms CPU, warm ${r.warm.toFixed(2)} ms CPU per run's worth`);
}
console.log(
  `ratio ours/otel: cold ${(result.ours!.cold / result.otel!.cold).toFixed(3)}, warm ${(result.ours!.warm / result.otel!.warm).toFixed(3)}`,
);
