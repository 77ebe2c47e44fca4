import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  AnnotationQueryBuilder,
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  type Panel,
  RowBuilder,
  TimePickerBuilder,
  type VariableModel,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { ATTR_GRPO_REWARD_FUNCTION, ATTR_GRPO_SIGNAL_KIND, METRICS } from '@grpo-otel/semconv';
import { PROMETHEUS } from './panels.js';
import { alertsSeries, by, label, series } from './promql.js';
import { standardVariables } from './variables.js';

/** Tag on every dashboard of this package; the dashboards link to each other through it. */
export const DASHBOARD_TAG = 'grpo-otel';

function annotation(name: string, color: string, expr: string): AnnotationQueryBuilder {
  // `target` is what current Grafana reads; the top-level `expr` is the older form of the same query.
  return new AnnotationQueryBuilder()
    .name(name)
    .datasource(PROMETHEUS)
    .enable(true)
    .iconColor(color)
    .target(new DataqueryBuilder().refId('Anno').expr(expr))
    .expr(expr);
}

/**
 * Marks on every time series panel: while one of the SDK's plateau or collapse detectors is active, and
 * while a Prometheus alert about the run fires (Grafana draws consecutive points as one region).
 */
export function runAnnotations(): AnnotationQueryBuilder[] {
  const kind = ATTR_GRPO_SIGNAL_KIND;
  const fn = ATTR_GRPO_REWARD_FUNCTION;
  return [
    annotation('Detectors', 'orange', `max${by(kind, fn)} (${series(METRICS.signalActive)}) == 1`)
      .titleFormat(`{{${label(kind)}}}`)
      .textFormat(`{{${label(fn)}}}`)
      .tagKeys(label(kind)),
    annotation('Firing alerts', 'red', alertsSeries('alertstate="firing"'))
      .titleFormat('{{alertname}}')
      .textFormat('{{severity}}')
      .tagKeys('severity'),
  ];
}

/** A titled group of panels; `repeat` repeats the row (and its panels) per value of a variable. */
export interface Row {
  title: string;
  repeat?: string;
  collapsed?: boolean;
  panels: readonly cog.Builder<Panel>[];
}

export interface RunDashboardOptions {
  uid: string;
  title: string;
  description: string;
  tags?: readonly string[];
  /** Variables after the standard ones (datasource, service, run, rank). */
  variables?: readonly cog.Builder<VariableModel>[];
  rows: readonly Row[];
}

/**
 * A dashboard about one training run: the standard variables, a shared crosshair, links to the other
 * grpo-otel dashboards (keeping the time range and the selected run), the last hour refreshed every 30 s.
 */
export function runDashboard(o: RunDashboardOptions): DashboardBuilder {
  const b = new DashboardBuilder(o.title)
    .uid(o.uid)
    .description(o.description)
    .tags([DASHBOARD_TAG, ...(o.tags ?? [])])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .refresh('30s')
    .timepicker(new TimePickerBuilder().refreshIntervals(['10s', '30s', '1m', '5m', '15m']))
    .link(
      new DashboardLinkBuilder('GRPO dashboards')
        .type(DashboardLinkType.Dashboards)
        .tags([DASHBOARD_TAG])
        .asDropdown(false)
        .includeVars(true)
        .keepTime(true),
    );
  for (const a of runAnnotations()) b.annotation(a);
  for (const v of standardVariables()) b.withVariable(v);
  for (const v of o.variables ?? []) b.withVariable(v);
  for (const row of o.rows) {
    const r = new RowBuilder(row.title).collapsed(row.collapsed ?? false);
    if (row.repeat !== undefined) r.repeat(row.repeat);
    if (row.collapsed) {
      for (const p of row.panels) r.withPanel(p);
      b.withRow(r);
    } else {
      b.withRow(r);
      for (const p of row.panels) b.withPanel(p);
    }
  }
  return b;
}
