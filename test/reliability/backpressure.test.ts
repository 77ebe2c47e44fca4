// Backpressure for minutes (reliability suite): a trainer-like loop logs at a high rate while the real
// collector is healthy, then killed for minutes, then restarted on the same port; then while the
// collector stalls (accepts, never answers) and while it answers 503. Asserted: counts (sent - dropped
// == received, exactly), the queue's bound, bounded heap growth. Step times are measured and printed
// (docs/reliability.md reports them); they are not asserted (timing assertions do not belong in tests).
// Without GRPO_RELIABILITY=1 the phases last seconds instead of minutes.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  type GrpoTelemetry,
  getLogger,
  getTelemetry,
  initialize,
  logTrainingProgress,
  parseConfig,
  shutdown,
  withSpan,
} from '@grpo-otel/sdk';
import { type RunningCollector, startCollector } from '@grpo-otel/testkit/collector';
import { anyValue, exportedLogRecords } from '@grpo-otel/testkit/otlpJson';
import { waitFor } from '@grpo-otel/testkit/waitFor';
import { startFaultProxy, startStallServer } from '../helpers/faultServers.js';

const FULL = process.env.GRPO_RELIABILITY === '1';
const OUTAGE_S = FULL ? 150 : 6;
const HEALTHY_S = FULL ? 20 : 3;
const STALL_S = FULL ? 60 : 4;
const RECORDS_PER_STEP = 20;
const MAX_RECORDS = FULL ? 20_000 : 2000;
const MAX_BYTES = 8 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function configYaml(endpoint: string): string {
  return `version: 1
# This trainer reads the instance's internals (its export queues' stats): it runs on the calling thread.
telemetry_thread: { enabled: false }
root: { level: INFO, handlers: [] }
loggers:
  backpressure: { level: INFO, handlers: [otlp], propagate: false }
handlers:
  # Only this test's channel goes to OTLP (the facade logs on the standard channels too), so the
  # records sent are exactly the ones counted.
  otlp: { class: otlp }
metrics:
  enable: { resource_metrics: true }
otlp:
  enabled: true
  endpoint: ${endpoint}
  timeout: 2
  logs: false
  metrics: true
  traces: true
  export_interval: 1
  queue:
    max_records: ${MAX_RECORDS}
    max_bytes: ${MAX_BYTES}
    overflow: drop_oldest
    retry: { initial_interval: 0.25, max_interval: 2 }
`;
}

function start(endpoint: string): GrpoTelemetry {
  const env = {};
  const t = initialize({
    config: parseConfig(configYaml(endpoint), { source: 'backpressure-reliability.yaml', baseDir: '/', env }),
    env,
    handleExit: false,
  });
  assert.ok(t);
  return t;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};

interface PhaseResult {
  name: string;
  steps: number;
  records: number;
  stepMedianMs: number;
  stepP95Ms: number;
  telemetryMedianMs: number;
  telemetryP99Ms: number;
  heapMaxMiB: number;
  /** Heap after a full GC at the end of the phase (what is really held). */
  heapAfterGcMiB: number;
  /** Peak records / MiB held by each signal's queue so far. */
  queues: string;
}

/** A trainer-like loop: fixed CPU work per step, then RECORDS_PER_STEP log records, metrics and a span. */
class Trainer {
  seq = 0;
  step = 0;
  private sink = 0;
  constructor(private readonly prefix: string) {}

  private work(): void {
    // About a millisecond or two of arithmetic: stands in for a training step's compute.
    let x = this.sink;
    for (let i = 0; i < 60_000; i++) x += Math.sin(i + x) * 1e-9;
    this.sink = x;
  }

