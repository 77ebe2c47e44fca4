// Sink throughput: the same protobuf OTLP requests (made by OpenTelemetry JS's serializers) POSTed to
// `grpo-otel sink` (a process) and to otelcol-grpo writing them with its own file exporter
// (collector-config/test-file.yaml), one after the other, each with CONCURRENCY requests in flight.
// Prints, per workload, items per second of wall time and per CPU-second of the receiving process
// (utime + stime from /proc: "per busy core"), and that process's peak RSS.
// Workloads: log records (channel lines and model outputs, to the log files and CSV), metric points
// (gauges with grpo.step, to TensorBoard), and grpo.step.batch records (the analyses; the collector
// only stores them, so its figure is the cost of passing them on).
// Run: pnpm bench:sink  [BENCH_SCALE=1 (requests per workload x100), BENCH_CONCURRENCY=4]
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { startCollector } from '@grpo-otel/testkit/collector';
import { startSink } from '@grpo-otel/testkit/sink';
import { tempDirUntilExit } from '@grpo-otel/testkit/tempDir';
import { waitFor } from '@grpo-otel/testkit/waitFor';
import {
  logsBody,
  makeLogRecords,
  makeMetrics,
  metricsBody,
} from '../../packages/sink/test/support/producers.js';
import { batchAttributes } from '../../packages/sink/test/support/stepBatch.js';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const REQUESTS = Math.max(1, Math.round(100 * SCALE));
const RECORDS_PER_REQUEST = 500;
const POINTS_PER_REQUEST = 500;
const BATCHES_PER_REQUEST = 10;
const CLK_TCK = 100;

function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

interface Workload {
  name: string;
  unit: string;
  signal: 'logs' | 'metrics';
  perRequest: number;
  bodies: Uint8Array[];
}

async function workloads(): Promise<Workload[]> {
  const resource = { 'grpo.run.id': `bench-sink-${process.pid}`, 'service.name': 'bench' };
  const logs: Uint8Array[] = [];
  const points: Uint8Array[] = [];
  const batches: Uint8Array[] = [];
  for (let r = 0; r < REQUESTS; r++) {
    const records = await makeLogRecords(resource, (logger) => {
      for (let i = 0; i < RECORDS_PER_REQUEST; i++) {
        const step = r * 10 + Math.floor(i / 50);
        if (i % 5 === 0)
          logger('model_outputs').emit({
            severityNumber: 9,
            eventName: 'grpo.model_output',
            body: `completion ${i}`,
            attributes: {
              'grpo.step': step,
              'grpo.sample.question': 'What is 2+2?',
              'grpo.sample.answer': '4',
              'grpo.sample.correct': true,
            },
          });
        else
          logger(i % 2 ? 'training' : 'rewards').emit({
            severityNumber: 9,
            body: `step ${step}: loss 0.${i}`,
            attributes: { 'grpo.step': step },
          });
      }
    });
    logs.push(logsBody(records, 'protobuf'));
    const rm = await makeMetrics(resource, (meter) => {
      const g = meter.createGauge('grpo.reward.mean');
      for (let i = 0; i < POINTS_PER_REQUEST; i++)
        g.record(i / POINTS_PER_REQUEST, {
          'grpo.reward.function': `f${i % 10}`,
          'grpo.step': r * 50 + Math.floor(i / 10),
        });
    });
    points.push(metricsBody(rm, 'protobuf'));
    const batch = await makeLogRecords(resource, (logger) => {
      for (let i = 0; i < BATCHES_PER_REQUEST; i++)
        logger('rewards').emit({
          eventName: 'grpo.step.batch',
          attributes: batchAttributes({
            step: r * BATCHES_PER_REQUEST + i + 1,
            level: 0.5,
            groupSize: 8,
            groups: 8,
          }) as never,
        });
    });
    batches.push(logsBody(batch, 'protobuf'));
  }
  return [
    { name: 'log records', unit: 'records', signal: 'logs', perRequest: RECORDS_PER_REQUEST, bodies: logs },
    {
      name: 'metric points',
      unit: 'points',
      signal: 'metrics',
      perRequest: POINTS_PER_REQUEST,
      bodies: points,
    },
    {
      name: 'step batches (64 completions)',
      unit: 'batches',
      signal: 'logs',
      perRequest: BATCHES_PER_REQUEST,
      bodies: batches,
    },
  ];
}

async function post(base: string, w: Workload): Promise<number> {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < w.bodies.length) {
      const body = w.bodies[next++]!;
      for (let attempt = 0; ; attempt++) {
        const res = await fetch(`${base}/v1/${w.signal}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf' },
          body,
        });
        await res.arrayBuffer();
        if (res.status === 200) break;
        if (attempt > 20) {
          failed++;
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return failed;
}

interface Row {
  target: string;
  workload: Workload;
  wall: number;
  cpu: number;
  rss: number;
  failed: number;
}

async function measure(
  target: string,
  base: string,
  pid: number,
  w: Workload,
  settled: () => Promise<unknown>,
): Promise<Row> {
  let rss = rssOf(pid);
  const timer = setInterval(() => {
    rss = Math.max(rss, rssOf(pid));
  }, 100);
  const cpu0 = cpuSecondsOf(pid);
  const t0 = performance.now();
  const failed = await post(base, w);
  await settled();
  const wall = (performance.now() - t0) / 1000;
  clearInterval(timer);
  return { target, workload: w, wall, cpu: cpuSecondsOf(pid) - cpu0, rss, failed };
}

/** The collector's exporter counters, to wait until its file exporter has sent everything. */
async function sent(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let n = 0;
  for (const line of text.split('\n')) {
    const m = /^otelcol_exporter_sent_(log_records|metric_points)(?:_total)?(?:\{[^}]*\})? ([0-9.e+]+)$/.exec(
      line,
    );
    if (m) n += Number(m[2]);
  }
  return n;
}

const ws = await workloads();
const rows: Row[] = [];
const out = await tempDirUntilExit('grpo-bench-sink-');
const sink = await startSink({ out });
try {
  for (const w of ws)
    rows.push(await measure('grpo-otel sink', sink.endpoint, sink.child.pid!, w, async () => undefined));
} finally {
  await sink.stop();
}
const collector = await startCollector();
try {
  let expected = await sent(collector.metricsEndpoint);
  for (const w of ws) {
    expected += w.bodies.length * w.perRequest;
    rows.push(
      await measure('otelcol file exporter', collector.otlpHttpEndpoint, collector.pid, w, () =>
        waitFor(
          async () => ((await sent(collector.metricsEndpoint)) >= expected ? true : undefined),
          60_000,
          'the collector to write everything',
          50,
        ),
      ),
    );
  }
} finally {
  await collector.stop();
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), shared; Node ${process.version}`);
console.log(`requests per workload: ${REQUESTS}, ${CONCURRENCY} in flight, protobuf, no gzip\n`);
console.log('| workload | receiver | items | wall | items/s | CPU-s | items/s per busy core | peak RSS |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const items = r.workload.bodies.length * r.workload.perRequest;
  console.log(
    `| ${r.workload.name} | ${r.target} | ${fmt(items)} ${r.workload.unit} | ${r.wall.toFixed(2)} s | ${fmt(items / r.wall)} | ${r.cpu.toFixed(2)} | ${fmt(items / Math.max(r.cpu, 0.01))} | ${(r.rss / 1024 / 1024).toFixed(0)} MiB |${r.failed ? ` (${r.failed} requests failed)` : ''}`,
  );
}
