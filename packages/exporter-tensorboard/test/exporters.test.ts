import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  type DecodedValue,
  readEvents,
  TensorBoardLogRecordExporter,
  TensorBoardMetricExporter,
  TensorBoardRun,
} from '@grpo-otel/exporter-tensorboard';
import { ATTR_GRPO_REWARD_FUNCTION, ATTR_GRPO_STEP, METRICS } from '@grpo-otel/semconv';
import { tempDir } from '@grpo-otel/testkit/tempDir';
import { ExportResultCode } from '@opentelemetry/core';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  type ReadableLogRecord,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  InstrumentType,
  MeterProvider,
  MetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';

/** Collects on demand and hands the collection to a push exporter (as the SDK's step sink does, one per step). */
class StepReader extends MetricReader {
  constructor(private readonly exporter: PushMetricExporter) {
    super({ aggregationTemporalitySelector: exporter.selectAggregationTemporality!.bind(exporter) });
  }
  async step(): Promise<void> {
    const { resourceMetrics } = await this.collect();
    await new Promise<void>((resolve, reject) =>
      this.exporter.export(resourceMetrics, (r) =>
        r.code === ExportResultCode.SUCCESS ? resolve() : reject(r.error),
      ),
    );
  }
  protected async onForceFlush(): Promise<void> {
    await this.exporter.forceFlush();
  }
  protected async onShutdown(): Promise<void> {
    await this.exporter.shutdown();
  }
}

type Point = { step: number; value: DecodedValue };

async function points(logDir: string): Promise<Point[]> {
  const files = await readEvents(logDir);
  return files.flatMap((f) => {
    assert.deepEqual(f.issues, []);
    return f.events.flatMap((e) => e.values.map((value) => ({ step: e.event.step, value })));
  });
}

test('TensorBoardMetricExporter: every point at the step getStep() returns; delta histograms per step', async (t) => {
  const logDir = tempDir(t, 'grpo-tb-exp-');
  let step = 10;
  const exporter = new TensorBoardMetricExporter({ logDir, runName: 'run1', getStep: () => step });
  const reader = new StepReader(exporter);
  const provider = new MeterProvider({ readers: [reader] });
  const meter = provider.getMeter('trainer');
  const mean = meter.createGauge(METRICS.rewardMean.name);
  const values = meter.createHistogram(METRICS.rewardValue.name, {
    advice: { explicitBucketBoundaries: [0, 1] },
  });
  const samples = meter.createCounter(METRICS.trainingSamples.name);
  for (const s of [10, 20, 30]) {
    step = s;
    mean.record(s / 100, { [ATTR_GRPO_REWARD_FUNCTION]: 'total' });
    for (let i = 0; i < s / 10; i++) values.record(0.5, { [ATTR_GRPO_REWARD_FUNCTION]: 'total' });
    samples.add(8);
    await reader.step();
  }
  await provider.shutdown();
  const got = await points(logDir);
  const series = (tag: string) =>
    got
      .filter((p) => p.value.tag === tag)
      .map((p) => [
        p.step,
        p.value.kind === 'scalar'
          ? p.value.value
          : p.value.kind === 'histogram'
            ? p.value.histogram.num
            : NaN,
      ]);
  assert.deepEqual(series('grpo.reward.mean/total'), [
    [10, Math.fround(0.1)],
    [20, Math.fround(0.2)],
    [30, Math.fround(0.3)],
  ]);
  assert.deepEqual(series('grpo.reward.value/total'), [
    [10, 1],
    [20, 2],
    [30, 3],
  ]);
  assert.deepEqual(series('grpo.training.samples'), [
    [10, 8],
    [20, 8],
    [30, 8],
  ]);
});

