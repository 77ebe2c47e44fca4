import type { MetricDefinition } from './MetricDefinition.js';
import { COMPLETION_METRICS } from './metrics/completions.js';
import { HEALTH_METRICS } from './metrics/health.js';
import { POLICY_METRICS } from './metrics/policy.js';
import { PROGRESS_METRICS } from './metrics/progress.js';
import { RESOURCE_METRICS } from './metrics/resources.js';
import { REWARD_METRICS } from './metrics/rewards.js';
import { SIGNAL_METRICS } from './metrics/signals.js';
import { TASK_METRICS } from './metrics/task.js';
import { VALIDATION_METRICS } from './metrics/validation.js';

const GROUPS = [
  REWARD_METRICS,
  POLICY_METRICS,
  COMPLETION_METRICS,
  TASK_METRICS,
  VALIDATION_METRICS,
  PROGRESS_METRICS,
  RESOURCE_METRICS,
  HEALTH_METRICS,
  SIGNAL_METRICS,
] as const;

/**
 * Every metric definition, keyed by a camelCase handle: `METRICS.rewardMean.name === 'grpo.reward.mean'`.
 * Each definition carries what an instrument needs (name, unit, description, valueType, advice).
 */
export const METRICS = Object.freeze({
  ...REWARD_METRICS,
  ...POLICY_METRICS,
  ...COMPLETION_METRICS,
  ...TASK_METRICS,
  ...VALIDATION_METRICS,
  ...PROGRESS_METRICS,
  ...RESOURCE_METRICS,
  ...HEALTH_METRICS,
  ...SIGNAL_METRICS,
});

export type MetricKey = keyof typeof METRICS;
/** Union of every defined metric name. */
export type MetricName = (typeof METRICS)[MetricKey]['name'];

/** Every metric definition, sorted by name. */
export const ALL_METRICS: readonly MetricDefinition[] = Object.freeze(
  (Object.values(METRICS) as MetricDefinition[]).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  ),
);

const BY_NAME: ReadonlyMap<string, MetricDefinition> = new Map(ALL_METRICS.map((m) => [m.name, m]));

/** The definition of a metric by its OpenTelemetry name, or undefined when it is not defined here. */
export function metricDefinition(name: MetricName): MetricDefinition;
export function metricDefinition(name: string): MetricDefinition | undefined;
export function metricDefinition(name: string): MetricDefinition | undefined {
  return BY_NAME.get(name);
}

/** Number of definitions over all category groups (a test checks no key was shadowed by the merge). */
export const METRIC_DEFINITION_COUNT = GROUPS.reduce((n, g) => n + Object.keys(g).length, 0);
