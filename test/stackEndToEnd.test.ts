// The demo trainer through the local stack, end to end: a real (short) GRPO run of packages/demo-trainer,
// in its own process with OTEL_EXPORTER_OTLP_ENDPOINT pointing at the real otelcol-grpo
// (collector-config/local.yaml), which Prometheus 2.42 scrapes every second (the GRPO rules, fast
// profile, alerting to a real Alertmanager) and which forwards spans to a real Jaeger v2
// (deploy/jaeger/jaeger.yaml). Then, for that run:
//   - every PromQL query of every panel of every generated dashboard returns data (the queries are read
//     out of deploy/grafana/dashboards/*.json and their variables resolved as Grafana would);
//   - the validation spans and every step's trace (grpo.step, its phases, a reward span per function) are
//     found through Jaeger's query API;
//   - the log records reached the collector's Loki-bound logs pipeline (its file exporter copy) with the
//     run's resource attributes, the channel as scope and the step as an attribute.
// Everything binds to 127.0.0.1 on free ports; every process is stopped by its PID.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_RUN_ID,
  ATTR_GRPO_STEP,
  ATTR_SERVICE_NAME,
  METRICS,
  prometheusName,
  SPAN_GRPO_GENERATE,
  SPAN_GRPO_REWARD,
  SPAN_GRPO_STEP,
  SPAN_GRPO_UPDATE,
  SPAN_GRPO_VALIDATION,
} from '@grpo-otel/semconv';
import { type JaegerTrace, type RunningJaeger, spanTag, startJaeger } from '@grpo-otel/testkit/jaeger';
import { attributesToObject, exportedLogRecords, readExportFile } from '@grpo-otel/testkit/otlpJson';
import { pidAlive } from '@grpo-otel/testkit/pidAlive';
import {
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
import { label, panelQueries, VAR } from '../packages/dashboards/src/index.js';
import {
  loadDashboards,
  type PanelQueryResult,
  queryKey,
  resolveVariables,
  runPanelQueries,
} from './helpers/dashboards.js';

/** The demo's service.name (packages/demo-trainer/config/logging_config.yaml). */
const SERVICE = 'grpo-otel-demo';
const RUN_ID = `stack-e2e-${process.pid}`;
/** GRPO steps: two progress records (logging_frequency 10), validation before the first and after the last. */
const STEPS = 20;
/** The seed's reward functions (section 2 of the plan), as the demo registers them. */
const DEMO_REWARD_FUNCTIONS = [
  'correctness_reward',
  'xml_format_reward',
  'anti_repetition_reward',
  'topic_relevance_reward',
];
/** Supervised warm-up steps: enough for a format the rewards can score, short enough for a test. */
const WARMUP_STEPS = 40;
/** Grafana's $__rate_interval for a 1 s scrape interval: max($__interval + 1s, 4 * 1s). */
const RATE_INTERVAL = '4s';
/** The dashboards' `allValue` for "All" of a multi-value variable. */
const ALL = '.*';

/**
 * A query that may return nothing for this (healthy, short) demo run, why, and a check that the reason
 * holds on the run's data. With data, such a query passes like any other.
 */
interface ExpectedEmpty {
  matches(key: string): boolean;
  why: string;
  /** Asserts the reason on the run's own data (the query is empty because of it, not by a mistake). */
  verify(ctx: { prometheus: RunningPrometheus; start: number; end: number; panel: unknown }): Promise<void>;
}

const RUN = `${label(ATTR_GRPO_RUN_ID)}="${RUN_ID}"`;

/** Every value of a range query over the run (at least one, else it fails). */
async function valuesOver(
  ctx: { prometheus: RunningPrometheus; start: number; end: number },
  expr: string,
): Promise<number[]> {
  const values = (await ctx.prometheus.queryRange(expr, ctx.start, ctx.end, 1)).flatMap((s) =>
    s.values.map(([, v]) => Number(v)),
  );
  assert.ok(values.length > 0, `no data for ${expr}`);
  return values;
}

/** Keep this short: every other query must return data. */
const EXPECTED_EMPTY: readonly ExpectedEmpty[] = [
  {
    matches: (k) => k.endsWith(' / annotation: Detectors / Anno'),
    why: 'it marks active plateau/collapse detectors, and none fires in 20 healthy steps',
    verify: async (ctx) => {
      const active = await valuesOver(ctx, `max(${prometheusName(METRICS.signalActive)}{${RUN}})`);
      assert.ok(
        active.every((v) => v === 0),
        'the detectors report, all inactive',
      );
    },
  },
  {
    matches: (k) => k === 'grpo-resource-usage / Tokens per unit of reward gained / A',
    why: 'tokens per unit of reward gained is undefined while no reward has been gained',
    verify: async (ctx) => {
      const gain = await valuesOver(ctx, `max(${prometheusName(METRICS.efficiencyRewardGain)}{${RUN}})`);
      assert.ok(
        gain.every((v) => v <= 0),
        `reward gained per hour stays <= 0: ${gain.slice(-3)}`,
      );
    },
  },
  {
    matches: (k) => k === 'grpo-sdk-health / Export errors per second / A',
    why: 'no export failed (the counter appears with the first failure); the panel shows its noValue, 0',
    verify: async (ctx) => {
      const p = ctx.panel as { fieldConfig?: { defaults?: { noValue?: string } } };
      assert.equal(p.fieldConfig?.defaults?.noValue, '0');
      // The collector (its own telemetry, scraped by the same Prometheus) refused nothing.
      const refused = await valuesOver(
        ctx,
        'sum(otelcol_receiver_refused_metric_points) + sum(otelcol_receiver_refused_log_records)' +
          ' + sum(otelcol_receiver_refused_spans)',
      );
      assert.ok(
        refused.every((v) => v === 0),
        `the collector refused ${refused.at(-1)} items`,
      );
    },
  },
];

/**
 * Each GRPO step lasts at least this long. A real step takes seconds; the demo's take ~0.1 s, and on a fast
 * machine all 20 fit between two metric exports: every histogram series would then reach Prometheus
 * already complete, never increase, and each rate() over it would be empty. Paced, the steps span several
 * exports (OTEL_METRIC_EXPORT_INTERVAL below) and scrapes.
 */
const MIN_STEP_MS = 400;
const EXPORT_INTERVAL_MS = 1000;

// The demo in its own process, as a user runs it, with a shorter schedule (paced: MIN_STEP_MS).
const DEMO = `
import { runDemo } from './packages/demo-trainer/src/index.ts';
const pause = new Int32Array(new SharedArrayBuffer(4));
let stepStarted = performance.now();
const summary = await runDemo({
  outDir: process.env.GRPO_TEST_OUT,
  runId: process.env.GRPO_TEST_RUN_ID,
  trainer: { steps: Number(process.env.GRPO_TEST_STEPS), warmupSteps: Number(process.env.GRPO_TEST_WARMUP) },
  onProgress: (e) => {
    if (e.kind !== 'step') return;
    const rest = Number(process.env.GRPO_TEST_MIN_STEP_MS) - (performance.now() - stepStarted);
    if (rest > 0) Atomics.wait(pause, 0, 0, rest);
    stepStarted = performance.now();
  },
});
process.stdout.write('SUMMARY ' + JSON.stringify({ steps: summary.steps, validations: summary.validation.history.map((v) => v.step), telemetry: summary.telemetry, drops: summary.drops }) + '\\n');
`;

interface DemoResult {
  code: number | null;
  output: string;
  summary?: { steps: number; validations: number[]; telemetry: boolean; drops: unknown[] };
}

function runDemoProcess(
  outDir: string,
  otlpEndpoint: string,
): { child: ChildProcess; done: Promise<DemoResult> } {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', DEMO],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
        GRPO_TEST_OUT: outDir,
        GRPO_TEST_RUN_ID: RUN_ID,
        GRPO_TEST_STEPS: String(STEPS),
        GRPO_TEST_WARMUP: String(WARMUP_STEPS),
        GRPO_TEST_MIN_STEP_MS: String(MIN_STEP_MS),
        OTEL_METRIC_EXPORT_INTERVAL: String(EXPORT_INTERVAL_MS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const append = (c: string) => {
    output = (output + c).slice(-256 * 1024);
  };
  child.stdout!.setEncoding('utf8').on('data', append);
  child.stderr!.setEncoding('utf8').on('data', append);
  const done = new Promise<DemoResult>((resolve) => {
    child.on('close', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('SUMMARY '));
      resolve({ code, output, ...(line ? { summary: JSON.parse(line.slice(8)) } : {}) });
    });
  });
  return { child, done };
}

