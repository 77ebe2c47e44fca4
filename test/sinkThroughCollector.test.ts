// A trainer that only sends OTLP (raw OTLP/JSON batches, as the Python bridge sends them: one
// grpo.step.batch record per step, model outputs, a log line and a metric per step, a step span with a
// child span) -> the real collector (collector-config/local.yaml + local-sink.yaml) -> `grpo-otel sink`
// (a process, stopped with SIGTERM) -> the real TensorBoard reads the sink's event files at the steps the
// data carried; the CSV and log files exist; each run's traces.jsonl holds its spans, parent and child; the sink's analyses find the flat run's reward plateau and not the learning run's, and
// send their signals and metrics back through the collector (its log file and Prometheus exporter).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EVENT_GRPO_SIGNAL_TRIGGERED, METRICS, prometheusName } from '@grpo-otel/semconv';
import {
  attributesToObject,
  exportedLogRecords,
  exportedSpans,
  readExportFile,
} from '@grpo-otel/testkit/otlpJson';
import { parseCsv } from '@grpo-otel/testkit/parseCsv';
import { freePort } from '@grpo-otel/testkit/ports';
import { type LocalCollector, startLocalCollector } from '@grpo-otel/testkit/prometheus';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import { type RunningSink, type SinkExit, startSink } from '@grpo-otel/testkit/sink';
import { tempDirUntilExit } from '@grpo-otel/testkit/tempDir';
import { type RunningTensorBoard, startTensorBoard } from '@grpo-otel/testkit/tensorboard';
import { waitFor } from '@grpo-otel/testkit/waitFor';
import { batchAttributes } from '../packages/sink/test/support/stepBatch.js';

const STEPS = 12;
const RUNS = {
  flat: { level: (_step: number) => 0.5, eventNameAsAttribute: false },
  learning: { level: (step: number) => step / STEPS, eventNameAsAttribute: true },
} as const;
type RunName = keyof typeof RUNS;
const runId = (name: RunName) => `sink-e2e-${name}`;

/** A JS value as an OTLP/JSON AnyValue (integers as intValue strings, as protojson writes int64). */
function anyValue(v: unknown): Record<string, unknown> {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  throw new Error(`no OTLP value for ${String(v)}`);
}

const kvs = (o: Record<string, unknown>) =>
  Object.entries(o).map(([key, value]) => ({ key, value: anyValue(value) }));
const nanos = (ms: number) => `${BigInt(Math.round(ms)) * 1_000_000n}`;

function resource(name: RunName) {
  return {
    attributes: kvs({ 'service.name': 'python-trainer', 'grpo.run.id': runId(name), 'grpo.rank': 0 }),
  };
}

function logsRequest(step: number) {
  const now = Date.now();
  return {
    resourceLogs: (Object.keys(RUNS) as RunName[]).map((name) => {
      const spec = RUNS[name];
      const batch = batchAttributes({ step, level: spec.level(step) });
      return {
        resource: resource(name),
        scopeLogs: [
          {
            scope: { name: 'rewards' },
            logRecords: [
              {
                timeUnixNano: nanos(now),
                severityNumber: 9,
                severityText: 'INFO',
                ...(spec.eventNameAsAttribute ? {} : { eventName: 'grpo.step.batch' }),
                attributes: kvs(
                  spec.eventNameAsAttribute ? { ...batch, 'event.name': 'grpo.step.batch' } : batch,
                ),
              },
            ],
          },
          {
            scope: { name: 'model_outputs' },
            logRecords: [
              {
                timeUnixNano: nanos(now),
                severityNumber: 9,
                severityText: 'INFO',
                eventName: 'grpo.model_output',
                body: { stringValue: `completion of step ${step}` },
                attributes: kvs({
                  'grpo.step': step,
                  'grpo.sample.question': 'What is 2+2?',
                  'grpo.sample.expected_answer': '4',
                  'grpo.sample.answer': '4',
                  'grpo.sample.correct': true,
                }),
              },
            ],
          },
          {
            scope: { name: 'training' },
            logRecords: [
              {
                timeUnixNano: nanos(now),
                severityNumber: 9,
                severityText: 'INFO',
                body: { stringValue: `step ${step} done` },
                attributes: kvs({ 'grpo.step': step }),
              },
            ],
          },
        ],
      };
    }),
  };
}