  async run(name: string, seconds: number, sample: () => void): Promise<PhaseResult> {
    const stepMs: number[] = [];
    const telemetryMs: number[] = [];
    let heapMax = 0;
    const first = this.seq;
    const log = getLogger('backpressure');
    const end = Date.now() + seconds * 1000;
    let nextSample = 0;
    while (Date.now() < end) {
      const t0 = performance.now();
      this.work();
      const t1 = performance.now();
      const step = this.step++;
      withSpan('grpo.bp.step', { 'grpo.step': step }, () => {
        for (let k = 0; k < RECORDS_PER_STEP; k++) {
          log.info(`${this.prefix}-${this.seq++} step ${step} reward=${(Math.random() * 2).toFixed(4)}`, {
            'grpo.step': step,
          });
        }
        logTrainingProgress(step, { loss: 1 / (step + 1), reward: Math.random() });
      });
      const t2 = performance.now();
      stepMs.push(t2 - t0);
      telemetryMs.push(t2 - t1);
      if (Date.now() >= nextSample) {
        nextSample = Date.now() + 1000;
        heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
        sample();
      }
      // The trainer yields once per step (a real one awaits its tensor library here).
      await sleep(2);
    }
    gc();
    const heapAfterGc = process.memoryUsage().heapUsed;
    const queues = (getTelemetry()?.exportQueues ?? [])
      .map((x) => x.stats())
      .map((x) => `${x.signal}:${x.peakRecords}/${(x.peakBytes / 1048576).toFixed(2)}MiB`)
      .join(' ');
    return {
      name,
      steps: stepMs.length,
      records: this.seq - first,
      stepMedianMs: quantile(stepMs, 0.5),
      stepP95Ms: quantile(stepMs, 0.95),
      telemetryMedianMs: quantile(telemetryMs, 0.5),
      telemetryP99Ms: quantile(telemetryMs, 0.99),
      heapMaxMiB: heapMax / 1048576,
      heapAfterGcMiB: heapAfterGc / 1048576,
      queues,
    };
  }
}

function logQueue() {
  const s = getTelemetry()
    ?.exportQueues.map((q) => q.stats())
    .find((q) => q.signal === 'logs');
  assert.ok(s);
  return s;
}

async function received(collectors: RunningCollector[], prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const c of collectors) {
    for (const r of exportedLogRecords(await c.readExported())) {
      const body = anyValue(r.item.body);
      if (typeof body === 'string' && body.startsWith(`${prefix}-`)) out.push(body.split(' ')[0]!);
    }
  }
  return out;
}