describe('the demo trainer through collector, Prometheus and Jaeger', { timeout: 15 * 60_000 }, () => {
  let jaeger: RunningJaeger | undefined;
  let local: LocalCollector | undefined;
  let prometheus: RunningPrometheus | undefined;
  let alertmanager: RunningAlertmanager | undefined;
  let webhook: WebhookReceiver | undefined;
  let demo: ReturnType<typeof runDemoProcess> | undefined;
  let result: DemoResult;
  let start = 0;
  let end = 0;

  before(async () => {
    const dir = await tempDirUntilExit('grpo-stack-e2e-');
    jaeger = await startJaeger();
    local = await startLocalCollector({ jaegerOtlpGrpcPort: jaeger.otlpGrpcPort });
    webhook = await startWebhookReceiver();
    alertmanager = await startAlertmanager(await writeTestAlertmanagerConfig(dir, webhook.url));
    prometheus = await startPrometheus(
      writeLocalPrometheus(
        join(dir, 'prometheus'),
        {
          scrapeInterval: '1s',
          evaluationInterval: '1s',
          collector: local.prometheusExporter,
          collectorTelemetry: local.telemetry,
          alertmanager: new URL(alertmanager.url).host,
        },
        'fast',
      ),
    );
    start = Math.floor(Date.now() / 1000);
    demo = runDemoProcess(join(dir, 'run'), local.collector.otlpHttpEndpoint);
    result = await demo.done;
    assert.equal(result.code, 0, `the demo failed:\n${result.output.slice(-8000)}`);
    // The run's last export (at shutdown), then a few more scrapes, so that every rate() window over the
    // end of the run holds two samples.
    const lastStep = prometheusName(METRICS.trainingCurrentStep);
    await waitFor(
      async () => {
        const r = await prometheus!.query(`${lastStep}{${label(ATTR_GRPO_RUN_ID)}="${RUN_ID}"}`);
        return r.some((s) => Number(s.value[1]) === STEPS) ? true : undefined;
      },
      60_000,
      `step ${STEPS} of run ${RUN_ID} in Prometheus`,
      250,
    );
    await sleep(5_000);
    // The run has stopped stepping while its series are still exported: the real (fast) rules raise
    // GRPOTrainingStalled for it, which gives the alert panels and annotations a real alert to show.
    await waitFor(
      async () =>
        (await prometheus!.alerts()).some(
          (a) =>
            a.labels.alertname === 'GRPOTrainingStalled' &&
            a.state === 'firing' &&
            a.labels[label(ATTR_GRPO_RUN_ID)] === RUN_ID,
        )
          ? true
          : undefined,
      120_000,
      `GRPOTrainingStalled firing for run ${RUN_ID}`,
      500,
    );
    await sleep(2_000);
    end = Math.ceil(Date.now() / 1000);
  });

  after(async () => {
    if (demo && demo.child.exitCode === null && demo.child.pid && pidAlive(demo.child.pid)) {
      demo.child.kill('SIGKILL');
    }
    await prometheus?.stop();
    await alertmanager?.stop();
    await webhook?.close();
    await local?.collector.stop();
    await jaeger?.stop();
  });

  test('the demo ran its steps and validated at least once, with telemetry on', (t) => {
    assert.ok(result.summary, result.output.slice(-4000));
    t.diagnostic(`drops counted by the SDK: ${JSON.stringify(result.summary.drops)}`);
    assert.equal(result.summary.steps, STEPS);
    assert.equal(result.summary.telemetry, true);
    assert.deepEqual(result.summary.validations, [0, STEPS]);
  });

  const dashboards = loadDashboards();

  test('the generated dashboards are there', () => {
    assert.ok(dashboards.length >= 6, 'dashboards in deploy/grafana/dashboards');
  });

  for (const { file, json } of dashboards) {
    test(`${file}: the variables find the run and every panel query returns data for it`, async (t) => {
      const found = await resolveVariables(
        prometheus!,
        json,
        { [VAR.service]: SERVICE, [VAR.run]: RUN_ID },
        start,
        end,
      );
      assert.ok(found[VAR.service]?.includes(SERVICE), `service: ${found[VAR.service]}`);
      assert.ok(found[VAR.run]?.includes(RUN_ID), `run: ${found[VAR.run]}`);
      // A single demo process has no RANK: no grpo_rank label, and the rank selector stays on "All".
      assert.deepEqual(found[VAR.rank], [], 'the demo sets no rank');
      const results: PanelQueryResult[] = await runPanelQueries(prometheus!, json, {
        values: {
          [VAR.service]: SERVICE,
          [VAR.run]: RUN_ID,
          [VAR.rank]: ALL,
          __rate_interval: RATE_INTERVAL,
        },
        found,
        start,
        end,
        stepSeconds: 1,
      });
      assert.ok(results.length > 0, 'the dashboard has Prometheus queries');
      const failures: string[] = [];
      for (const r of results) {
        const key = queryKey(r.query);
        const expected = EXPECTED_EMPTY.find((e) => e.matches(key));
        if (r.error !== undefined) failures.push(`${r.name}: ${r.error}\n    ${r.expr}`);
        else if (expected !== undefined && !r.hasData) {
          // Empty is acceptable only where the reason demonstrably holds for this run.
          await expected.verify({ prometheus: prometheus!, start, end, panel: panelOf(json, r.query.panel) });
          t.diagnostic(`${r.name}: empty, as expected (${expected.why})`);
        } else if (!r.hasData) failures.push(`${r.name}: no data\n    ${r.expr}`);
      }
      t.diagnostic(`${results.length} queries run`);
      assert.deepEqual(failures, [], `queries without data:\n${failures.join('\n')}`);
    });
  }

  test('the alert panels show alerts the real rules raised for the run', async (t) => {
    const series = await prometheus!.queryRange(`ALERTS{${RUN}}`, start, end, 1);
    const names = [...new Set(series.map((s) => `${s.metric.alertname} (${s.metric.alertstate})`))].sort();
    t.diagnostic(`ALERTS of the run: ${names.join(', ')}`);
    assert.ok(names.length > 0, 'the rules (fast profile) raised at least one alert for the run');
  });

  test('every expected-empty entry matches a query', () => {
    const keys = dashboards.flatMap(({ json }) => panelQueries(json).map(queryKey));
    for (const e of EXPECTED_EMPTY) assert.ok(keys.some(e.matches), `no query for: ${e.why}`);
  });

  test('the validation spans are in Jaeger, one per validation, with step and samples', async () => {
    const traces: JaegerTrace[] = await waitFor(
      async () => {
        const found = await jaeger!.findTraces({ service: SERVICE, operation: SPAN_GRPO_VALIDATION });
        return found.length >= 2 ? found : undefined;
      },
      30_000,
      `${SPAN_GRPO_VALIDATION} spans of ${SERVICE} in Jaeger`,
      250,
    );
    const spans = traces.flatMap((tr) =>
      tr.spans
        .filter((s) => s.operationName === SPAN_GRPO_VALIDATION)
        .map((s) => ({ span: s, process: tr.processes[s.processID] })),
    );
    const ours = spans.filter(
      ({ process }) => process?.tags.find((x) => x.key === ATTR_GRPO_RUN_ID)?.value === RUN_ID,
    );
    assert.deepEqual(
      ours.map(({ span }) => Number(spanTag(span, ATTR_GRPO_STEP))).sort((a, b) => a - b),
      [0, STEPS],
      'one validation span at step 0 and one after the last step',
    );
    for (const { span, process } of ours) {
      assert.equal(process?.serviceName, SERVICE);
      assert.ok((span.logs ?? []).length > 0, 'validation spans carry per-sample events');
    }
    assert.ok((await jaeger!.services()).includes(SERVICE));
  });

  test('the step traces are in Jaeger: a grpo.step per step, with its phases and a reward span per function', async () => {
    const traces: JaegerTrace[] = await waitFor(
      async () => {
        const found = await jaeger!.findTraces({ service: SERVICE, operation: SPAN_GRPO_STEP });
        const ours = found.filter((tr) =>
          Object.values(tr.processes).some(
            (p) => p.tags.find((x) => x.key === ATTR_GRPO_RUN_ID)?.value === RUN_ID,
          ),
        );
        return ours.length >= STEPS ? ours : undefined;
      },
      30_000,
      `${STEPS} ${SPAN_GRPO_STEP} traces of run ${RUN_ID} in Jaeger`,
      250,
    );
    const steps: number[] = [];
    for (const tr of traces) {
      const [root, ...more] = tr.spans.filter((s) => s.operationName === SPAN_GRPO_STEP);
      assert.ok(root && more.length === 0, `one ${SPAN_GRPO_STEP} in trace ${tr.traceID}`);
      const step = Number(spanTag(root, ATTR_GRPO_STEP));
      steps.push(step);
      const childrenOf = (id: string) =>
        tr.spans.filter((s) => s.references?.some((r) => r.refType === 'CHILD_OF' && r.spanID === id));
      const phases = childrenOf(root.spanID);
      assert.deepEqual(
        phases.map((s) => s.operationName).sort(),
        [SPAN_GRPO_GENERATE, SPAN_GRPO_REWARD, SPAN_GRPO_UPDATE].sort(),
        `step ${step}: the phases`,
      );
      const reward = phases.find((s) => s.operationName === SPAN_GRPO_REWARD)!;
      const functions = childrenOf(reward.spanID).map((s) => spanTag(s, ATTR_GRPO_REWARD_FUNCTION));
      assert.deepEqual(
        functions.sort(),
        [...DEMO_REWARD_FUNCTIONS].sort(),
        `step ${step}: a reward span per function`,
      );
      for (const s of tr.spans)
        assert.equal(Number(spanTag(s, ATTR_GRPO_STEP)), step, `${s.operationName} of step ${step}`);
    }
    assert.deepEqual(
      steps.sort((a, b) => a - b),
      Array.from({ length: STEPS }, (_, i) => i + 1),
    );
  });

  test("the logs reached the collector's Loki-bound pipeline with the run's attributes", async () => {
    const records = await waitFor(
      async () => {
        const all = exportedLogRecords(await readExportFile(local!.logsPath));
        return all.length > 0 ? all : undefined;
      },
      30_000,
      'log records in the logs pipeline file',
    );
    const ours = records.filter(
      (r) => attributesToObject(r.resource.attributes)[ATTR_GRPO_RUN_ID] === RUN_ID,
    );
    assert.ok(ours.length > 0, 'log records of the run');
    for (const r of ours) {
      const resource = attributesToObject(r.resource.attributes);
      assert.equal(resource[ATTR_SERVICE_NAME], SERVICE);
    }
    const channels = new Set(ours.map((r) => r.scope.name));
    for (const c of ['training', 'rewards', 'model_outputs', 'metrics']) {
      assert.ok(channels.has(c), `channel ${c} among ${[...channels].join(', ')}`);
    }
    const steps = new Set(
      ours.map((r) => Number(attributesToObject(r.item.attributes)[ATTR_GRPO_STEP])).filter(Number.isFinite),
    );
    for (let s = 1; s <= STEPS; s++) assert.ok(steps.has(s), `a record at step ${s}`);
    const validation = ours.find((r) =>
      String(r.item.body?.stringValue ?? '').startsWith(`validation at step ${STEPS}`),
    );
    assert.ok(validation, 'the final validation summary line');
    assert.equal(validation.item.severityText, 'INFO');
  });
});

/** The panel (or annotation) with this title, searched through rows. */
function panelOf(dashboardJson: unknown, title: string): unknown {
  interface P {
    title?: string;
    panels?: P[];
  }
  const visit = (ps: P[] | undefined): P | undefined => {
    for (const p of ps ?? []) {
      if (p.title === title) return p;
      const inner = visit(p.panels);
      if (inner) return inner;
    }
    return undefined;
  };
  return visit((dashboardJson as { panels?: P[] }).panels);
}
