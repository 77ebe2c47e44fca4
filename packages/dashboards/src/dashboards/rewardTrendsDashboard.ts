import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  ATTR_GRPO_CORRELATION_METHOD,
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_REWARD_OTHER_FUNCTION,
  METRICS,
} from '@grpo-otel/semconv';
import { describe, heatmap, timeSeries } from '../panels.js';
import { bucketSeries, by, legend, RATE_INTERVAL, re, series, TRAINING, VAR } from '../promql.js';
import { runDashboard } from '../runDashboard.js';
import { rewardFunctionVariable } from '../variables.js';

const FN = ATTR_GRPO_REWARD_FUNCTION;
/** The reward functions chosen in the `reward_function` variable (one value inside a repeated row). */
const SELECTED = re(FN, `$${VAR.rewardFunction}`);

/** Averaged over the selected ranks, per reward function. */
const perFunction = (def: Parameters<typeof series>[0]) =>
  `avg${by(FN)} (${series(def, SELECTED, TRAINING)})`;
/** Averaged over the selected ranks, one value (inside the per-function row). */
const one = (def: Parameters<typeof series>[0]) => `avg(${series(def, SELECTED, TRAINING)})`;

/** Reward trends: is the model learning, per reward function? */
export function rewardTrendsDashboard(): DashboardBuilder {
  return runDashboard({
    uid: 'grpo-reward-trends',
    title: 'GRPO / Reward trends',
    description:
      'Rewards per reward function and in total (the weighted sum, `total`): means and moving averages, ' +
      'spread, distributions, group statistics, correlations between functions, and advantages.',
    tags: ['rewards'],
    variables: [rewardFunctionVariable()],
    rows: [
      {
        title: 'Rewards per function',
        panels: [
          timeSeries({
            title: 'Mean reward and moving average',
            description: describe(METRICS.rewardMean, METRICS.rewardMovingAverage),
            width: 24,
            height: 9,
            queries: [
              { expr: perFunction(METRICS.rewardMean), legend: legend('{{0}}', FN) },
              {
                expr: perFunction(METRICS.rewardMovingAverage),
                legend: legend('{{0}} (moving average)', FN),
              },
            ],
            legendCalcs: ['lastNotNull', 'min', 'max'],
            overrides: [
              { regex: '.*\\(moving average\\)$', properties: [{ id: 'custom.lineWidth', value: 3 }] },
              {
                regex: '^[^(]*$',
                properties: [
                  { id: 'custom.lineStyle', value: { fill: 'dot', dash: [2, 4] } },
                  { id: 'custom.lineWidth', value: 1 },
                ],
              },
            ],
          }),
          timeSeries({
            title: 'Groups with zero reward spread',
            description: describe(METRICS.rewardZeroStdRatio),
            unit: 'percentunit',
            min: 0,
            max: 1,
            queries: [{ expr: perFunction(METRICS.rewardZeroStdRatio), legend: legend('{{0}}', FN) }],
          }),
          timeSeries({
            title: 'Mean within-group reward std',
            description: describe(METRICS.rewardMeanGroupStd),
            min: 0,
            queries: [{ expr: perFunction(METRICS.rewardMeanGroupStd), legend: legend('{{0}}', FN) }],
          }),
          timeSeries({
            title: 'Correlation between reward functions',
            description: describe(METRICS.rewardCorrelation),
            width: 24,
            min: -1,
            max: 1,
            queries: [
              {
                expr: `avg${by(FN, ATTR_GRPO_REWARD_OTHER_FUNCTION, ATTR_GRPO_CORRELATION_METHOD)} (${series(METRICS.rewardCorrelation, TRAINING)})`,
                legend: legend(
                  '{{0}} ~ {{1}} ({{2}})',
                  FN,
                  ATTR_GRPO_REWARD_OTHER_FUNCTION,
                  ATTR_GRPO_CORRELATION_METHOD,
                ),
              },
            ],
          }),
        ],
      },
      {
        title: `Reward function: $${VAR.rewardFunction}`,
        repeat: VAR.rewardFunction,
        panels: [
          timeSeries({
            title: `Spread of $${VAR.rewardFunction}`,
            description:
              'Mean and median of the step, mean ± batch standard deviation (inner band) and min..max (outer band).\n\n' +
              describe(
                METRICS.rewardMean,
                METRICS.rewardStd,
                METRICS.rewardMin,
                METRICS.rewardMax,
                METRICS.rewardMedian,
              ),
            width: 8,
            queries: [
              { expr: one(METRICS.rewardMean), legend: 'mean' },
              { expr: one(METRICS.rewardMedian), legend: 'median' },
              { expr: `${one(METRICS.rewardMean)} + ${one(METRICS.rewardStd)}`, legend: 'mean + std' },
              { expr: `${one(METRICS.rewardMean)} - ${one(METRICS.rewardStd)}`, legend: 'mean - std' },
              { expr: one(METRICS.rewardMax), legend: 'max' },
              { expr: one(METRICS.rewardMin), legend: 'min' },
            ],
            bands: [
              ['max', 'min'],
              ['mean + std', 'mean - std'],
            ],
            overrides: [{ name: 'mean', properties: [{ id: 'custom.lineWidth', value: 2 }] }],
          }),
          heatmap({
            title: `Distribution of $${VAR.rewardFunction}`,
            description: describe(METRICS.rewardValue),
            width: 8,
            queries: [
              {
                expr: `sum by (le) (increase(${bucketSeries(METRICS.rewardValue, SELECTED, TRAINING)}[${RATE_INTERVAL}]))`,
                legend: '{{le}}',
              },
            ],
          }),
          heatmap({
            title: `Within-group std of $${VAR.rewardFunction}`,
            description: describe(METRICS.rewardGroupStd),
            width: 8,
            queries: [
              {
                expr: `sum by (le) (increase(${bucketSeries(METRICS.rewardGroupStd, SELECTED, TRAINING)}[${RATE_INTERVAL}]))`,
                legend: '{{le}}',
              },
            ],
          }),
        ],
      },
      {
        title: 'Advantages',
        panels: [
          timeSeries({
            title: 'Advantage mean, std and range',
            description: describe(
              METRICS.advantageMean,
              METRICS.advantageStd,
              METRICS.advantageMin,
              METRICS.advantageMax,
            ),
            queries: [
              { expr: `avg(${series(METRICS.advantageMean)})`, legend: 'mean' },
              { expr: `avg(${series(METRICS.advantageStd)})`, legend: 'std' },
              { expr: `avg(${series(METRICS.advantageMax)})`, legend: 'max' },
              { expr: `avg(${series(METRICS.advantageMin)})`, legend: 'min' },
            ],
            bands: [['max', 'min']],
          }),
          heatmap({
            title: 'Advantage distribution',
            description: describe(METRICS.advantageValue),
            queries: [
              {
                expr: `sum by (le) (increase(${bucketSeries(METRICS.advantageValue)}[${RATE_INTERVAL}]))`,
                legend: '{{le}}',
              },
            ],
          }),
        ],
      },
    ],
  });
}
