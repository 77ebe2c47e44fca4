import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  type VariableModel,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import {
  ATTR_GRPO_RANK,
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_RUN_ID,
  ATTR_SERVICE_NAME,
  METRICS,
} from '@grpo-otel/semconv';
import { PROMETHEUS } from './panels.js';
import { label, ne, re, series, VAR } from './promql.js';

/** The Prometheus data source every panel reads from. */
export function datasourceVariable(): cog.Builder<VariableModel> {
  return new DatasourceVariableBuilder(VAR.datasource).label('Prometheus').type('prometheus');
}

function labelValues(name: string, title: string, selector: string, labelName: string): QueryVariableBuilder {
  const query = `label_values(${selector}, ${labelName})`;
  return new QueryVariableBuilder(name)
    .label(title)
    .datasource(PROMETHEUS)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged);
}

/**
 * Service (`service.name`), run (`grpo.run.id`) and rank (`grpo.rank`), each narrowing the next. Every
 * series the SDK exports carries these resource attributes as labels, so no metric name is needed to
 * list them. Run ids start with their start time, so the newest run sorts first and is the default.
 */
export function runVariables(): cog.Builder<VariableModel>[] {
  const anyRun = ne(ATTR_GRPO_RUN_ID, '');
  return [
    labelValues(VAR.service, 'Service', `{${anyRun}}`, label(ATTR_SERVICE_NAME))
      .sort(VariableSort.AlphabeticalAsc)
      .multi(false)
      .includeAll(true)
      .allValue('.*'),
    labelValues(
      VAR.run,
      'Run',
      `{${re(ATTR_SERVICE_NAME, `$${VAR.service}`)}, ${anyRun}}`,
      label(ATTR_GRPO_RUN_ID),
    )
      .sort(VariableSort.AlphabeticalDesc)
      .multi(false)
      .includeAll(false),
    labelValues(
      VAR.rank,
      'Rank',
      `{${re(ATTR_SERVICE_NAME, `$${VAR.service}`)}, ${re(ATTR_GRPO_RUN_ID, `$${VAR.run}`)}, ${anyRun}}`,
      label(ATTR_GRPO_RANK),
    )
      .sort(VariableSort.NumericalAsc)
      .multi(true)
      .includeAll(true)
      .allValue('.*'),
  ];
}

/** The run's reward functions (with `total`, the weighted sum), for repeated per-function panels. */
export function rewardFunctionVariable(): cog.Builder<VariableModel> {
  return labelValues(
    VAR.rewardFunction,
    'Reward function',
    series(METRICS.rewardMean),
    label(ATTR_GRPO_REWARD_FUNCTION),
  )
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true);
}

/** Every variable a run dashboard has, in display order. */
export function standardVariables(): cog.Builder<VariableModel>[] {
  return [datasourceVariable(), ...runVariables()];
}
