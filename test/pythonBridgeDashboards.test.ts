// Every PromQL query of every generated Grafana dashboard returns data for a Python run: the loop of
// python/examples/train_loop.py (grpo_otel on the OTel Python SDK) -> the real collector (local.yaml +
// local-sink.yaml) -> Prometheus 2.42 scraping its prometheus exporter every second, with `grpo-otel sink`
// behind the collector sending the metrics and signals of its analyses (entropy, KL, diversity, moving
// averages, correlations, plateau and collapse) back through it. The queries run as in
// test/dashboardsPrometheus.test.ts (test/helpers/dashboards.ts). Everything binds to 127.0.0.1; every
// process is stopped by its PID.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ATTR_GRPO_RUN_ID, METRICS, prometheusName } from '@grpo-otel/semconv';
import { SINK_SCOPE_NAME } from '@grpo-otel/sink';
import { freePort } from '@grpo-otel/testkit/ports';
import {
  type LocalCollector,
  type RunningPrometheus,
  startLocalCollector,
  startPrometheus,
} from '@grpo-otel/testkit/prometheus';
import { startPythonScript, TRAIN_LOOP } from '@grpo-otel/testkit/pythonLoop';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import { type RunningSink, startSink } from '@grpo-otel/testkit/sink';
import { tempDirUntilExit } from '@grpo-otel/testkit/tempDir';
import { waitFor } from '@grpo-otel/testkit/waitFor';
import { label, VAR } from '../packages/dashboards/src/index.js';
import { dashboardQueryTests, writeDashboardsPrometheusConfig } from './helpers/dashboards.js';

const SERVICE = 'grpo-python-dashboards';
const RUN_ID = `py-dashboards-${process.pid}`;
const RANK = '0';
/** train_loop.py's reward functions. */
const REWARD_FUNCTIONS = ['correctness', 'format', 'length', 'reasoning'];
/** Grafana's $__rate_interval for a 1 s scrape interval: max($__interval + 1s, 4 * 1s). */
const RATE_INTERVAL = '4s';
const STEPS = 12;

/**
 * Queries with no data for a Python run, and why (what only the TypeScript SDK records, what did not happen).
 * Keep it short (python/README.md lists the same). Keyed by `<dashboard uid> / <panel title> / <refId>`.
 */
const EXPECTED_EMPTY: Readonly<Record<string, string>> = {
  'grpo-sdk-health / Export errors per second / A':
    'grpo.sdk.export.errors has a series once an export fails (the TypeScript SDK’s ExportErrorCounter; the ' +
    'bridge does not record it): no export fails in this run',
  'grpo-resource-usage / V8 heap used by space / A':
    'V8 heap spaces: the TypeScript SDK’s Node.js runtime metrics',
  'grpo-resource-usage / TensorFlow.js tensor memory / A':
    'TensorFlow.js memory: registerTensorMemory of the TypeScript SDK (a Python trainer has no TensorFlow.js)',
  'grpo-resource-usage / TensorFlow.js tensor memory / B':
    'TensorFlow.js memory: registerTensorMemory of the TypeScript SDK (a Python trainer has no TensorFlow.js)',
  'grpo-resource-usage / Live TensorFlow.js tensors / A':
    'TensorFlow.js tensors: registerTensorMemory of the TypeScript SDK (a Python trainer has no TensorFlow.js)',
};

describe('every dashboard query returns data for a Python run (bridge -> collector -> Prometheus, sink analyses)', {
  timeout: 10 * 60_000,
}, () => {
  let local: LocalCollector | undefined;
  let prometheus: RunningPrometheus | undefined;
  let sink: RunningSink | undefined;
  let start = 0;
  let end = 0;

  before(async () => {
    const dir = await tempDirUntilExit('grpo-py-dashboards-');
    const sinkPort = await freePort();
    local = await startLocalCollector({
      overlays: [join(repoRoot, 'collector-config', 'local-sink.yaml')],
      env: { GRPO_SINK_ENDPOINT: `http://127.0.0.1:${sinkPort}` },
    });
    prometheus = await startPrometheus(writeDashboardsPrometheusConfig(dir, local.prometheusExporter));
    // The analyses as a short run wants them (a plateau is no improvement over 5 steps).
    const config = join(dir, 'sink.yaml');
    writeFileSync(config, 'version: 1\nmetrics:\n  history_window: 5\n  plateau:\n    window: 5\n');
    sink = await startSink({
      port: sinkPort,
      out: join(dir, 'sink'),
      config,
      otlpEndpoint: local.collector.otlpHttpEndpoint,
    });
    start = Math.floor(Date.now() / 1000);
    const loop = startPythonScript(TRAIN_LOOP, [
      '--endpoint',
      local.collector.otlpHttpEndpoint,
      '--steps',
      String(STEPS),
      '--rewards',
      'learning',
      '--run-id',
      RUN_ID,
      '--service-name',
      SERVICE,
      '--full-every',
      '1',
      '--validate-every',
      '4',
      '--sleep',
      '0.6',
      // a NaN loss (dropped and counted) and an over-long line (cut and counted): the health panels
      '--bad-input-step',
      '3',
    ]);
    assert.equal(await loop.exited, 0, loop.output());
    // The last step in Prometheus, the sink's analyses of it too, then several more scrapes, so every
    // rate() window holds two samples.
    const lastStep = prometheusName(METRICS.trainingCurrentStep);
    await prometheus.waitForQuery(
      `${lastStep}{${label(ATTR_GRPO_RUN_ID)}="${RUN_ID}"}`,
      `step ${STEPS} in Prometheus`,
      (r) => r.some((s) => Number(s.value[1]) === STEPS),
    );
    await waitFor(
      async () => ((await sink!.stats()).batches >= STEPS ? true : undefined),
      30_000,
      'the sink to analyse every step',
      250,
    );
    await sleep(4_000);
    end = Math.ceil(Date.now() / 1000);
  });

  after(async () => {
    await sink?.stop();
    await prometheus?.stop();
    await local?.collector.stop();
  });

  test('each metric of the run reaches Prometheus from one source: the bridge, or the sink’s analyses', async () => {
    // Every series of the run over the whole run (stale ones too), by metric name: the scopes it came from.
    const series = await prometheus!.queryRange(`{${label(ATTR_GRPO_RUN_ID)}="${RUN_ID}"}`, start, end, 1);
    const scopes = new Map<string, Set<string>>();
    for (const s of series) {
      const name = s.metric.__name__!;
      let set = scopes.get(name);
      if (!set) {
        set = new Set();
        scopes.set(name, set);
      }
      set.add(s.metric.otel_scope_name ?? '(none)');
    }
    const both = [...scopes].filter(([, set]) => set.size > 1).map(([name, set]) => `${name}: ${[...set]}`);
    assert.deepEqual(both, []);
    // Both sources are there: the bridge's reward gauges, the sink's moving averages.
    assert.deepEqual([...(scopes.get(prometheusName(METRICS.rewardMovingAverage)) ?? [])], [SINK_SCOPE_NAME]);
    const mean = [...(scopes.get(prometheusName(METRICS.rewardMean)) ?? [])];
    assert.equal(mean.length, 1);
    assert.notEqual(mean[0], SINK_SCOPE_NAME);
  });

  dashboardQueryTests({
    prometheus: () => prometheus!,
    range: () => ({ start, end }),
    chosen: { [VAR.service]: SERVICE, [VAR.run]: RUN_ID, [VAR.rank]: RANK },
    rewardFunctions: REWARD_FUNCTIONS,
    rateInterval: RATE_INTERVAL,
    expectedEmpty: EXPECTED_EMPTY,
  });
});
