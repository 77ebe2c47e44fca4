// The SDK's metrics through the real collector (collector-config/local.yaml) into the real Prometheus,
// which scrapes the collector's prometheus exporter and evaluates the production GRPO rules: the semconv
// series arrive under their Prometheus names with the run's labels, every grpo_* series Prometheus stores
// is a semconv name, the production recording rules produce the smoothed series, and logs and spans
// reach the files standing in for Loki and Tempo.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  initialize,
  logGenerationMetrics,
  logRewardMetrics,
  logTrainingProgress,
  parseConfig,
  shutdown,
  withStepSpan,
} from '@grpo-otel/sdk';
import {
  ALL_METRICS,
  ATTR_GRPO_EXPERIMENT_NAME,
  ATTR_GRPO_RANK,
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_RUN_ID,
  ATTR_GRPO_WORLD_SIZE,
  ATTR_SERVICE_NAME,
  METRICS,
  type MetricDefinition,
  prometheusLabelName,
  prometheusName,
  prometheusSeries,
} from '@grpo-otel/semconv';
import {
  attributesToObject,
  exportedLogRecords,
  exportedSpans,
  readExportFile,
} from '@grpo-otel/testkit/otlpJson';
import { freePort } from '@grpo-otel/testkit/ports';
import {
  type LocalCollector,
  type RunningPrometheus,
  startLocalCollector,
  startPrometheus,
} from '@grpo-otel/testkit/prometheus';
import { tempDirUntilExit } from '@grpo-otel/testkit/tempDir';
import { waitFor } from '@grpo-otel/testkit/waitFor';
import { writeLocalPrometheus } from '../deploy/prometheus/src/generate.js';
import { STEP_RATE, smoothedName } from '../deploy/prometheus/src/rules.js';

const RUN_ID = `prom-e2e-${process.pid}`;
const SERVICE = 'grpo-prom-e2e';
const STEPS = 6;
const L = prometheusLabelName;
const run = `${L(ATTR_GRPO_RUN_ID)}="${RUN_ID}"`;

const CONFIG = `version: 1
root: { level: INFO, handlers: [] }
resource:
  experiment: prom-e2e
  model: tiny-gru
  rank: 0
  world_size: 1
  run_id: \${env:RUN_ID}
metrics:
  logging_frequency: 1
  full_metrics_frequency: 1
  sampling_ratio: 1
otlp:
  export_interval: 0.5
`;

/** Rewards of step s: correctness improves, format stays; two completions per prompt. */
function rewards(s: number): Record<string, number[]> {
  const c = Math.min(1, 0.1 * s);
  return { correctness: [c, 0, 1, c], format: [0.5, 0.5, 1, 1] };
}

const COMPLETION = '<reasoning>\n2+2=4\n</reasoning>\n<answer>\n4\n</answer>';

