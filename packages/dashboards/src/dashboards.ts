import type { Dashboard, DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { generationQualityDashboard } from './dashboards/generationQualityDashboard.js';
import { resourceUsageDashboard } from './dashboards/resourceUsageDashboard.js';
import { rewardTrendsDashboard } from './dashboards/rewardTrendsDashboard.js';
import { runOverviewDashboard } from './dashboards/runOverviewDashboard.js';
import { sdkHealthDashboard } from './dashboards/sdkHealthDashboard.js';
import { taskPerformanceDashboard } from './dashboards/taskPerformanceDashboard.js';

/** A generated dashboard and the file it is written to under `deploy/grafana/dashboards/`. */
export interface GeneratedDashboard {
  /** File name, `<uid>.json`. */
  file: string;
  dashboard: Dashboard;
}

const BUILDERS: readonly (() => DashboardBuilder)[] = [
  runOverviewDashboard,
  rewardTrendsDashboard,
  taskPerformanceDashboard,
  generationQualityDashboard,
  resourceUsageDashboard,
  sdkHealthDashboard,
];

interface PanelLike {
  id?: number;
  panels?: PanelLike[];
}

/**
 * Gives every panel (rows and the panels inside collapsed rows too) a unique id in layout order, which
 * Grafana needs for links to a panel and for repeats; the builders leave ids unset.
 */
function numberPanels(panels: PanelLike[] | undefined, next = { id: 1 }): void {
  for (const p of panels ?? []) {
    p.id = next.id++;
    numberPanels(p.panels, next);
  }
}

/** Builds every dashboard of this package. */
export function buildDashboards(): GeneratedDashboard[] {
  return BUILDERS.map((build) => {
    const dashboard = build().build();
    numberPanels(dashboard.panels as PanelLike[]);
    // The builder places links and annotation toggles in the controls menu (a Grafana 12 option, hidden
    // behind a button); without `placement` they show above the panels, in every Grafana version.
    for (const link of dashboard.links ?? []) delete link.placement;
    for (const a of dashboard.annotations?.list ?? []) delete a.placement;
    if (!dashboard.uid) throw new Error(`dashboard '${dashboard.title}' has no uid`);
    return { file: `${dashboard.uid}.json`, dashboard };
  });
}

/** The dashboard as written to disk: 2-space JSON with a final newline. */
export function renderDashboard(dashboard: Dashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