function metricsRequest(step: number) {
  return {
    resourceMetrics: (Object.keys(RUNS) as RunName[]).map((name) => ({
      resource: resource(name),
      scopeMetrics: [
        {
          scope: { name: 'trainer' },
          metrics: [
            {
              name: 'trainer.loss',
              gauge: {
                dataPoints: [
                  {
                    timeUnixNano: nanos(Date.now()),
                    asDouble: 1 / step,
                    attributes: kvs({ 'grpo.step': step }),
                  },
                ],
              },
            },
          ],
        },
      ],
    })),
  };
}

/** Deterministic ids: the run (1 flat, 2 learning), the step, the span (1 the step, 2 its child). */
const RUN_NUMBER: Record<RunName, number> = { flat: 1, learning: 2 };
const traceId = (name: RunName, step: number) =>
  `${RUN_NUMBER[name].toString(16).padStart(16, '0')}${step.toString(16).padStart(16, '0')}`;
const spanId = (name: RunName, step: number, which: 1 | 2) =>
  `${RUN_NUMBER[name].toString(16).padStart(4, '0')}${step.toString(16).padStart(8, '0')}000${which}`;

/** Per run, the step's span and a child (a reward computation, failed on odd steps), as OTLP/JSON. */
function tracesRequest(step: number) {
  const start = Date.now();
  return {
    resourceSpans: (Object.keys(RUNS) as RunName[]).map((name) => ({
      resource: resource(name),
      scopeSpans: [
        {
          scope: { name: 'trainer', version: '0.1.0' },
          spans: [
            {
              traceId: traceId(name, step),
              spanId: spanId(name, step, 2),
              parentSpanId: spanId(name, step, 1),
              name: 'reward.compute',
              kind: 1,
              startTimeUnixNano: nanos(start + 1),
              endTimeUnixNano: nanos(start + 2),
              attributes: kvs({ 'grpo.step': step, 'grpo.reward.function': 'correctness' }),
              events: [{ name: 'scored', timeUnixNano: nanos(start + 2), attributes: kvs({ n: 8 }) }],
              status: step % 2 === 1 ? { code: 2, message: `step ${step} failed` } : { code: 1 },
            },
            {
              traceId: traceId(name, step),
              spanId: spanId(name, step, 1),
              name: 'grpo.step',
              kind: 1,
              startTimeUnixNano: nanos(start),
              endTimeUnixNano: nanos(start + 3),
              attributes: kvs({ 'grpo.step': step }),
            },
          ],
        },
      ],
    })),
  };
}

async function postJson(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.text());
}

