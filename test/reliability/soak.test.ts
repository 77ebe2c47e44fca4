// Soak: one trainer process logs at a high, steady rate for a bounded time (GRPO_SOAK_SECONDS, default
// 600 s) through every sink at once: a rotating log file, a rotating CSV, TensorBoard, and OTLP logs,
// metrics and spans to the real otelcol-grpo (collector-config/test-sink.yaml). The trainer samples its
// own heap (after a full GC) and RSS every few seconds. Asserted:
//   - memory is flat: over the second half of the run, the least-squares slope of the heap after GC stays
//     below HEAP_SLOPE_BOUND, and the RSS never exceeds RSS_BOUND;
//   - nothing is lost while the rate is below the queue bound: the SDK counts zero drops, each OTLP queue's
//     peak stays below its bound and ends empty, and the collector accepted exactly what the SDK delivered
//     (its own otelcol_receiver_* counters), refusing nothing.
// The figures (rates, memory, collector RSS) are printed as test diagnostics; docs/reliability.md cites them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type RunningCollector, startCollector } from '@grpo-otel/testkit/collector';
import { installExitHook, live } from '@grpo-otel/testkit/exitCleanup';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import { tempDirUntilExit } from '@grpo-otel/testkit/tempDir';

const SECONDS = Number(process.env.GRPO_SOAK_SECONDS ?? 600);
const STEPS_PER_SECOND = 50;
const RECORDS_PER_STEP = 60;
const SAMPLE_MS = 3000;
/** Heap growth allowed over the second half, in bytes per minute (a leak of one record per step is ~10x). */
const HEAP_SLOPE_BOUND = 512 * 1024;
/** Resident set of the trainer process (Node, tsx, the SDK, its analysis worker) at most. */
const RSS_BOUND = 320 * 1024 * 1024;

const TRAINER = join(repoRoot, 'test', 'fixtures', 'soakTrainer.ts');

interface Sample {
  t: number;
  heapUsed: number;
  rss: number;
  records: number;
  steps: number;
}
interface QueueStats {
  signal: 'logs' | 'metrics' | 'traces';
  name: string;
  records: number;
  maxRecords: number;
  peakRecords: number;
  peakBytes: number;
  delivered: number;
  errors: Record<string, number>;
}
interface Summary {
  records: number;
  steps: number;
  elapsed: number;
  drops: { signal: string; reason: string; where: string; count: number }[];
  queues: QueueStats[];
}

/** Least-squares slope of y over x. */
function slope(points: readonly [number, number][]): number {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  return sxy / sxx;
}

/** The collector's own counters, by name (labels ignored, values summed). */
async function collectorCounters(c: RunningCollector): Promise<Map<string, number>> {
  const text = await (await fetch(c.metricsEndpoint)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(otelcol_receiver_(?:accepted|refused)_[a-z_]+?)(?:_total)?(?:\{[^}]*\})? ([0-9.e+]+)$/.exec(
      line,
    );
    if (m) out.set(m[1]!, (out.get(m[1]!) ?? 0) + Number(m[2]));
  }
  return out;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

let collector: RunningCollector;
let samples: Sample[] = [];
let summary: Summary;
let collectorRssMax = 0;
let code: number | null;
let stderr = '';

