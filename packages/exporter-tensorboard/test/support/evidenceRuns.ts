// The runs the TensorBoard evidence tests (test/tensorboard.test.ts at the repository root) write
// through the real OpenTelemetry SDK, and what TensorBoard must show for them. It lives in this
// package so that it resolves the OTel SDK and this package from here.
import assert from 'node:assert/strict';
import {
  type CompletionRow,
  grpoCustomScalarsLayout,
  TensorBoardLogRecordExporter,
  TensorBoardMetricExporter,
  TensorBoardRun,
} from '@grpo-otel/exporter-tensorboard';
import {
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_SPLIT,
  ATTR_GRPO_STEP,
  ATTR_GRPO_WINDOW_SIZE,
  METRICS,
} from '@grpo-otel/semconv';
import { ExportResultCode } from '@opentelemetry/core';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, MetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';

const f32 = Math.fround;

export const STEPS = 12;
export const REWARD_BOUNDS = METRICS.rewardValue.advice!.explicitBucketBoundaries!;

/** Collects at each training step and hands the collection to the exporter (as the SDK's step sink hands it one collection per step). */
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

export interface RunSpec {
  name: string;
  lr: number;
  scalarForm: 'simple_value' | 'tensor';
  offset: number;
}

export const RUNS: RunSpec[] = [
  { name: 'grpo-lr1e-5', lr: 1e-5, scalarForm: 'simple_value', offset: 0 },
  { name: 'grpo-lr3e-5', lr: 3e-5, scalarForm: 'tensor', offset: 0.01 },
];

// Non-negative: OTel JS histogram instruments drop negative measurements.
export const rewardValues = (step: number): number[] => [0, 0.5, 1, 1, (step % 4) * 0.5, 2.2, 0.05];
export const correctness = (run: RunSpec, s: number) => 0.1 + s * 0.05 + run.offset;
export const format = (_run: RunSpec, s: number) => 0.3 + s * 0.01;
export const total = (run: RunSpec, s: number) => correctness(run, s) + format(run, s);
export const rawValues = (s: number) =>
  Array.from({ length: 200 }, (_, i) => Math.sin(i * 0.37 + s) * (1 + s / 10));

export const INJECTION = '<script>alert(1)</script> | pipe\nnew line **bold** </td><td>';
export const completions: CompletionRow[] = [
  {
    prompt: 'What is 2+2?',
    completion: '<reasoning>2+2=4</reasoning>\n<answer>4</answer>',
    reward: 2,
    rewards: { correctness: 1, format: 1 },
  },
  { prompt: 'What is 3*3?', completion: INJECTION, reward: 0, rewards: { correctness: 0, format: 0 } },
  {
    prompt: 'Q | with | pipes',
    completion: '| leading pipe',
    reward: 0.5,
    rewards: { correctness: 0, format: 0.5 },
  },
];

/** OTel explicit buckets: value v counts in the first bucket whose upper bound is >= v. */
export function otelCounts(values: number[], bounds: readonly number[]): number[] {
  const counts = new Array<number>(bounds.length + 1).fill(0);
  for (const v of values) {
    let i = bounds.findIndex((b) => v <= b);
    if (i < 0) i = bounds.length;
    counts[i]!++;
  }
  return counts;
}

/** The counts TensorBoard shows: from the first to the last non-empty bucket. */
export function trimmed(counts: number[]): number[] {
  const first = counts.findIndex((c) => c > 0);
  let last = counts.length - 1;
  while (counts[last] === 0) last--;
  return counts.slice(first, last + 1);
}

export async function writeRun(logDir: string, spec: RunSpec): Promise<void> {
  const run = new TensorBoardRun({ logDir, runName: spec.name, scalarForm: spec.scalarForm });
  let step = 0;
  const metricExporter = new TensorBoardMetricExporter({ run, getStep: () => step });
  const logExporter = new TensorBoardLogRecordExporter({ run, getStep: () => step });
  const reader = new StepReader(metricExporter);
  const meterProvider = new MeterProvider({ readers: [reader] });
  const loggerProvider = new LoggerProvider({
    processors: [new SimpleLogRecordProcessor({ exporter: logExporter })],
  });
  const meter = meterProvider.getMeter('grpo-trainer');
  const training = loggerProvider.getLogger('training');
  const mean = meter.createGauge(METRICS.rewardMean.name);
  const movingAverage = meter.createGauge(METRICS.rewardMovingAverage.name);
  const accuracy = meter.createGauge(METRICS.taskAccuracy.name);
  const rewardValue = meter.createHistogram(METRICS.rewardValue.name, {
    advice: { explicitBucketBoundaries: [...REWARD_BOUNDS] },
  });
  const samples = meter.createCounter(METRICS.trainingSamples.name);

  run.addCustomScalarsLayout(grpoCustomScalarsLayout({ rewardFunctions: ['correctness', 'format'] }));
  run.addHparams({
    hparams: { learning_rate: spec.lr, group_size: 8, optimizer: 'adamw', kl_penalty: true },
    metrics: [`${METRICS.rewardMean.name}/total`, METRICS.taskAccuracy.name],
  });
  for (step = 1; step <= STEPS; step++) {
    const train = { [ATTR_GRPO_SPLIT]: 'train' };
    mean.record(correctness(spec, step), { ...train, [ATTR_GRPO_REWARD_FUNCTION]: 'correctness' });
    mean.record(format(spec, step), { ...train, [ATTR_GRPO_REWARD_FUNCTION]: 'format' });
    mean.record(total(spec, step), { ...train, [ATTR_GRPO_REWARD_FUNCTION]: 'total' });
    movingAverage.record(total(spec, step) - 0.05, {
      ...train,
      [ATTR_GRPO_REWARD_FUNCTION]: 'total',
      [ATTR_GRPO_WINDOW_SIZE]: 100,
    });
    accuracy.record(step / 20);
    for (const v of rewardValues(step))
      rewardValue.record(v, { ...train, [ATTR_GRPO_REWARD_FUNCTION]: 'total' });
    samples.add(16);
    training.emit({
      body: `step ${step} done`,
      severityText: 'INFO',
      attributes: { [ATTR_GRPO_STEP]: step },
    });
    run.addHistogram('raw/advantages', rawValues(step), step);
    if (step === 5) run.addCompletions('samples/completions', completions, step);
    await reader.step();
  }
  await meterProvider.shutdown();
  await loggerProvider.shutdown();
  assert.deepEqual(run.stats.droppedRecords + run.stats.failedRecords, 0);
}

/** Expected scalar series per run and tag: [step, float32 value]. */
export function expectedScalars(spec: RunSpec): Record<string, [number, number][]> {
  const series = (f: (s: number) => number) =>
    Array.from({ length: STEPS }, (_, i) => [i + 1, f32(f(i + 1))] as [number, number]);
  return {
    'grpo.reward.mean/correctness': series((s) => correctness(spec, s)),
    'grpo.reward.mean/format': series((s) => format(spec, s)),
    'grpo.reward.mean/total': series((s) => total(spec, s)),
    'grpo.reward.moving_average/total': series((s) => total(spec, s) - 0.05),
    'grpo.task.accuracy': series((s) => s / 20),
    'grpo.training.samples': series(() => 16),
  };
}

/** Writes every run of {@link RUNS} into logDir. */
export async function writeEvidenceRuns(logDir: string): Promise<void> {
  for (const spec of RUNS) await writeRun(logDir, spec);
}
