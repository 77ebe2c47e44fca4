// One sender of the collector-throughput bench: a trainer process that does nothing but log through the
// SDK to OTLP (no local sinks), as fast as its export queue drains, for BENCH_SECONDS. It never lets the
// queue pass half its bound, so nothing is dropped: what it sends is what the collector accepts.
// BENCH_BATCH sets otlp.queue.max_export_batch_size (default 512).
// Prints one JSON line: {"sender": {records, elapsed, cpuSeconds, rssMax, drops, delivered}}.
import { setTimeout as sleep, setImmediate as yieldLoop } from 'node:timers/promises';
import {
  getMetricsLogger,
  getRewardLogger,
  getTelemetry,
  getTrainingLogger,
  initialize,
  logTrainingProgress,
  parseConfig,
  shutdown,
} from '@grpo-otel/sdk';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const BURST = 200;
const CONFIG = `version: 1
resource: { service_name: grpo-bench-sender, experiment: collector-throughput }
root: { level: INFO, handlers: [] }
# The sender paces itself on its logs queue's fill (the instance's): it runs on this thread.
telemetry_thread: { enabled: false }
otlp: { export_interval: 1${process.env.BENCH_BATCH ? `, queue: { max_export_batch_size: ${process.env.BENCH_BATCH} }` : ''} }
`;

const env = process.env as Record<string, string>;
initialize({
  config: parseConfig(CONFIG, { source: 'sender.yaml', baseDir: '/', env }),
  env,
  handleExit: false,
});
const telemetry = getTelemetry()!;
const logsQueue = () => telemetry.exportQueues.map((q) => q.stats()).find((s) => s.signal === 'logs')!;
const loggers = [getTrainingLogger(), getRewardLogger(), getMetricsLogger()];

let records = 0;
let step = 0;
let rssMax = 0;
const cpu0 = process.cpuUsage();
const start = performance.now();
const end = start + SECONDS * 1000;
while (performance.now() < end) {
  const q = logsQueue();
  if (q.records > q.maxRecords / 2) {
    await sleep(2);
    continue;
  }
  step++;
  for (let i = 0; i < BURST; i++) {
    loggers[i % loggers.length]!.info(`step ${step} record ${i}`, { 'grpo.step': step, i });
  }
  records += BURST;
  logTrainingProgress(step, { loss: 1 / step });
  rssMax = Math.max(rssMax, process.memoryUsage.rss());
  await yieldLoop();
}
const elapsed = (performance.now() - start) / 1000;
await shutdown();
const cpu = process.cpuUsage(cpu0);
const delivered = Object.fromEntries(
  telemetry.exportQueues.map((q) => [q.stats().signal, q.stats().delivered]),
);
process.stdout.write(
  `${JSON.stringify({
    sender: {
      records,
      elapsed,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      rssMax,
      drops: telemetry.drops.total(),
      delivered,
    },
  })}\n`,
);
