// A channel whose level drops INFO records costs the facade no formatting: the record is not built
// (the values passed for it are not even turned into strings), while the metrics are recorded as ever.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  initialize,
  logModelOutput,
  logReward,
  logTrainingProgress,
  parseConfig,
  shutdown,
} from '@grpo-otel/sdk';
import { METRICS } from '@grpo-otel/semconv';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';

async function run(level: 'INFO' | 'WARNING') {
  const dir = mkdtempSync(join(tmpdir(), 'facade-levels-'));
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const channel = `{ level: ${level}, handlers: [file], propagate: false }`;
  const yaml = [
    'handlers:',
    `  file: { class: logging.FileHandler, filename: ${join(dir, 'log.txt')}, formatter: plain }`,
    "formatters:\n  plain: { format: '%(name)s %(levelname)s %(message)s' }",
    'root: { level: INFO, handlers: [file] }',
    `loggers:\n  rewards: ${channel}\n  model_outputs: ${channel}\n  training: ${channel}`,
  ].join('\n');
  initialize({
    config: parseConfig(yaml, { source: 's.yaml', baseDir: dir, env: {} }),
    env: {},
    handleExit: false,
    registerGlobal: false,
    metricReaders: [reader],
  });
  let formatted = 0;
  const text = (s: string) => ({
    toString() {
      formatted++;
      return s;
    },
  });
  logReward('correctness', [1, 0, 1, 0], [text('<answer>4</answer>') as unknown as string]);
  logModelOutput(text('What is 2+2?') as unknown as string, '4', '<answer>4</answer>');
  logTrainingProgress(3, { loss: 0.5 });
  await reader.forceFlush();
  const value = (name: string) =>
    exporter
      .getMetrics()
      .flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics))
      .filter((m) => m.descriptor.name === name)
      .flatMap((m) => m.dataPoints.map((p) => p.value));
  const metrics = {
    rewardMean: value(METRICS.rewardMean.name),
    loss: value(METRICS.policyLoss.name),
    step: value(METRICS.trainingCurrentStep.name),
  };
  await shutdown();
  // The file handler opens its file on the first record.
  const file = join(dir, 'log.txt');
  const log = existsSync(file) ? readFileSync(file, 'utf8') : '';
  rmSync(dir, { recursive: true, force: true });
  return { formatted, metrics, log };
}

test('channels below INFO: no record is built, the metrics are recorded', async () => {
  const r = await run('WARNING');
  assert.equal(r.formatted, 0);
  assert.equal(r.log, '');
  assert.deepEqual(r.metrics, { rewardMean: [0.5], loss: [0.5], step: [3] });
});

test('channels at INFO: the same calls write their records', async () => {
  const r = await run('INFO');
  assert.ok(r.formatted >= 2, `formatted ${r.formatted}`);
  assert.match(r.log, /^rewards INFO reward correctness: mean=0\.5 std=0\.5 min=0 max=1 median=0\.5 n=4$/m);
  assert.match(r.log, /^model_outputs INFO correct: What is 2\+2\? -> 4 \(expected 4\)$/m);
  assert.match(r.log, /^training INFO step 3: loss=0\.5$/m);
  assert.deepEqual(r.metrics, { rewardMean: [0.5], loss: [0.5], step: [3] });
});
