// Collector throughput: K sender processes (bench/collector-throughput/sender.ts) log through the SDK over
// OTLP/HTTP to one otelcol-grpo (collector-config/test-sink.yaml: the gateway's receive path, OTLP in,
// memory_limiter, batch, a debug exporter that keeps nothing), as fast as their queues drain, for
// BENCH_SECONDS. Prints records/s the collector accepted, its CPU per million records and peak RSS, and
// each sender's CPU and RSS. The senders share the machine with the collector: on a small machine the
// records/s is bounded by the senders, and CPU-seconds per million records is the figure to size with.
// Run: pnpm bench:collector  [BENCH_SENDERS=4 BENCH_SECONDS=20 BENCH_BATCH=512 (otlp.queue.max_export_batch_size)]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '@grpo-otel/testkit/collector';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';

const SENDERS = Number(process.env.BENCH_SENDERS ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const SENDER = join(repoRoot, 'bench', 'collector-throughput', 'sender.ts');
const CLK_TCK = 100;

interface SenderResult {
  records: number;
  elapsed: number;
  cpuSeconds: number;
  rssMax: number;
  drops: number;
  delivered: Record<string, number>;
}

/** utime + stime of a process, in seconds (from /proc; clock ticks of 1/100 s). */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

async function accepted(metricsUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(metricsUrl)).text();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^otelcol_receiver_(accepted|refused)_([a-z_]+?)(?:_total)?(?:\{[^}]*\})? ([0-9.e+]+)$/.exec(
      line,
    );
    if (m) out[`${m[1]}_${m[2]}`] = (out[`${m[1]}_${m[2]}`] ?? 0) + Number(m[3]);
  }
  return out;
}

function runSender(env: Record<string, string>): Promise<SenderResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', SENDER], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"sender"'));
      if (code !== 0 || !line) reject(new Error(`sender exited ${code}: ${out}`));
      else resolve((JSON.parse(line) as { sender: SenderResult }).sender);
    });
  });
}

const collector = await startCollector({ config: 'collector-config/test-sink.yaml' });
try {
  const before = await accepted(collector.metricsEndpoint);
  const cpuBefore = cpuSecondsOf(collector.pid);
  let rssMax = rssOf(collector.pid);
  const timer = setInterval(() => {
    rssMax = Math.max(rssMax, rssOf(collector.pid));
  }, 500);
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: SENDERS }, (_, k) =>
      runSender({
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpEndpoint,
        BENCH_SECONDS: String(SECONDS),
        RANK: String(k),
        WORLD_SIZE: String(SENDERS),
        GRPO_RUN_ID: `bench-${process.pid}`,
      }),
    ),
  );
  const wall = (performance.now() - t0) / 1000;
  clearInterval(timer);
  const after = await accepted(collector.metricsEndpoint);
  const collectorCpu = cpuSecondsOf(collector.pid) - cpuBefore;
  const d = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
  const logs = d('accepted_log_records');
  const points = d('accepted_metric_points');
  const sent = results.reduce((a, r) => a + r.records, 0);
  const mib = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;
  const perSender = results.map((r) => r.records / r.elapsed);
  console.log(`machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), shared`);
  console.log(
    `senders: ${SENDERS} processes x ${SECONDS} s, SDK -> OTLP/HTTP (protobuf) -> otelcol-grpo, ` +
      `max_export_batch_size ${process.env.BENCH_BATCH ?? 512}`,
  );
  console.log(
    `collector accepted: ${logs} log records (${(logs / wall).toFixed(0)}/s over ${wall.toFixed(1)} s incl. start and flush), ` +
      `${points} metric points; refused ${d('refused_log_records') + d('refused_metric_points')}`,
  );
  console.log(
    `records logged by the senders: ${sent}; SDK drops: ${results.reduce((a, r) => a + r.drops, 0)}`,
  );
  console.log(
    `collector CPU: ${collectorCpu.toFixed(1)} s = ${((collectorCpu / logs) * 1e6).toFixed(1)} CPU-s per million log records ` +
      `(${(logs / collectorCpu).toFixed(0)} records/s per busy core); peak RSS ${mib(rssMax)}`,
  );
  console.log(
    `per sender: ${perSender.map((x) => x.toFixed(0)).join(', ')} records/s; ` +
      `CPU ${results.map((r) => ((r.cpuSeconds / r.records) * 1e6).toFixed(1)).join(', ')} CPU-s per million records; ` +
      `peak RSS ${results.map((r) => mib(r.rssMax)).join(', ')}`,
  );
  if (logs < sent) console.log(`WARNING: accepted ${logs} < logged ${sent}`);
} finally {
  await collector.stop();
}
