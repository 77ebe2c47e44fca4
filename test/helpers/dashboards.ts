// Runs the PromQL of the generated Grafana dashboards (deploy/grafana/dashboards/*.json) against a real
// Prometheus the way Grafana would: template variables resolved through Prometheus's label API, repeated
// panels once per value, other panels with "All" (a regex of every value), range queries over the run
// (instant ones for tables). Shared by the dashboard tests (test/dashboardsPrometheus.test.ts, the SDK
// driving the data; test/stackEndToEnd.test.ts, the demo trainer driving it; test/pythonBridgeDashboards.test.ts,
// the Python bridge through the collector and grpo-otel sink).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ATTR_GRPO_EXPERIMENT_NAME, ATTR_GRPO_RUN_ID, METRICS, prometheusName } from '@grpo-otel/semconv';
import type { RunningPrometheus } from '@grpo-otel/testkit/prometheus';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import {
  label,
  type PanelQuery,
  panelQueries,
  parseLabelValues,
  substituteVariables,
  VAR,
  variableQueries,
} from '../../packages/dashboards/src/index.js';

export const DASHBOARD_DIR: string = join(repoRoot, 'deploy', 'grafana', 'dashboards');

/** The committed dashboards, parsed, in file name order. */
export function loadDashboards(): { file: string; json: unknown }[] {
  return readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, json: JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) as unknown }));
}

/** `<dashboard uid> / <panel title> / <refId>`: how a query is named in expectations and failures. */
export const queryKey = (q: PanelQuery): string => `${q.dashboard} / ${q.panel} / ${q.refId}`;

/** Values of a label on the series a selector matches, from Prometheus's label API. */
export async function labelValues(
  prometheus: RunningPrometheus,
  labelName: string,
  selector: string,
  start: number,
  end: number,
): Promise<string[]> {
  const params = new URLSearchParams({ 'match[]': selector, start: String(start), end: String(end) });
  const res = await fetch(`${prometheus.url}/api/v1/label/${labelName}/values?${params}`, {
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as { status: string; data?: string[]; error?: string };
  if (body.status !== 'success' || !body.data) throw new Error(`label values of ${labelName}: ${body.error}`);
  return body.data;
}

/**
 * The values each query variable of a dashboard offers, as Grafana resolves them: in order, each with the
 * variables before it substituted. `chosen` fixes variables to a value (e.g. the run); a variable not in
 * it takes its first value for the variables after it.
 */
export async function resolveVariables(
  prometheus: RunningPrometheus,
  dashboardJson: unknown,
  chosen: Readonly<Record<string, string>>,
  start: number,
  end: number,
): Promise<Record<string, string[]>> {
  const picked: Record<string, string> = { ...chosen };
  const found: Record<string, string[]> = {};
  for (const v of variableQueries(dashboardJson)) {
    const parsed = parseLabelValues(substituteVariables(v.query, picked));
    const values = await labelValues(prometheus, parsed.label, parsed.selector, start, end);
    found[v.name] = values;
    if (picked[v.name] === undefined) picked[v.name] = values[0] ?? '';
  }
  return found;
}

/** The outcome of one panel query (one per copy of a repeated panel). */
export interface PanelQueryResult {
  query: PanelQuery;
  /** queryKey(query), plus ` [value]` for a copy of a repeated panel. */
  name: string;
  /** The query as sent, variables substituted. */
  expr: string;
  /** At least one finite value came back. */
  hasData: boolean;
  /** The API error, if Prometheus refused the query. */
  error?: string;
}

export interface RunPanelQueriesOptions {
  /** Values of the single-value variables (service, run, rank, __rate_interval, ...). */
  values: Readonly<Record<string, string>>;
  /** What resolveVariables found (for the reward function repeat and "All"). */
  found: Readonly<Record<string, string[]>>;
  /** Range of the range queries, seconds since the epoch, and their step in seconds. */
  start: number;
  end: number;
  stepSeconds: number;
}

/** Runs every Prometheus query of every panel (and annotation) of a dashboard. */
export async function runPanelQueries(
  prometheus: RunningPrometheus,
  dashboardJson: unknown,
  opts: RunPanelQueriesOptions,
): Promise<PanelQueryResult[]> {
  const functions = opts.found[VAR.rewardFunction] ?? [];
  const out: PanelQueryResult[] = [];
  for (const q of panelQueries(dashboardJson)) {
    // A repeated panel gets one value per copy; any other panel gets "All", which Grafana renders as
    // a regex of every value for a multi-value variable.
    const runs: Record<string, string>[] =
      q.repeat === VAR.rewardFunction
        ? functions.map((f) => ({ ...opts.values, [VAR.rewardFunction]: f }))
        : [{ ...opts.values, [VAR.rewardFunction]: `(${functions.join('|')})` }];
    for (const values of runs) {
      const expr = substituteVariables(q.expr, values);
      const name = `${queryKey(q)}${q.repeat ? ` [${values[q.repeat]}]` : ''}`;
      try {
        const points = q.instant
          ? (await prometheus.query(expr)).map((x) => x.value)
          : (await prometheus.queryRange(expr, opts.start, opts.end, opts.stepSeconds)).flatMap(
              (x) => x.values,
            );
        out.push({ query: q, name, expr, hasData: points.some(([, v]) => Number.isFinite(Number(v))) });
      } catch (err) {
        out.push({ query: q, name, expr, hasData: false, error: (err as Error).message });
      }
    }
  }
  return out;
}

/**
 * A Prometheus config scraping the collector's prometheus exporter (`exporter`, host:port) every second,
 * with one alert rule that fires at once for any run that has a step; written into `dir`.
 */
export function writeDashboardsPrometheusConfig(dir: string, exporter: string): string {
  // One rule that fires at once for any run that has a step, so the alert panels have real ALERTS series
  // to show. Like the rules in deploy/prometheus, it aggregates to the run: its alerts carry grpo_run_id
  // but no service_name or grpo_rank, which the dashboards' alert matchers must accept.
  writeFileSync(
    join(dir, 'rules.yml'),
    [
      'groups:',
      '  - name: dashboards-e2e',
      '    rules:',
      '      - alert: GRPODashboardsE2E',
      `        expr: max by (${label(ATTR_GRPO_EXPERIMENT_NAME)}, ${label(ATTR_GRPO_RUN_ID)}) (${prometheusName(METRICS.trainingCurrentStep)}) > 0`,
      '        labels:',
      '          severity: info',
      '',
    ].join('\n'),
  );
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'rule_files:',
      `  - ${join(dir, 'rules.yml')}`,
      'scrape_configs:',
      '  - job_name: otelcol-grpo',
      '    honor_labels: true',
      '    static_configs:',
      `      - targets: ['${exporter}']`,
      '',
    ].join('\n'),
  );
  return config;
}

