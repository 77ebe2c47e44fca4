import { ALL_METRICS, METRICS, type MetricCategory, type MetricDefinition } from '@grpo-otel/semconv';
import type {
  CustomScalarsCategory,
  CustomScalarsChart,
  CustomScalarsLayout,
} from './customScalarsLayout.js';
import { sanitizeTagComponent, sanitizeTagName } from './metricTag.js';

export interface GrpoCustomScalarsLayoutOptions {
  /**
   * Reward function names (e.g. `correctness`, `format`): each gets its own chart of mean and moving
   * average in "Reward trends". The all-functions chart is there either way.
   */
  rewardFunctions?: readonly string[];
}

/** The seed's four TensorBoard dashboards, then the SDK's own health, from semconv categories. */
const SECTIONS: readonly { title: string; categories: readonly MetricCategory[]; closed?: boolean }[] = [
  { title: 'Reward trends', categories: ['rewards'] },
  { title: 'Performance and validation', categories: ['task', 'validation'] },
  { title: 'Generation quality', categories: ['completions', 'policy'] },
  { title: 'Resource usage', categories: ['resources', 'progress'] },
  { title: 'Signals and telemetry health', categories: ['signals', 'health'], closed: true },
];

/** Python `re` escaping of a literal. */
function reEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Regex of every tag of a metric under the tag rule of `metricTag` (the name, then any values). */
export function metricTagPattern(name: string): string {
  return `^${reEscape(sanitizeTagName(name))}(/.*)?$`;
}

/**
 * A custom scalars layout (TensorBoard's "Custom Scalars" tab) for GRPO, built from the semconv
 * metric definitions and the tag rule of `metricTag`, so it follows renames:
 *
 * - Reward trends: first one chart with every reward function's mean and moving average
 *   (`^grpo\.reward\.(mean|moving_average)(/.*)?$`), then one per named reward function, then one
 *   chart per other scalar reward metric (std, min/max, group spread, correlations, advantages).
 * - Performance and validation: task accuracy, validation accuracy and gap, ...
 * - Generation quality: completion lengths, clipping, format adherence, diversity, entropy, KL, ...
 * - Resource usage: memory, event loop, efficiency, throughput, steps.
 * - Signals and telemetry health (collapsed): detector states, dropped records.
 *
 * Every chart is a multiline chart matching all attribute variants of its metric(s). Histogram
 * metrics are left out (custom scalars draws scalars; their distributions are in the Histograms tab).
 */
export function grpoCustomScalarsLayout(options: GrpoCustomScalarsLayoutOptions = {}): CustomScalarsLayout {
  const categories: CustomScalarsCategory[] = [];
  const mean = METRICS.rewardMean.name;
  const movingAverage = METRICS.rewardMovingAverage.name;
  const both = alternation(mean, movingAverage);
  for (const section of SECTIONS) {
    const charts: CustomScalarsChart[] = [];
    if (section.categories.includes('rewards')) {
      charts.push({ title: 'Mean reward per function, with moving average', multiline: [`${both}(/.*)?$`] });
      for (const f of options.rewardFunctions ?? []) {
        charts.push({
          title: `Reward: ${f}`,
          multiline: [`${both}/${reEscape(sanitizeTagComponent(f))}(/.*)?$`],
        });
      }
    }
    const metrics = ALL_METRICS.filter(
      (m: MetricDefinition) =>
        section.categories.includes(m.category) &&
        m.instrument !== 'histogram' &&
        m.name !== mean &&
        m.name !== movingAverage,
    );
    for (const m of order(metrics, section.categories)) {
      charts.push({ title: m.name, multiline: [metricTagPattern(m.name)] });
    }
    if (charts.length > 0) {
      categories.push({ title: section.title, charts, ...(section.closed ? { closed: true } : {}) });
    }
  }
  return { categories };
}

/** Category order as listed in the section, names sorted within a category. */
function order(metrics: readonly MetricDefinition[], cats: readonly MetricCategory[]): MetricDefinition[] {
  return [...metrics].sort((a, b) => {
    const c = cats.indexOf(a.category) - cats.indexOf(b.category);
    return c !== 0 ? c : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

/** `^prefix.(a|b)` for two names sharing everything up to their last dot, else `^(nameA|nameB)`. */
function alternation(a: string, b: string): string {
  const pa = a.slice(0, a.lastIndexOf('.') + 1);
  const pb = b.slice(0, b.lastIndexOf('.') + 1);
  if (pa === pb) return `^${reEscape(pa)}(${reEscape(a.slice(pa.length))}|${reEscape(b.slice(pb.length))})`;
  return `^(${reEscape(a)}|${reEscape(b)})`;
}
