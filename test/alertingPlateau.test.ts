// A reward plateau, end to end on real servers: two trainer processes run the real SDK at the same time
// (its public API: initialize, logTrainingProgress, logRewardMetrics, shutdown) and send OTLP to the
// collector (collector-config/local.yaml); Prometheus scrapes it and evaluates the GRPO rules of the
// `fast` profile (the production expressions with windows of seconds); Alertmanager runs the committed
// config with its webhooks pointed at a server in this test.
//   - the "plateau" run: correctness rises for 5 s, then stays flat while format keeps rising;
//   - the "learning" run: both rewards keep rising.
// Expected: GRPORewardPlateau (PromQL) and GRPORewardPlateauSignal (the SDK's detector) fire for the
// plateau run's correctness reward only, Alertmanager holds them and POSTs them to the warning webhook;
// the learning run raises no alert at all, over the same time.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ATTR_GRPO_REWARD_FUNCTION, ATTR_GRPO_RUN_ID, prometheusLabelName } from '@grpo-otel/semconv';
import {
  type AmAlert,
  type LocalCollector,
  type RunningAlertmanager,
  type RunningPrometheus,
  startAlertmanager,
  startLocalCollector,
  startPrometheus,
  startWebhookReceiver,
  type WebhookReceiver,
  writeTestAlertmanagerConfig,
} from '@grpo-otel/testkit/prometheus';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import { tempDirUntilExit } from '@grpo-otel/testkit/tempDir';
import { waitFor } from '@grpo-otel/testkit/waitFor';
import { writeLocalPrometheus } from '../deploy/prometheus/src/generate.js';

const RUN_LABEL = prometheusLabelName(ATTR_GRPO_RUN_ID);
const FN_LABEL = prometheusLabelName(ATTR_GRPO_REWARD_FUNCTION);
const PLATEAU_RUN = `plateau-${process.pid}`;
const LEARNING_RUN = `learning-${process.pid}`;
const PLATEAU_ALERTS = ['GRPORewardPlateau', 'GRPORewardPlateauSignal'];

// The trainer: one process per run, driven only through the SDK's public API. 5 steps per second; the
// SDK's plateau detector watches 5 steps (metrics.plateau.window).
const TRAINER = `
import { initialize, logRewardMetrics, logTrainingProgress, parseConfig, shutdown } from '@grpo-otel/sdk';
import { setTimeout as sleep } from 'node:timers/promises';
const env = { ...process.env };
const config = \`version: 1
root: { level: WARNING, handlers: [] }
resource:
  experiment: alerting-e2e
  run_id: \${env.GRPO_TEST_RUN_ID}
  rank: 0
  world_size: 1
metrics:
  logging_frequency: 1
  full_metrics_frequency: 1
  plateau: { window: 5, min_delta: 0.01, patience: 1 }
otlp:
  export_interval: 0.5
\`;
initialize({ config: parseConfig(config, { source: 'trainer.yaml', baseDir: '/', env }), env, handleExit: false });
let stopping = false;
process.on('SIGTERM', () => { stopping = true; });
const riseSteps = Number(env.GRPO_TEST_RISE_STEPS);
for (let s = 1; s <= Number(env.GRPO_TEST_MAX_STEPS) && !stopping; s++) {
  const correctness = 0.1 + 0.02 * Math.min(s, riseSteps);
  const format = 0.1 + 0.02 * s;
  logTrainingProgress(s, { loss: 0.1 });
  logRewardMetrics(s, {
    correctness: [correctness - 0.05, correctness + 0.05, correctness, correctness],
    format: [format, format, format - 0.01, format + 0.01],
  });
  await sleep(200);
}
await shutdown();
process.stdout.write('trainer done\\n');
`;