export interface DashboardQueryTestsOptions {
  prometheus: () => RunningPrometheus;
  /** The run's time range, seconds since the epoch (known once the suite's `before` ran). */
  range: () => { start: number; end: number };
  /** The single-value variables as the run sets them: service, run, rank. */
  chosen: Readonly<Record<string, string>>;
  /** The run's reward functions (without `total`). */
  rewardFunctions: readonly string[];
  /** $__rate_interval as Grafana computes it for the scrape interval. */
  rateInterval: string;
  /** Queries with no data in this run, and why, keyed by queryKey. Keep it short. */
  expectedEmpty: Readonly<Record<string, string>>;
}

/**
 * The tests every dashboard run shares: per dashboard, the variables find the run and every panel query
 * returns data for it (but the expected-empty ones); and every expected-empty query still exists.
 * Call inside a `describe` whose `before` starts Prometheus and records the run.
 */
export function dashboardQueryTests(o: DashboardQueryTestsOptions): void {
  const dashboards = loadDashboards();

  test('the generated dashboards are there', () => {
    assert.ok(dashboards.length >= 6, `dashboards in ${DASHBOARD_DIR}`);
  });

  /** Variable values as Grafana would pick them for this run, resolved through the label API. */
  const variablesOf = (json: unknown) =>
    resolveVariables(o.prometheus(), json, o.chosen, o.range().start, o.range().end);

  for (const { file, json } of dashboards) {
    describe(file, () => {
      test('the variables find the run', async () => {
        const found = await variablesOf(json);
        assert.ok(found[VAR.service]?.includes(o.chosen[VAR.service]!), `service: ${found[VAR.service]}`);
        assert.ok(found[VAR.run]?.includes(o.chosen[VAR.run]!), `run: ${found[VAR.run]}`);
        assert.deepEqual(found[VAR.rank], [o.chosen[VAR.rank]]);
        if (found[VAR.rewardFunction] !== undefined) {
          assert.deepEqual(found[VAR.rewardFunction], [...o.rewardFunctions, 'total'].sort());
        }
      });

      test('every panel query returns data for the run', async (t) => {
        const found = await variablesOf(json);
        const failures: string[] = [];
        const results = await runPanelQueries(o.prometheus(), json, {
          values: { ...o.chosen, __rate_interval: o.rateInterval },
          found,
          ...o.range(),
          stepSeconds: 1,
        });
        for (const r of results) {
          const expected = o.expectedEmpty[queryKey(r.query)];
          if (r.error !== undefined) failures.push(`${r.name}: ${r.error}\n    ${r.expr}`);
          else if (expected !== undefined) {
            t.diagnostic(
              `${r.name}: ${r.hasData ? 'has data now: remove it from the expected-empty list' : `empty as expected (${expected})`}`,
            );
          } else if (!r.hasData) failures.push(`${r.name}: no data\n    ${r.expr}`);
        }
        t.diagnostic(`${results.length} queries run`);
        assert.ok(results.length > 0, 'the dashboard has Prometheus queries');
        assert.deepEqual(failures, [], `queries without data:\n${failures.join('\n')}`);
      });
    });
  }

  test('every expected-empty query still exists', () => {
    const keys = new Set(dashboards.flatMap(({ json }) => panelQueries(json).map(queryKey)));
    for (const k of Object.keys(o.expectedEmpty)) assert.ok(keys.has(k), `${k} is listed but no such query`);
  });
}