test('TensorBoardMetricExporter: temporality, step fallback, callback once, shutdown idempotent', async (t) => {
  const logDir = tempDir(t, 'grpo-tb-exp-');
  const exporter = new TensorBoardMetricExporter({ logDir, runName: 'r', getStep: () => undefined });
  assert.equal(exporter.selectAggregationTemporality(InstrumentType.HISTOGRAM), AggregationTemporality.DELTA);
  assert.equal(exporter.selectAggregationTemporality(InstrumentType.COUNTER), AggregationTemporality.DELTA);
  assert.equal(exporter.selectAggregationTemporality(InstrumentType.GAUGE), AggregationTemporality.DELTA);
  assert.equal(
    exporter.selectAggregationTemporality(InstrumentType.UP_DOWN_COUNTER),
    AggregationTemporality.CUMULATIVE,
  );
  assert.equal(
    exporter.selectAggregationTemporality(InstrumentType.OBSERVABLE_UP_DOWN_COUNTER),
    AggregationTemporality.CUMULATIVE,
  );
  const reader = new StepReader(exporter);
  const provider = new MeterProvider({ readers: [reader] });
  const g = provider.getMeter('m').createGauge('g');
  for (let i = 0; i < 3; i++) {
    g.record(i);
    await reader.step();
  }
  let calls = 0;
  exporter.export({ resource: undefined as never, scopeMetrics: [] }, () => {
    calls++;
    throw new Error('a throwing callback is contained');
  });
  assert.equal(calls, 1);
  const s1 = exporter.shutdown();
  assert.equal(exporter.shutdown(), s1);
  await s1;
  const results: number[] = [];
  exporter.export({ resource: undefined as never, scopeMetrics: [] }, (r) => results.push(r.code));
  assert.deepEqual(results, [ExportResultCode.FAILED]);
  await exporter.forceFlush();
  const got = await points(logDir);
  assert.deepEqual(
    got.map((p) => p.step),
    [0, 1, 2],
    'steps fall back to the export count',
  );
  await provider.shutdown().catch(() => {});
});

test('TensorBoardMetricExporter: forceFlushSync puts every exported point on disk before returning', async (t) => {
  const logDir = tempDir(t, 'grpo-tb-exp-');
  const exporter = new TensorBoardMetricExporter({ logDir, runName: 'r', getStep: () => 4 });
  const reader = new StepReader(exporter);
  const provider = new MeterProvider({ readers: [reader] });
  provider.getMeter('m').createGauge('g').record(2.5);
  const { resourceMetrics } = await reader.collect();
  exporter.export(resourceMetrics, () => {});
  exporter.forceFlushSync();
  assert.deepEqual(
    (await points(logDir)).map((p) => [p.step, p.value.tag]),
    [[4, 'g']],
  );
  await provider.shutdown();
});

test('TensorBoardMetricExporter: a getStep that throws or returns a non-integer falls back; export never throws', async (t) => {
  const logDir = tempDir(t, 'grpo-tb-exp-');
  const exporter = new TensorBoardMetricExporter({
    logDir,
    runName: 'r',
    getStep: () => {
      throw new Error('boom');
    },
  });
  const broken = { resource: undefined as never, scopeMetrics: [{ scope: { name: 'x' }, metrics: [null] }] };
  const codes: number[] = [];
  exporter.export(broken as never, (r) => codes.push(r.code));
  assert.deepEqual(codes, [ExportResultCode.FAILED]);
  await exporter.shutdown();
});

async function logRecords(emit: (provider: LoggerProvider) => void): Promise<ReadableLogRecord[]> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  emit(provider);
  await provider.forceFlush();
  return memory.getFinishedLogRecords();
}

