// The Python bridge end to end on real servers: two Python training loops (python/examples/train_loop.py,
// instrumented only through grpo_otel on the OTel Python SDK) send OTLP/HTTP to the real collector
// (collector-config/local.yaml); the real Prometheus scrapes it and evaluates the GRPO rules of the
// `fast` profile (the production expressions with windows of seconds).
//   - the "flat" run reports the same rewards every step; the "learning" run's correctness climbs.
// Expected: the semconv series of both runs under their Prometheus names with the runs' labels (the
// same names the TypeScript SDK's series have); GRPORewardPlateau fires for the flat run's total reward
// and not for the learning run's; every step's batch (event grpo.step.batch) reaches the collector's
// logs pipeline (the file standing in for Loki; the sink reads the same pipeline).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ATTR_GRPO_EXPERIMENT_NAME,
  ATTR_GRPO_RANK,
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_RUN_ID,
  ATTR_GRPO_STEP,
  ATTR_GRPO_WORLD_SIZE,
  ATTR_SERVICE_NAME,
  EVENT_GRPO_STEP_BATCH,
  METRICS,
  type MetricDefinition,
  prometheusLabelName,
  prometheusName,
  prometheusSeries,
} from '@grpo-otel/semconv';
import { attributesToObject, exportedLogRecords, readExportFile } from '@grpo-otel/testkit/otlpJson';
import { freePort } from '@grpo-otel/testkit/ports';
import {
  type LocalCollector,
  type RunningPrometheus,
  startLocalCollector,
  startPrometheus,
} from '@grpo-otel/testkit/prometheus';
import { type PythonProcess, startPythonScript, TRAIN_LOOP } from '@grpo-otel/testkit/pythonLoop';
import { tempDirUntilExit } from '@grpo-otel/testkit/tempDir';
import { waitFor } from '@grpo-otel/testkit/waitFor';
import { writeLocalPrometheus } from '../deploy/prometheus/src/generate.js';

const L = prometheusLabelName;
const SERVICE = 'grpo-python-e2e';
const FLAT = `py-flat-${process.pid}`;
const LEARNING = `py-learning-${process.pid}`;
// 5 steps a second for 30 s: long enough for the fast profile's 10 s plateau lookback and 3 s `for`.
const STEPS = 150;

function startLoop(runId: string, rewards: 'flat' | 'learning', endpoint: string): PythonProcess {
  return startPythonScript(TRAIN_LOOP, [
    '--endpoint',
    endpoint,
    '--steps',
    String(STEPS),
    '--rewards',
    rewards,
    '--run-id',
    runId,
    '--service-name',
    SERVICE,
    '--sleep',
    '0.2',
  ]);
}