before(async () => {
  collector = await startCollector({ config: 'collector-config/test-sink.yaml' });
  const outDir = await tempDirUntilExit('grpo-soak-');
  const child = spawn(process.execPath, ['--expose-gc', '--conditions=source', '--import', 'tsx', TRAINER], {
    cwd: repoRoot,
    env: {
      ...process.env,
      OUT_DIR: outDir,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpEndpoint,
      SOAK_SECONDS: String(SECONDS),
      SOAK_STEPS_PER_SECOND: String(STEPS_PER_SECOND),
      SOAK_RECORDS_PER_STEP: String(RECORDS_PER_STEP),
      SAMPLE_MS: String(SAMPLE_MS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  installExitHook();
  live.add(child);
  const rssTimer = setInterval(() => {
    collectorRssMax = Math.max(collectorRssMax, rssOf(collector.pid));
  }, SAMPLE_MS);
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      nl = buffered.indexOf('\n');
      if (!line.startsWith('{')) continue;
      const msg = JSON.parse(line) as { sample?: Sample; summary?: Summary };
      if (msg.sample) samples.push(msg.sample);
      if (msg.summary) summary = msg.summary;
    }
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr = (stderr + c).slice(-64 * 1024);
  });
  code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  live.delete(child);
  clearInterval(rssTimer);
  samples = samples.sort((a, b) => a.t - b.t);
});

after(async () => {
  await collector?.stop();
});

test(`soak: ${SECONDS} s at ${STEPS_PER_SECOND} steps/s through every sink`, {
  timeout: (SECONDS + 300) * 1000,
}, async (t) => {
  assert.equal(code, 0, stderr);
  assert.ok(summary, 'the trainer printed its summary');
  assert.ok(samples.length >= 6, `${samples.length} memory samples`);

  // Nothing lost below the bound.
  assert.deepEqual(summary.drops, [], 'the SDK dropped nothing');
  const counters = await collectorCounters(collector);
  const accepted = {
    logs: counters.get('otelcol_receiver_accepted_log_records'),
    metrics: counters.get('otelcol_receiver_accepted_metric_points'),
    traces: counters.get('otelcol_receiver_accepted_spans'),
  };
  for (const q of summary.queues) {
    assert.equal(q.records, 0, `${q.signal} queue empty at the end`);
    assert.ok(
      q.peakRecords < q.maxRecords,
      `${q.signal} queue peak ${q.peakRecords} < bound ${q.maxRecords}`,
    );
    assert.deepEqual(q.errors, {}, `${q.signal}: no failed exports`);
    assert.equal(accepted[q.signal], q.delivered, `${q.signal}: collector accepted = SDK delivered`);
  }
  for (const name of ['log_records', 'metric_points', 'spans']) {
    assert.equal(counters.get(`otelcol_receiver_refused_${name}`), 0, `collector refused no ${name}`);
  }
  const logs = summary.queues.find((q) => q.signal === 'logs')!;
  assert.ok(
    logs.delivered >= summary.records,
    `${logs.delivered} log records delivered >= ${summary.records} logged`,
  );

  // Flat memory.
  const half = samples.filter((s) => s.t >= samples[samples.length - 1]!.t / 2);
  const heapPerMinute = slope(half.map((s) => [s.t, s.heapUsed])) * 60;
  const rssPerMinute = slope(half.map((s) => [s.t, s.rss])) * 60;
  const rssMax = Math.max(...samples.map((s) => s.rss));
  const heapMax = Math.max(...samples.map((s) => s.heapUsed));
  const rate = logs.delivered / summary.elapsed;
  const mib = (b: number) => (b / 1024 / 1024).toFixed(1);
  t.diagnostic(
    `soak ${summary.elapsed.toFixed(0)} s: ${summary.steps} steps, ${logs.delivered} log records ` +
      `(${rate.toFixed(0)}/s over OTLP, each also to a local sink), ` +
      `${summary.queues.find((q) => q.signal === 'metrics')!.delivered} metric points, ` +
      `${summary.queues.find((q) => q.signal === 'traces')!.delivered} spans; ` +
      `queue peaks ${summary.queues.map((q) => `${q.signal} ${q.peakRecords}/${q.maxRecords}`).join(', ')}; ` +
      `heap after GC max ${mib(heapMax)} MiB, slope over the second half ${(heapPerMinute / 1024).toFixed(1)} KiB/min; ` +
      `RSS max ${mib(rssMax)} MiB, slope ${(rssPerMinute / 1024).toFixed(1)} KiB/min; collector RSS max ${mib(collectorRssMax)} MiB`,
  );
  assert.ok(
    heapPerMinute < HEAP_SLOPE_BOUND,
    `heap grows ${heapPerMinute.toFixed(0)} B/min over the second half`,
  );
  assert.ok(rssMax < RSS_BOUND, `RSS max ${rssMax} B`);
});