interface Trainer {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function startTrainer(runId: string, endpoint: string, riseSteps: number): Trainer {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', TRAINER],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_SERVICE_NAME: 'grpo-alerting-e2e',
        GRPO_TEST_RUN_ID: runId,
        GRPO_TEST_RISE_STEPS: String(riseSteps),
        // A bound, should the test not stop it: 90 s.
        GRPO_TEST_MAX_STEPS: '450',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

describe('reward plateau alert, end to end', { timeout: 10 * 60_000 }, () => {
  let local: LocalCollector;
  let prom: RunningPrometheus;
  let am: RunningAlertmanager;
  let webhook: WebhookReceiver;
  let trainers: Trainer[] = [];
  let started = 0;

  before(async () => {
    local = await startLocalCollector();
    webhook = await startWebhookReceiver();
    const dir = await tempDirUntilExit('grpo-alerting-e2e-');
    am = await startAlertmanager(await writeTestAlertmanagerConfig(dir, webhook.url));
    const config = writeLocalPrometheus(
      dir,
      {
        scrapeInterval: '1s',
        evaluationInterval: '1s',
        collector: local.prometheusExporter,
        collectorTelemetry: local.telemetry,
        alertmanager: new URL(am.url).host,
      },
      'fast',
    );
    prom = await startPrometheus(config);
    started = Date.now() / 1000;
    trainers = [
      startTrainer(PLATEAU_RUN, local.collector.otlpHttpEndpoint, 25),
      startTrainer(LEARNING_RUN, local.collector.otlpHttpEndpoint, Number.MAX_SAFE_INTEGER),
    ];
  });

  after(async () => {
    for (const t of trainers) {
      if (t.child.exitCode === null && t.child.signalCode === null) t.child.kill('SIGTERM');
    }
    await Promise.all(trainers.map((t) => t.exited));
    await prom?.stop();
    await am?.stop();
    await local?.collector.stop();
    await webhook?.close();
  });

  const isPlateau = (labels: Record<string, string>, run: string) =>
    PLATEAU_ALERTS.includes(labels.alertname ?? '') && labels[RUN_LABEL] === run;

  test('both plateau alerts fire in Prometheus for the plateau run, for the flat reward function only', async () => {
    const firing = await waitFor(
      async () => {
        for (const t of trainers) {
          if (t.child.exitCode !== null) throw new Error(`a trainer exited early:\n${t.output()}`);
        }
        const alerts = (await prom.alerts()).filter(
          (a) => a.state === 'firing' && isPlateau(a.labels, PLATEAU_RUN),
        );
        const names = new Set(alerts.map((a) => a.labels.alertname));
        return PLATEAU_ALERTS.every((n) => names.has(n)) ? alerts : undefined;
      },
      120_000,
      'GRPORewardPlateau and GRPORewardPlateauSignal firing for the plateau run',
      500,
    );
    process.stderr.write(
      `plateau alerts firing ${Math.round(Date.now() / 1000 - started)} s after the runs started\n`,
    );
    for (const a of firing) assert.equal(a.labels[FN_LABEL], 'correctness', JSON.stringify(a.labels));
    assert.ok(firing.every((a) => a.labels.severity === 'warning'));
  });

  test('Alertmanager holds them and POSTs them to the warning webhook', async () => {
    const held = await waitFor(
      async () => {
        const alerts = (await am.alerts()).filter((a: AmAlert) => isPlateau(a.labels, PLATEAU_RUN));
        return PLATEAU_ALERTS.every((n) => alerts.some((a) => a.labels.alertname === n)) ? alerts : undefined;
      },
      30_000,
      'the plateau alerts in Alertmanager',
      250,
    );
    for (const a of held) {
      assert.equal(a.status.state, 'active');
      assert.deepEqual(
        a.receivers.map((r) => r.name),
        ['grpo-warning'],
      );
    }
    const post = await waitFor(
      async () =>
        webhook.posts.find(
          (p) =>
            p.status === 'firing' &&
            p.alerts.some(
              (a) => a.labels.alertname === 'GRPORewardPlateau' && isPlateau(a.labels, PLATEAU_RUN),
            ),
        ),
      30_000,
      'a webhook POST with GRPORewardPlateau',
      250,
    );
    assert.equal(post.path, '/grpo-warning');
    assert.equal(post.receiver, 'grpo-warning');
    const alert = post.alerts.find((a) => a.labels.alertname === 'GRPORewardPlateau')!;
    assert.equal(alert.labels[FN_LABEL], 'correctness');
    assert.match(alert.annotations.summary ?? '', new RegExp(PLATEAU_RUN));
  });

  test('the learning run, running as long, raised no alert anywhere', async () => {
    // As long as the plateau run took to alert (about 22 s here): a faster machine may get here sooner.
    const wait = 21 - (Date.now() / 1000 - started);
    if (wait > 0) await sleep(wait * 1000);
    const now = Date.now() / 1000;
    assert.ok(now - started > 20, 'the learning run had time to plateau');
    const series = await prom.queryRange(`ALERTS{${RUN_LABEL}="${LEARNING_RUN}"}`, started, now, 1);
    assert.deepEqual(
      series.map((s) => s.metric),
      [],
    );
    assert.deepEqual(
      (await am.alerts()).filter((a) => a.labels[RUN_LABEL] === LEARNING_RUN).map((a) => a.labels),
      [],
    );
    assert.deepEqual(
      webhook.posts.flatMap((p) => p.alerts).filter((a) => a.labels[RUN_LABEL] === LEARNING_RUN),
      [],
    );
    // The learning run's rewards really were in Prometheus all along (the absence means something).
    const rewards = await prom.query(`run:grpo_reward_mean:smoothed{${RUN_LABEL}="${LEARNING_RUN}"}`);
    assert.ok(rewards.length >= 3, JSON.stringify(rewards));
  });

  test('the trainers shut down cleanly', async () => {
    for (const t of trainers) t.child.kill('SIGTERM');
    const codes = await Promise.all(trainers.map((t) => t.exited));
    for (const [i, code] of codes.entries()) assert.equal(code, 0, trainers[i]!.output());
  });
});