describe('Python bridge -> collector (local.yaml) -> Prometheus', { timeout: 10 * 60_000 }, () => {
  let local: LocalCollector;
  let prom: RunningPrometheus;
  let loops: PythonProcess[] = [];

  before(async () => {
    local = await startLocalCollector();
    const dir = await tempDirUntilExit('grpo-py-e2e-');
    const config = writeLocalPrometheus(
      dir,
      {
        scrapeInterval: '1s',
        evaluationInterval: '1s',
        collector: local.prometheusExporter,
        collectorTelemetry: local.telemetry,
        // Nothing listens there: alerts are read from Prometheus itself.
        alertmanager: `127.0.0.1:${await freePort()}`,
      },
      'fast',
    );
    prom = await startPrometheus(config);
    loops = [
      startLoop(FLAT, 'flat', local.collector.otlpHttpEndpoint),
      startLoop(LEARNING, 'learning', local.collector.otlpHttpEndpoint),
    ];
  });

  after(async () => {
    for (const l of loops) {
      if (l.child.exitCode === null && l.child.signalCode === null) l.child.kill('SIGTERM');
    }
    await Promise.all(loops.map((l) => l.exited));
    await prom?.stop();
    await local?.collector.stop();
  });

  const alive = () => {
    for (const l of loops) {
      if (l.child.exitCode !== null && l.child.exitCode !== 0)
        throw new Error(`a loop failed:\n${l.output()}`);
    }
  };

  test('GRPORewardPlateau fires for the flat run’s total reward, not for the learning run’s', async () => {
    const plateau = (a: { labels: Record<string, string> }, run: string) =>
      a.labels.alertname === 'GRPORewardPlateau' &&
      a.labels[L(ATTR_GRPO_RUN_ID)] === run &&
      a.labels[L(ATTR_GRPO_REWARD_FUNCTION)] === 'total';
    await waitFor(
      async () => {
        alive();
        const alerts = await prom.alerts();
        assert.ok(
          !alerts.some((a) => a.state === 'firing' && plateau(a, LEARNING)),
          `the learning run plateaued: ${JSON.stringify(alerts.filter((a) => plateau(a, LEARNING)))}`,
        );
        return alerts.some((a) => a.state === 'firing' && plateau(a, FLAT)) ? true : undefined;
      },
      120_000,
      'GRPORewardPlateau firing for the flat Python run',
      500,
    );
  });

  test('the loops finish and their last step reaches Prometheus', async () => {
    const codes = await Promise.all(loops.map((l) => l.exited));
    assert.deepEqual(codes, [0, 0], loops.map((l) => l.output()).join('\n'));
    for (const run of [FLAT, LEARNING]) {
      await prom.waitForQuery(
        `${prometheusName(METRICS.trainingSteps)}{${L(ATTR_GRPO_RUN_ID)}="${run}"}`,
        `the final step count of ${run} in Prometheus`,
        (r) => r.length === 1 && Number(r[0]?.value[1]) === STEPS,
        60_000,
      );
    }
  });

  test('semconv series arrive under their Prometheus names, with the run as labels', async () => {
    const expected: MetricDefinition[] = [
      METRICS.rewardMean,
      METRICS.rewardStd,
      METRICS.rewardMin,
      METRICS.rewardMax,
      METRICS.rewardMedian,
      METRICS.trainingSteps,
      METRICS.trainingCurrentStep,
      METRICS.policyLoss,
      METRICS.policyLearningRate,
      METRICS.taskAccuracy,
      METRICS.trainingTokens,
      METRICS.completionMeanLength,
      METRICS.completionMaxLength,
      METRICS.validationAccuracy,
      METRICS.validationSamples,
      METRICS.validationDuration,
      METRICS.processMemoryUsage,
      METRICS.memoryPeakUsage,
    ];
    for (const run of [FLAT, LEARNING]) {
      for (const def of expected) {
        for (const name of prometheusSeries(def)) {
          const r = await prom.query(`${name}{${L(ATTR_GRPO_RUN_ID)}="${run}"}`);
          assert.ok(r.length > 0, `${def.name}: no ${name} for ${run} in Prometheus`);
          const labels = r[0]!.metric;
          assert.equal(labels.job, SERVICE, `${name}: job is service.name`);
          assert.equal(labels[L(ATTR_SERVICE_NAME)], SERVICE, name);
          assert.equal(labels[L(ATTR_GRPO_EXPERIMENT_NAME)], 'python-bridge', name);
          assert.equal(labels[L(ATTR_GRPO_RANK)], '0', name);
          assert.equal(labels[L(ATTR_GRPO_WORLD_SIZE)], '1', name);
        }
      }
      const fns = await prom.query(`${prometheusName(METRICS.rewardMean)}{${L(ATTR_GRPO_RUN_ID)}="${run}"}`);
      assert.deepEqual(fns.map((s) => s.metric[L(ATTR_GRPO_REWARD_FUNCTION)]).sort(), [
        'correctness',
        'format',
        'length',
        'reasoning',
        'total',
      ]);
      assert.ok(fns.every((s) => s.metric[L('grpo.split')] === 'train'));
      // The step-scoped gauges name their step (for the sink); the collector drops it before Prometheus,
      // which keeps one series per gauge, not one per step.
      const stepped = await prom.query(`{${L(ATTR_GRPO_RUN_ID)}="${run}", ${L(ATTR_GRPO_STEP)}!=""}`);
      assert.deepEqual(
        stepped.map((s) => s.metric.__name__),
        [],
      );
    }
    const value = async (run: string, fn: string) =>
      Number(
        (
          await prom.query(
            `${prometheusName(METRICS.rewardMean)}{${L(ATTR_GRPO_RUN_ID)}="${run}", ${L(ATTR_GRPO_REWARD_FUNCTION)}="${fn}"}`,
          )
        )[0]?.value[1],
      );
    assert.equal(await value(FLAT, 'correctness'), 0.5);
    assert.ok((await value(LEARNING, 'correctness')) >= 0.85, 'the learning run ends near 0.9');
  });

  test('every step’s batch reaches the collector as one grpo.step.batch event on the rewards scope', async () => {
    const batches = await waitFor(
      async () => {
        const records = exportedLogRecords(await readExportFile(local.logsPath)).filter(
          (r) => r.item.eventName === EVENT_GRPO_STEP_BATCH,
        );
        const flat = records.filter(
          (r) => attributesToObject(r.resource.attributes)[ATTR_GRPO_RUN_ID] === FLAT,
        );
        return flat.length >= STEPS ? flat : undefined;
      },
      60_000,
      `${STEPS} batches of the flat run in the collector's logs`,
      500,
    );
    const steps = batches
      .map((b) => Number(attributesToObject(b.item.attributes)['grpo.step']))
      .sort((a, b) => a - b);
    assert.deepEqual(
      steps,
      Array.from({ length: STEPS }, (_, i) => i + 1),
      'one batch per step',
    );
    for (const b of batches) {
      assert.equal(b.scope.name, 'rewards');
      const a = attributesToObject(b.item.attributes);
      assert.equal(a['event.name'], EVENT_GRPO_STEP_BATCH);
      assert.equal(Number(a['grpo.group.size']), 4);
      assert.deepEqual(a['grpo.batch.reward_functions'], ['correctness', 'format', 'length', 'reasoning']);
      assert.equal((a['grpo.batch.rewards'] as unknown[]).length, 4 * 16);
    }
    const full = batches.filter(
      (b) => attributesToObject(b.item.attributes)['grpo.batch.completions'] !== undefined,
    );
    assert.ok(full.length >= STEPS / 5, `completions on the full-metrics steps: ${full.length}`);
    const a = attributesToObject(full[0]!.item.attributes);
    const counts = (a['grpo.batch.token_counts'] as unknown[]).map(Number);
    assert.equal(counts.length, 16);
    assert.equal(
      (a['grpo.batch.logprobs'] as unknown[]).length,
      counts.reduce((x, y) => x + y, 0),
    );
  });
});