describe('trainer -> collector -> grpo-otel sink -> TensorBoard, CSV, logs, analyses', {
  timeout: 120_000,
}, () => {
  let dir: string;
  let out: string;
  let local: LocalCollector;
  let sink: RunningSink;
  let sinkExit: SinkExit;
  let tb: RunningTensorBoard;

  before(async () => {
    dir = await tempDirUntilExit('grpo-sink-e2e-');
    out = join(dir, 'out');
    const sinkPort = await freePort();
    local = await startLocalCollector({
      overlays: [join(repoRoot, 'collector-config', 'local-sink.yaml')],
      env: { GRPO_SINK_ENDPOINT: `http://127.0.0.1:${sinkPort}` },
    });
    // The analyses as a short run wants them: a plateau is no improvement over 5 steps.
    const config = join(dir, 'sink.yaml');
    writeFileSync(config, 'version: 1\nmetrics:\n  history_window: 5\n  plateau:\n    window: 5\n');
    sink = await startSink({ port: sinkPort, out, config, otlpEndpoint: local.collector.otlpHttpEndpoint });

    for (let step = 1; step <= STEPS; step++) {
      await postJson(`${local.collector.otlpHttpEndpoint}/v1/logs`, logsRequest(step));
      await postJson(`${local.collector.otlpHttpEndpoint}/v1/metrics`, metricsRequest(step));
    }
    await waitFor(
      async () => {
        const s = await sink.stats();
        return s.batches === 2 * STEPS && s.metricPoints >= 2 * STEPS && s.ownRecords > 0 ? s : undefined;
      },
      30_000,
      'every batch and point at the sink, and its own analyses back through the collector',
      100,
    );
    // The spans once the points are in: the points' order in the event files is the order they arrive
    // in, which spans sharing the exporter's queue with them would shuffle.
    for (let step = 1; step <= STEPS; step++)
      await postJson(`${local.collector.otlpHttpEndpoint}/v1/traces`, tracesRequest(step));
    await waitFor(
      async () => ((await sink.stats()).spans >= 2 * 2 * STEPS ? true : undefined),
      30_000,
      'every span at the sink',
      100,
    );
    sinkExit = await sink.stop();
    tb = await startTensorBoard({ logDir: join(out, 'tensorboard'), loadFast: false });
  });

  after(async () => {
    await tb?.stop();
    await sink?.stop();
    await local?.collector.stop();
  });

  test('the sink exits 0 on SIGTERM, after flushing', () => {
    assert.deepEqual(sinkExit, { code: 0, signal: null }, sink.output());
    assert.match(sink.output(), /grpo-otel sink: stopped; \{/);
  });

  const scalars = (run: string, tag: string, n: number) =>
    tb.getWhen<[number, number, number][]>(
      `/data/plugin/scalars/scalars?run=${encodeURIComponent(run)}&tag=${encodeURIComponent(tag)}`,
      (g) => g.length >= n,
    );

  test('TensorBoard reads the analyses and the trainer metric of each run at the steps sent', async () => {
    const steps = Array.from({ length: STEPS }, (_, i) => i + 1);
    for (const name of Object.keys(RUNS) as RunName[]) {
      await tb.waitForRun(runId(name), { plugin: 'scalars', tag: 'grpo.reward.mean/total' });
      const total = await scalars(runId(name), 'grpo.reward.mean/total', STEPS);
      assert.deepEqual(
        total.map(([, step]) => step),
        steps,
        name,
      );
      // correctness (the fraction correct) + format (0.5 + level / 2)
      const expected = steps.map((s) => {
        const level = RUNS[name].level(s);
        return Math.round(level * 8) / 8 + 0.5 + level / 2;
      });
      for (const [i, [, , v]] of total.entries())
        assert.ok(Math.abs(v - expected[i]!) < 1e-6, `${name} step ${i + 1}: ${v}`);
      const loss = await scalars(runId(name), 'trainer.loss', STEPS);
      assert.deepEqual(
        loss.map(([, step, v]) => [step, Math.fround(v)]),
        steps.map((s) => [s, Math.fround(1 / s)]),
      );
      for (const tag of [
        'grpo.policy.entropy',
        'grpo.task.accuracy',
        'grpo.completion.format_adherence/strict',
      ])
        assert.equal((await scalars(runId(name), tag, STEPS)).length, STEPS, `${name} ${tag}`);
    }
  });

  test('the model-outputs CSV and the channel log files exist per run', () => {
    for (const name of Object.keys(RUNS) as RunName[]) {
      const rows = parseCsv(readFileSync(join(out, runId(name), 'model_outputs.csv'), 'utf8'));
      assert.equal(rows.length, STEPS + 1, name);
      assert.deepEqual(
        rows.slice(1).map((r) => r[1]),
        Array.from({ length: STEPS }, (_, i) => String(i + 1)),
      );
      const training = readFileSync(join(out, runId(name), 'logs', 'training.log'), 'utf8');
      assert.equal(training.trim().split('\n').length, STEPS);
      assert.ok(existsSync(join(out, runId(name), 'logs', 'metrics.log')));
    }
  });

  test('each run’s traces.jsonl holds its spans, one per line: names, parent and child, status, its resource', async () => {
    for (const name of Object.keys(RUNS) as RunName[]) {
      const path = join(out, runId(name), 'traces.jsonl');
      assert.ok(readFileSync(path, 'utf8').endsWith('\n'), `${path} ends with a whole line`);
      const exported = await readExportFile(path);
      assert.equal(exported.traces.length, 2 * STEPS, `${name}: a line per span`);
      for (const line of exported.traces)
        assert.equal(exportedSpans({ ...exported, traces: [line] }).length, 1);
      const spans = exportedSpans(exported);
      for (const { resource: r, scope } of spans) {
        assert.deepEqual(attributesToObject(r.attributes), {
          'service.name': 'python-trainer',
          'grpo.run.id': runId(name),
          'grpo.rank': 0,
        });
        assert.deepEqual(scope, { name: 'trainer', version: '0.1.0' });
      }
      const byId = new Map(spans.map((s) => [s.item.spanId, s.item]));
      for (let step = 1; step <= STEPS; step++) {
        const parent = byId.get(spanId(name, step, 1));
        const child = byId.get(spanId(name, step, 2));
        assert.ok(parent && child, `${name} step ${step}: both spans`);
        assert.equal(parent.name, 'grpo.step');
        assert.equal(parent.parentSpanId, undefined);
        assert.equal(child.name, 'reward.compute');
        assert.equal(child.parentSpanId, parent.spanId);
        assert.equal(child.traceId, traceId(name, step));
        assert.equal(parent.traceId, child.traceId);
        // int64 attributes as JSON numbers, as OTel JS's JsonTraceSerializer writes them
        assert.equal(attributesToObject(child.attributes)['grpo.step'], step);
        assert.deepEqual(
          child.status,
          step % 2 === 1 ? { code: 2, message: `step ${step} failed` } : { code: 1 },
        );
        assert.deepEqual(
          (child.events as { name: string }[]).map((e) => e.name),
          ['scored'],
        );
        assert.ok(BigInt(parent.endTimeUnixNano!) > BigInt(child.endTimeUnixNano!));
      }
    }
  });

  test('the flat run has a reward plateau, the learning run none: in its files and TensorBoard', async () => {
    const metricsLog = (name: RunName) => readFileSync(join(out, runId(name), 'logs', 'metrics.log'), 'utf8');
    assert.match(
      metricsLog('flat'),
      / - metrics - WARNING - reward plateau at step \d+: smoothed total reward/,
    );
    assert.doesNotMatch(metricsLog('learning'), /plateau at step/);
    const active = async (name: RunName) =>
      (await scalars(runId(name), 'grpo.signal.active/reward_plateau/total', 1)).map(([, , v]) => v);
    assert.ok((await active('flat')).includes(1));
    assert.ok(!(await active('learning')).includes(1));
  });

  test('the signals and the analyses went back through the collector', async () => {
    const signals = exportedLogRecords(await readExportFile(local.logsPath))
      .filter((r) => r.item.eventName === EVENT_GRPO_SIGNAL_TRIGGERED)
      .map(
        (r): Record<string, unknown> => ({
          run: attributesToObject(r.resource.attributes)['grpo.run.id'],
          ...attributesToObject(r.item.attributes),
        }),
      );
    assert.ok(
      signals.some(
        (s) =>
          s.run === runId('flat') &&
          s['grpo.signal.kind'] === 'reward_plateau' &&
          s['grpo.reward.function'] === 'total',
      ),
      JSON.stringify(signals),
    );
    assert.ok(!signals.some((s) => s.run === runId('learning')), JSON.stringify(signals));
    const exposition = await (await fetch(`http://${local.prometheusExporter}/metrics`)).text();
    const series = (name: string, run: RunName) =>
      exposition
        .split('\n')
        .filter((l) => l.startsWith(`${name}{`) && l.includes(`grpo_run_id="${runId(run)}"`));
    const activations = prometheusName(METRICS.signalActivations);
    const flat = series(activations, 'flat').filter((l) => l.includes('grpo_reward_function="total"'));
    assert.equal(flat.length, 1, exposition.slice(0, 2000));
    assert.ok(Number(flat[0]!.split(' ').pop()) >= 1, flat[0]);
    for (const l of series(activations, 'learning')) assert.equal(Number(l.split(' ').pop()), 0, l);
    assert.ok(
      series(prometheusName(METRICS.rewardMean), 'flat').length > 0,
      'grpo_reward_mean of the flat run',
    );
  });
});
