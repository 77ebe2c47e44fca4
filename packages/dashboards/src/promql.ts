import {
  ATTR_GRPO_RANK,
  ATTR_GRPO_RUN_ID,
  ATTR_GRPO_SPLIT,
  ATTR_SERVICE_NAME,
  type MetricDefinition,
  prometheusLabelName,
  prometheusMetricType,
  prometheusName,
  prometheusSeries,
  SPLIT_VALUES,
} from '@grpo-otel/semconv';

// PromQL built from semconv definitions only: metric names come from prometheusName/prometheusSeries and
// label names from prometheusLabelName, so renaming a metric or an attribute in semconv renames it in every
// panel (and a test then runs every query against a real Prometheus).

/** Template variable names (without `$`) shared by every dashboard. */
export const VAR = {
  datasource: 'datasource',
  service: 'service',
  run: 'run',
  rank: 'rank',
  rewardFunction: 'reward_function',
} as const;

/** The Prometheus label of an attribute key: `grpo.reward.function` -> `grpo_reward_function`. */
export function label(attributeKey: string): string {
  return prometheusLabelName(attributeKey);
}

/** A label matcher `label="value"` (the value is escaped for a PromQL string). */
export function eq(attributeKey: string, value: string | number): string {
  return `${label(attributeKey)}="${promqlString(String(value))}"`;
}

/** A label matcher `label!="value"`. */
export function ne(attributeKey: string, value: string | number): string {
  return `${label(attributeKey)}!="${promqlString(String(value))}"`;
}

/** A negative regex label matcher `label!~"regex"` (also matches series without the label). */
export function nre(attributeKey: string, regex: string): string {
  return `${label(attributeKey)}!~"${promqlString(regex)}"`;
}

/** A regex label matcher `label=~"regex"`; `regex` may hold a template variable such as `$run`. */
export function re(attributeKey: string, regex: string): string {
  return `${label(attributeKey)}=~"${promqlString(regex)}"`;
}

function promqlString(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/**
 * The matchers that restrict a query to the selected service, run and rank. The resource attributes
 * become labels in the collector (`resource_to_telemetry_conversion`); `=~` lets a multi-value or "All"
 * rank selection through (Grafana renders those as regexes).
 */
export const RUN_MATCHERS: readonly string[] = [
  re(ATTR_SERVICE_NAME, `$${VAR.service}`),
  re(ATTR_GRPO_RUN_ID, `$${VAR.run}`),
  re(ATTR_GRPO_RANK, `$${VAR.rank}`),
];

/**
 * Training data only: excludes the held-out splits. Metrics logged under TRL/verl names carry no split,
 * so this is a negative match (series without `grpo_split` pass).
 */
export const TRAINING: string = nre(ATTR_GRPO_SPLIT, SPLIT_VALUES.filter((s) => s !== 'train').join('|'));

/** `by (a, b)` with attribute keys translated to labels; empty for no keys. */
export function by(...attributeKeys: string[]): string {
  return attributeKeys.length === 0 ? '' : ` by (${attributeKeys.map(label).join(', ')})`;
}

/** Legend template showing attribute values: `legend('{{0}} {{1}}', ATTR_A, ATTR_B)` -> `{{a}} {{b}}`. */
export function legend(template: string, ...attributeKeys: string[]): string {
  return template.replace(/\{\{(\d+)\}\}/g, (whole, i: string) => {
    const key = attributeKeys[Number(i)];
    if (key === undefined) throw new Error(`legend '${template}': no attribute for ${whole}`);
    return `{{${label(key)}}}`;
  });
}

type Def = Pick<MetricDefinition, 'name' | 'unit' | 'instrument'>;

function selector(series: string, matchers: readonly string[]): string {
  return `${series}{${[...RUN_MATCHERS, ...matchers].join(', ')}}`;
}

/**
 * The series of a counter or gauge for the selected run: `grpo_reward_mean{service_name=~"$service", ...}`.
 * Histograms have no series of their own name: use {@link bucketSeries}, {@link sumSeries} or {@link countSeries}.
 */
export function series(def: Def, ...matchers: string[]): string {
  if (prometheusMetricType(def.instrument) === 'histogram') {
    throw new Error(`${def.name} is a histogram: select its _bucket, _sum or _count series`);
  }
  return selector(prometheusName(def), matchers);
}

function histogramSeries(def: Def, suffix: '_bucket' | '_sum' | '_count'): string {
  const name = prometheusSeries(def).find((s) => s === `${prometheusName(def)}${suffix}`);
  if (name === undefined) throw new Error(`${def.name} is not a histogram (no ${suffix} series)`);
  return name;
}

/** A histogram's `_bucket` series (with `le`) for the selected run. */
export function bucketSeries(def: Def, ...matchers: string[]): string {
  return selector(histogramSeries(def, '_bucket'), matchers);
}

/** A histogram's `_sum` series for the selected run. */
export function sumSeries(def: Def, ...matchers: string[]): string {
  return selector(histogramSeries(def, '_sum'), matchers);
}

/** A histogram's `_count` series for the selected run. */
export function countSeries(def: Def, ...matchers: string[]): string {
  return selector(histogramSeries(def, '_count'), matchers);
}

/**
 * Prometheus's own series of alert states (`ALERTS{alertname, alertstate, ...}`): not a metric of ours,
 * so not in semconv. An alert keeps the labels of the series its rule matched, so alerts about a run carry
 * its `grpo_run_id`.
 */
export const ALERTS_SERIES = 'ALERTS';

/**
 * The alerts of the selected service, run and rank, plus alerts that carry no such label at all (rules
 * that aggregate over runs): each run matcher also accepts the empty value.
 */
export function alertsSeries(...matchers: string[]): string {
  const runOrNone = [
    re(ATTR_SERVICE_NAME, `$${VAR.service}|`),
    re(ATTR_GRPO_RUN_ID, `$${VAR.run}|`),
    re(ATTR_GRPO_RANK, `$${VAR.rank}|`),
  ];
  return `${ALERTS_SERIES}{${[...matchers, ...runOrNone].join(', ')}}`;
}

/** Grafana's rate interval: at least four scrape intervals, so `rate()` always sees two samples. */
export const RATE_INTERVAL = '$__rate_interval';
