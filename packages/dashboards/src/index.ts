export {
  type PanelQuery,
  panelQueries,
  parseLabelValues,
  substituteVariables,
  type VariableQuery,
  variableQueries,
} from './dashboardQueries.js';
export { generationQualityDashboard } from './dashboards/generationQualityDashboard.js';
export { resourceUsageDashboard } from './dashboards/resourceUsageDashboard.js';
export { rewardTrendsDashboard } from './dashboards/rewardTrendsDashboard.js';
export { runOverviewDashboard } from './dashboards/runOverviewDashboard.js';
export { sdkHealthDashboard } from './dashboards/sdkHealthDashboard.js';
export { taskPerformanceDashboard } from './dashboards/taskPerformanceDashboard.js';
export { buildDashboards, type GeneratedDashboard, renderDashboard } from './dashboards.js';
export {
  ALERTS_SERIES,
  alertsSeries,
  bucketSeries,
  by,
  countSeries,
  eq,
  label,
  legend,
  ne,
  nre,
  RATE_INTERVAL,
  RUN_MATCHERS,
  re,
  series,
  sumSeries,
  TRAINING,
  VAR,
} from './promql.js';
export { DASHBOARD_TAG, type Row, type RunDashboardOptions, runDashboard } from './runDashboard.js';
