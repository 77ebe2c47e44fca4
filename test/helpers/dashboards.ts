// Runs the PromQL of the generated Grafana dashboards (deploy/grafana/dashboards/*.json) against a real
// Prometheus the way Grafana would: template variables resolved through Prometheus's label API, repeated
// panels once per value, other panels with "All" (a regex of every value), range queries over the run
// (instant ones for tables). Shared by the dashboard tests (test/dashboardsPrometheus.test.ts, the SDK
// driving the data; test/stackEndToEnd.test.ts, the demo trainer driving it).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningPrometheus } from '@grpo-otel/testkit/prometheus';
import { repoRoot } from '@grpo-otel/testkit/repoRoot';
import {
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