test('TensorBoardLogRecordExporter: one text per channel and step, records in order, escaped', async (t) => {
  const logDir = tempDir(t, 'grpo-tb-exp-');
  const records = await logRecords((p) => {
    const training = p.getLogger('training');
    const rewards = p.getLogger('rewards');
    training.emit({ body: 'step 1 starts', severityText: 'INFO', attributes: { [ATTR_GRPO_STEP]: 1 } });
    rewards.emit({
      body: 'reward | <b>0.5</b>',
      severityText: 'INFO',
      attributes: { [ATTR_GRPO_STEP]: 1, fn: 'format' },
    });
    training.emit({ body: 'step 1\nends', severityText: 'WARNING', attributes: { [ATTR_GRPO_STEP]: 1 } });
    training.emit({ body: 'step 2', severityText: 'INFO', attributes: { [ATTR_GRPO_STEP]: 2 } });
    training.emit({ body: 'no step attribute', severityText: 'INFO' });
  });
  const run = new TensorBoardRun({ logDir, runName: 'r' });
  const exporter = new TensorBoardLogRecordExporter({ run, getStep: () => 7 });
  // split into batches: records of step 1 arrive in two exports
  for (const batch of [records.slice(0, 2), records.slice(2, 3), records.slice(3)]) {
    await new Promise<void>((resolve) => exporter.export(batch, () => resolve()));
  }
  await exporter.shutdown();
  const texts = (await points(logDir)).map((p) => [
    p.step,
    p.value.tag,
    p.value.kind === 'text' ? p.value.text : '',
  ]);
  assert.deepEqual(
    texts.map(([s, tag]) => `${s} ${tag}`),
    ['1 logs/training', '1 logs/rewards', '2 logs/training', '7 logs/training'],
  );
  const step1 = texts[0]![2] as string;
  const paras = step1.split('\n\n');
  assert.equal(paras.length, 2);
  assert.match(paras[0]!, /^`\d{4}-\d\d-\d\dT[^`]+` \*\*INFO\*\* step 1 starts$/);
  assert.match(paras[1]!, /\*\*WARNING\*\* step 1<br>ends$/);
  assert.match(texts[1]![2] as string, /reward \\\| &lt;b&gt;0\\\.5&lt;\/b&gt;<br>\*fn\*: format$/);
});

test('TensorBoardLogRecordExporter: records of a step after a flush are rewritten with the earlier ones', async (t) => {
  const logDir = tempDir(t, 'grpo-tb-exp-');
  const records = await logRecords((p) => {
    const l = p.getLogger('training');
    for (let i = 0; i < 3; i++) l.emit({ body: `r${i}`, attributes: { [ATTR_GRPO_STEP]: 5 } });
  });
  const exporter = new TensorBoardLogRecordExporter({ logDir, runName: 'r' });
  exporter.export(records.slice(0, 2), () => {});
  await exporter.forceFlush();
  exporter.export(records.slice(2), () => {});
  exporter.forceFlushSync();
  const texts = (await points(logDir)).map((p) => (p.value.kind === 'text' ? p.value.text : ''));
  assert.equal(texts.length, 2);
  assert.equal(texts[0]!.split('\n\n').length, 2);
  assert.equal(texts[1]!.split('\n\n').length, 3, 'the last text of the step holds all its records');
  await exporter.shutdown();
});

test('TensorBoardLogRecordExporter: exportSync writes at once; after shutdown export fails and exportSync throws', async (t) => {
  const logDir = tempDir(t, 'grpo-tb-exp-');
  const records = await logRecords((p) =>
    p.getLogger('system').emit({ body: 'bye', attributes: { [ATTR_GRPO_STEP]: 3 } }),
  );
  const exporter = new TensorBoardLogRecordExporter({ logDir, runName: 'r', maxRecordsPerStep: 1 });
  exporter.exportSync([...records, ...records]);
  const texts = (await points(logDir)).filter((p) => p.value.kind === 'text');
  assert.equal(texts.length, 1);
  assert.match(
    (texts[0]!.value as { text: string }).text,
    /bye\n\n\*… 1 more record\(s\) at this step left out\*$/,
  );
  await exporter.shutdown();
  const codes: number[] = [];
  exporter.export(records, (r) => codes.push(r.code));
  assert.deepEqual(codes, [ExportResultCode.FAILED]);
  assert.throws(() => exporter.exportSync(records), /after shutdown/);
});

test('TensorBoardRun: shared by both exporters, closed when the last one shuts down, hparams session ended', async (t) => {
  const logDir = tempDir(t, 'grpo-tb-exp-');
  const run = new TensorBoardRun({ logDir, runName: 'shared' });
  run.addHparams({ hparams: { lr: 1e-5 } });
  const m = new TensorBoardMetricExporter({ run, getStep: () => 1 });
  const l = new TensorBoardLogRecordExporter({ run });
  await m.shutdown();
  assert.equal(run.addScalar('still/open', 1, 2), true, 'the log exporter still holds the run');
  await l.shutdown();
  assert.equal(run.addScalar('closed', 1, 3), false);
  const tags = (await points(logDir)).map((p) => p.value.tag);
  assert.deepEqual(tags, [
    '_hparams_/experiment',
    '_hparams_/session_start_info',
    'still/open',
    '_hparams_/session_end_info',
  ]);
  const files = await readEvents(logDir);
  assert.equal(files.length, 1, 'one event file for the run');
  assert.equal(files[0]!.run, 'shared');
});

test('TensorBoardRun: options are validated', (t) => {
  const logDir = tempDir(t, 'grpo-tb-exp-');
  assert.throws(() => new TensorBoardRun({ logDir, runName: '../escape' }), /relative path inside logDir/);
  assert.throws(() => new TensorBoardRun({ logDir, runName: '/abs' }), /relative path inside logDir/);
  assert.throws(() => new TensorBoardRun({ logDir, runName: '' }), /non-empty/);
  assert.throws(() => new TensorBoardRun({ logDir: '', runName: 'x' }), /logDir/);
  const run = new TensorBoardRun({ logDir, runName: 'a/b' });
  assert.equal(run.dir, join(logDir, 'a', 'b'));
  assert.throws(() => run.addScalar('x', 1, 1.5), /step must be a safe integer/);
  return run.close();
});