describe('SDK -> collector (local.yaml) -> Prometheus', { timeout: 15 * 60_000 }, () => {
  let local: LocalCollector;
  let prom: RunningPrometheus;

  before(async () => {
    local = await startLocalCollector();
    const dir = await tempDirUntilExit('grpo-prom-e2e-');
    const config = writeLocalPrometheus(dir, {
      scrapeInterval: '1s',
      evaluationInterval: '1s',
      collector: local.prometheusExporter,
      collectorTelemetry: local.telemetry,
      // Nothing listens there; no alert is expected to fire in this test.
      alertmanager: `127.0.0.1:${await freePort()}`,
    });
    prom = await startPrometheus(config);

    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: local.collector.otlpHttpEndpoint,
      OTEL_SERVICE_NAME: SERVICE,
      RUN_ID,
    };
    initialize({
      config: parseConfig(CONFIG, { source: 'e2e.yaml', baseDir: '/', env }),
      env,
      handleExit: false,
    });
    for (let s = 1; s <= STEPS; s++) {
      withStepSpan(s, () => {
        logTrainingProgress(s, { loss: 0.5 / s, learning_rate: 1e-5 });
        logRewardMetrics(s, rewards(s), { groupSize: 2 });
        logGenerationMetrics(
          s,
          [0, 1, 2, 3].map((i) => ({
            text: COMPLETION,
            tokens: [1, 2, 3, 4 + i, 5],
            logprobs: [-0.1, -0.2, -0.3, -0.4, -0.5],
            refLogprobs: [-0.2, -0.2, -0.2, -0.2, -0.2],
          })),
          ['4', '4', '4', '4'],
          { groupSize: 2 },
        );
      });
    }
    await shutdown();
    await waitFor(
      async () => {
        const r = await prom.query(`${prometheusName(METRICS.trainingSteps)}{${run}}`);
        return r.length === 1 && Number(r[0]?.value[1]) === STEPS ? true : undefined;
      },
      60_000,
      'the final step count in Prometheus',
      250,
    );
  });

  after(async () => {
    await prom?.stop();
    await local?.collector.stop();
  });

  test('Prometheus scrapes the collector (both targets up)', async () => {
    const targets = await waitFor(
      async () => {
        const t = await prom.targets();
        return t.every((x) => x.health !== 'unknown') ? t : undefined;
      },
      30_000,
      'a first scrape of every target',
      250,
    );
    assert.equal(targets.length, 2);
    for (const t of targets) assert.equal(t.health, 'up', `${t.scrapeUrl}: ${t.lastError}`);
  });

  test('semconv series arrive under their Prometheus names, with the run as labels', async () => {
    const expected: MetricDefinition[] = [
      METRICS.rewardMean,
      METRICS.rewardStd,
      METRICS.rewardMin,
      METRICS.rewardMax,
      METRICS.rewardMedian,
      METRICS.rewardMovingAverage,
      METRICS.rewardValue,
      METRICS.rewardZeroStdRatio,
      METRICS.rewardMeanGroupStd,
      METRICS.rewardGroupStd,
      METRICS.rewardCorrelation,
      METRICS.advantageMean,
      METRICS.advantageValue,
      METRICS.trainingSteps,
      METRICS.trainingCurrentStep,
      METRICS.policyLoss,
      METRICS.policyLearningRate,
      METRICS.policyEntropy,
      METRICS.policyKl,
      METRICS.completionFormatAdherence,
      METRICS.completionDistinctNgramRatio,
      METRICS.completionLength,
      METRICS.taskAccuracy,
      METRICS.signalActive,
    ];
    for (const def of expected) {
      for (const name of prometheusSeries(def)) {
        const r = await prom.query(`${name}{${run}}`);
        assert.ok(r.length > 0, `${def.name}: no ${name}{${run}} in Prometheus`);
        const labels = r[0]!.metric;
        assert.equal(labels.job, SERVICE, `${name}: job is service.name (honor_labels)`);
        assert.equal(labels[L(ATTR_SERVICE_NAME)], SERVICE, name);
        assert.equal(labels[L(ATTR_GRPO_EXPERIMENT_NAME)], 'prom-e2e', name);
        assert.equal(labels[L(ATTR_GRPO_RANK)], '0', name);
        assert.equal(labels[L(ATTR_GRPO_WORLD_SIZE)], '1', name);
        assert.equal(labels.process_pid, undefined, `${name}: process.* stays off the labels`);
      }
    }
  });

  test('values are the last step’s', async () => {
    const value = async (expr: string) => {
      const r = await prom.query(expr);
      assert.equal(r.length, 1, `${expr}: ${JSON.stringify(r)}`);
      return Number(r[0]!.value[1]);
    };
    const fn = L(ATTR_GRPO_REWARD_FUNCTION);
    const last = rewards(STEPS);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.equal(await value(`${prometheusName(METRICS.trainingCurrentStep)}{${run}}`), STEPS);
    assert.ok(
      Math.abs(
        (await value(`${prometheusName(METRICS.rewardMean)}{${run}, ${fn}="correctness"}`)) -
          mean(last.correctness!),
      ) < 1e-12,
    );
    assert.equal(await value(`${prometheusName(METRICS.rewardMean)}{${run}, ${fn}="format"}`), 0.75);
    assert.equal(await value(`${prometheusName(METRICS.policyLoss)}{${run}}`), 0.5 / STEPS);
    // Every completion of every step was scored: 6 steps x 4 completions per reward function.
    const count = prometheusSeries(METRICS.rewardValue).find((s) => s.endsWith('_count'))!;
    assert.equal(await value(`${count}{${run}, ${fn}="correctness"}`), STEPS * 4);
  });

  test('every grpo_* series Prometheus stores for the run is a semconv name', async () => {
    const res = await fetch(
      `${prom.url}/api/v1/label/__name__/values?${new URLSearchParams({ 'match[]': `{${run}}` })}`,
    );
    const names = ((await res.json()) as { data: string[] }).data;
    const known = new Set(ALL_METRICS.flatMap((m) => prometheusSeries(m)));
    const grpo = names.filter((n) => n.startsWith('grpo_'));
    assert.ok(grpo.length >= 20, names.join(' '));
    assert.deepEqual(
      grpo.filter((n) => !known.has(n)),
      [],
    );
  });

  test('the production recording rules produce the smoothed series for the run', async () => {
    const fn = L(ATTR_GRPO_REWARD_FUNCTION);
    for (const expr of [
      `${smoothedName(METRICS.rewardMean)}{${run}, ${fn}="correctness"}`,
      `${smoothedName(METRICS.rewardMean)}{${run}, ${fn}="total"}`,
      `${smoothedName(METRICS.policyEntropy)}{${run}}`,
      `${smoothedName(METRICS.policyKl)}{${run}}`,
      `${smoothedName(METRICS.completionFormatAdherence)}{${run}}`,
      `${STEP_RATE}{${run}}`,
    ]) {
      await waitFor(async () => ((await prom.query(expr)).length > 0 ? true : undefined), 30_000, expr, 250);
    }
  });

  test('logs and spans reach the files standing in for Loki and Tempo, with the run id', async () => {
    const logs = await waitFor(
      async () => {
        const l = exportedLogRecords(await readExportFile(local.logsPath));
        return l.length > 0 ? l : undefined;
      },
      30_000,
      'log records in the Loki stand-in',
    );
    const spans = await waitFor(
      async () => {
        const s = exportedSpans(await readExportFile(local.tracesPath));
        return s.length >= STEPS ? s : undefined;
      },
      30_000,
      'spans in the Tempo stand-in',
    );
    for (const x of [...logs, ...spans]) {
      assert.equal(attributesToObject(x.resource.attributes)[ATTR_GRPO_RUN_ID], RUN_ID);
    }
    assert.ok(logs.some((l) => l.scope.name === 'training'));
  });
});
