import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  type Panel,
  RowBuilder,
  TimePickerBuilder,
  type VariableModel,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { standardVariables } from './variables.js';

/** Tag on every dashboard of this package; the dashboards link to each other through it. */
export const DASHBOARD_TAG = 'grpo-otel';

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