function report(title: string, phases: PhaseResult[], extra: Record<string, unknown>): void {
  const rows = phases.map(
    (p) =>
      `  ${p.name.padEnd(10)} steps=${p.steps} records=${p.records} step median=${p.stepMedianMs.toFixed(2)}ms p95=${p.stepP95Ms.toFixed(2)}ms telemetry median=${p.telemetryMedianMs.toFixed(3)}ms p99=${p.telemetryP99Ms.toFixed(3)}ms heap max=${p.heapMaxMiB.toFixed(1)}MiB after gc=${p.heapAfterGcMiB.toFixed(1)}MiB queue peaks ${p.queues}`,
  );
  process.stdout.write(`# ${title}\n${rows.map((r) => `# ${r}`).join('\n')}\n# ${JSON.stringify(extra)}\n`);
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await shutdown();
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

describe('backpressure for minutes', { timeout: 30 * 60_000 }, () => {
  test(`collector killed for ${OUTAGE_S} s at a high rate, restarted on the same port: sent - dropped == received`, async () => {
    const first = await startCollector();
    cleanups.push(() => first.stop());
    const port = new URL(first.otlpHttpEndpoint).port;
    // The same loop with no SDK at all (every call a no-op): the step time telemetry adds to.
    const off = await new Trainer('off').run('no SDK', HEALTHY_S, () => undefined);
    const t = start(first.otlpHttpEndpoint);
    const trainer = new Trainer('down');
    gc();
    const heapStart = process.memoryUsage().heapUsed;
    const healthy = await trainer.run('healthy', HEALTHY_S, () => undefined);

    await first.stop(); // SIGTERM by PID: the collector is gone for the outage
    let peakHeld = 0;
    const down = await trainer.run('down', OUTAGE_S, () => {
      peakHeld = Math.max(peakHeld, logQueue().bytes);
    });
    gc();
    const heapAfterOutage = process.memoryUsage().heapUsed;

    const second = await startCollector({ env: { GRPO_OTLP_HTTP_PORT: port } });
    cleanups.push(() => second.stop());
    // The queue's next try may be up to max_interval (+ jitter) away. The trainer goes on once a batch
    // reached the new collector: a fast machine would otherwise log enough in that gap to evict (drop_oldest)
    // the end of the outage that the check below expects to arrive.
    const deliveredBefore = logQueue().delivered;
    await waitFor(
      async () => (logQueue().delivered > deliveredBefore ? true : undefined),
      30_000,
      'a first delivery to the restarted collector',
      50,
    );
    const recovered = await trainer.run('recovered', HEALTHY_S, () => undefined);
    await waitFor(async () => (logQueue().records === 0 ? true : undefined), 120_000, 'the queue to drain');

    const q = logQueue();
    const dropped = t.drops.total({ signal: 'logs', where: 'otlp' });
    await shutdown();
    // The collector has answered every export, but its batch processor and file exporter may still
    // hold the last records: stopping it (SIGTERM by PID) flushes them to its file.
    await second.stop();
    const ids = await received([first, second], 'down');
    report('collector down', [off, healthy, down, recovered], {
      sent: trainer.seq,
      dropped,
      received: ids.length,
      heapStartMiB: +(heapStart / 1048576).toFixed(1),
      heapAfterOutageMiB: +(heapAfterOutage / 1048576).toFixed(1),
      errors: Object.fromEntries(q.errors),
    });
    assert.ok(q.peakRecords <= MAX_RECORDS && q.peakBytes <= MAX_BYTES, 'the bound held');
    assert.ok(dropped > 0, 'the outage overflowed the queue (the test exercised the bound)');
    assert.equal(t.drops.total({ signal: 'logs', reason: 'queue_full' }), dropped, 'only queue_full drops');
    assert.equal(ids.length, trainer.seq - dropped, 'sent - dropped == received');
    assert.equal(new Set(ids).size, ids.length, 'no record arrived twice');
    // What the queue held at the end of the outage is the newest records (drop_oldest).
    const got = new Set(ids);
    const lastOfOutage = healthy.records + down.records;
    for (let i = lastOfOutage - 1000; i < lastOfOutage; i++) assert.ok(got.has(`down-${i}`), `down-${i}`);
    assert.ok(
      heapAfterOutage - heapStart < 6 * MAX_BYTES,
      `heap grew ${((heapAfterOutage - heapStart) / 1048576).toFixed(1)} MiB over a ${OUTAGE_S} s outage`,
    );
  });

  test(`collector stalled (accepts, never answers) for ${STALL_S} s, then failing with 503 for ${STALL_S} s`, async () => {
    const collector = await startCollector();
    cleanups.push(() => collector.stop());
    const proxy = await startFaultProxy({ kind: 'forward', target: collector.otlpHttpEndpoint });
    cleanups.push(() => proxy.close());
    const stall = await startStallServer();
    cleanups.push(() => stall.close());
    // Logs go to a port that stalls, then (after a restart of the SDK) to the proxy that answers 503.
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let t = start(`http://127.0.0.1:${stall.port}`);
    const stalled = new Trainer('stall');
    const stallPhase = await stalled.run('stalled', STALL_S, () => undefined);
    const stallQueue = logQueue();
    assert.ok(stall.accepted() >= 1);
    assert.equal(stallQueue.delivered, 0, 'nothing was answered');
    assert.ok(stallQueue.peakRecords <= MAX_RECORDS && stallQueue.peakBytes <= MAX_BYTES);
    const stallDropped = t.drops.total({ signal: 'logs', where: 'otlp' });
    // Three queues (logs, spans, metric collections), each within MAX_BYTES of estimated size.
    assert.ok(
      stallPhase.heapAfterGcMiB - heapBefore / 1048576 < 6 * (MAX_BYTES / 1048576),
      `heap after the stall ${stallPhase.heapAfterGcMiB.toFixed(1)} MiB (before ${(heapBefore / 1048576).toFixed(1)} MiB)`,
    );
    assert.equal(stallQueue.records + stallDropped, stalled.seq, 'held + dropped == sent');
    await shutdown();

    t = start(proxy.endpoint);
    const trainer = new Trainer('fail');
    const healthy = await trainer.run('healthy', HEALTHY_S, () => undefined);
    proxy.setMode({ kind: 'status', statuses: [503] });
    const failing = await trainer.run('failing', STALL_S, () => undefined);
    proxy.setMode({ kind: 'forward', target: collector.otlpHttpEndpoint });
    await waitFor(async () => (logQueue().records === 0 ? true : undefined), 120_000, 'the queue to drain');
    const q = logQueue();
    const dropped = t.drops.total({ signal: 'logs', where: 'otlp' });
    await shutdown();
    await collector.stop(); // flushes what the collector still holds to its file (see above)
    const ids = await received([collector], 'fail');
    report('collector stalled, then failing (503)', [stallPhase, healthy, failing], {
      stalledSent: stalled.seq,
      stalledDropped: stallDropped,
      failSent: trainer.seq,
      failDropped: dropped,
      received: ids.length,
      errors: Object.fromEntries(q.errors),
    });
    assert.ok((q.errors.get('http_retryable') ?? 0) > 0, 'the 503s were seen');
    assert.equal(ids.length, trainer.seq - dropped, 'sent - dropped == received');
    assert.equal(new Set(ids).size, ids.length, 'no record arrived twice');
  });
});
