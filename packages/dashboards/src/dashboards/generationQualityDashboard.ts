import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  ATTR_GRPO_FORMAT_MODE,
  ATTR_GRPO_KL_ESTIMATOR,
  ATTR_GRPO_NGRAM_N,
  METRICS,
} from '@grpo-otel/semconv';
import { describe, heatmap, timeSeries } from '../panels.js';
import { bucketSeries, by, legend, RATE_INTERVAL, series, TRAINING } from '../promql.js';
import { runDashboard } from '../runDashboard.js';

type Def = Parameters<typeof series>[0];
/** One value over the selected ranks, training data only. */
const avgTraining = (def: Def) => `avg(${series(def, TRAINING)})`;

/** Generation quality: is the policy collapsing (entropy, KL, diversity, format, length)? */
export function generationQualityDashboard(): DashboardBuilder {
  return runDashboard({
    uid: 'grpo-generation-quality',
    title: 'GRPO / Generation quality',
    description:
      'Signs of collapse and drift: token entropy, KL from the reference policy, completion lengths and ' +
      'truncation, format adherence, reasoning, diversity and repetition; and the optimiser state.',
    tags: ['generation'],
    rows: [
      {
        title: 'Policy',
        panels: [
          timeSeries({
            title: 'Token entropy',
            description: describe(METRICS.policyEntropy),
            unit: 'suffix: nats',
            min: 0,
            queries: [{ expr: `avg(${series(METRICS.policyEntropy)})`, legend: 'entropy' }],
          }),
          timeSeries({
            title: 'KL divergence from the reference policy',
            description: describe(METRICS.policyKl),
            unit: 'suffix: nats',
            queries: [
              {
                expr: `avg${by(ATTR_GRPO_KL_ESTIMATOR)} (${series(METRICS.policyKl)})`,
                legend: legend('{{0}}', ATTR_GRPO_KL_ESTIMATOR),
              },
            ],
          }),
        ],
      },
      {
        title: 'Completions',
        panels: [
          timeSeries({
            title: 'Completion length (tokens)',
            description: describe(
              METRICS.completionMeanLength,
              METRICS.completionMinLength,
              METRICS.completionMaxLength,
            ),
            unit: 'short',
            min: 0,
            queries: [
              { expr: avgTraining(METRICS.completionMeanLength), legend: 'mean' },
              { expr: avgTraining(METRICS.completionMaxLength), legend: 'max' },
              { expr: avgTraining(METRICS.completionMinLength), legend: 'min' },
            ],
            bands: [['max', 'min']],
            overrides: [{ name: 'mean', properties: [{ id: 'custom.lineWidth', value: 2 }] }],
          }),
          heatmap({
            title: 'Completion length distribution (tokens)',
            description: describe(METRICS.completionLength),
            queries: [
              {
                expr: `sum by (le) (increase(${bucketSeries(METRICS.completionLength, TRAINING)}[${RATE_INTERVAL}]))`,
                legend: '{{le}}',
              },
            ],
          }),
          timeSeries({
            title: 'Truncated completions',
            description: describe(METRICS.completionClippedRatio),
            width: 8,
            unit: 'percentunit',
            min: 0,
            max: 1,
            queries: [{ expr: avgTraining(METRICS.completionClippedRatio), legend: 'clipped ratio' }],
          }),
          timeSeries({
            title: 'Format adherence',
            description: describe(METRICS.completionFormatAdherence),
            width: 8,
            unit: 'percentunit',
            min: 0,
            max: 1,
            queries: [
              {
                expr: `avg${by(ATTR_GRPO_FORMAT_MODE)} (${series(METRICS.completionFormatAdherence, TRAINING)})`,
                legend: legend('{{0}}', ATTR_GRPO_FORMAT_MODE),
              },
            ],
          }),
          timeSeries({
            title: 'Reasoning-to-answer ratio',
            description: describe(METRICS.completionReasoningAnswerRatio),
            width: 8,
            unit: 'short',
            min: 0,
            queries: [
              {
                expr: avgTraining(METRICS.completionReasoningAnswerRatio),
                legend: 'reasoning / answer tokens',
              },
            ],
          }),
        ],
      },
      {
        title: 'Diversity',
        panels: [
          timeSeries({
            title: 'Distinct n-grams',
            description: describe(METRICS.completionDistinctNgramRatio),
            width: 8,
            unit: 'percentunit',
            min: 0,
            max: 1,
            queries: [
              {
                expr: `avg${by(ATTR_GRPO_NGRAM_N)} (${series(METRICS.completionDistinctNgramRatio, TRAINING)})`,
                legend: legend('distinct-{{0}}', ATTR_GRPO_NGRAM_N),
              },
            ],
          }),
          timeSeries({
            title: 'Repetition within completions',
            description: describe(METRICS.completionRepetitionRatio),
            width: 8,
            unit: 'percentunit',
            min: 0,
            max: 1,
            queries: [
              {
                expr: `avg${by(ATTR_GRPO_NGRAM_N)} (${series(METRICS.completionRepetitionRatio, TRAINING)})`,
                legend: legend('{{0}}-grams', ATTR_GRPO_NGRAM_N),
              },
            ],
          }),
          timeSeries({
            title: 'Duplicate completions within groups',
            description: describe(METRICS.completionDuplicateRatio),
            width: 8,
            unit: 'percentunit',
            min: 0,
            max: 1,
            queries: [{ expr: avgTraining(METRICS.completionDuplicateRatio), legend: 'duplicates' }],
          }),
        ],
      },
      {
        title: 'Optimisation',
        panels: [
          timeSeries({
            title: 'Policy loss',
            description: describe(METRICS.policyLoss),
            width: 6,
            queries: [{ expr: `avg(${series(METRICS.policyLoss)})`, legend: 'loss' }],
          }),
          timeSeries({
            title: 'Gradient norm',
            description: describe(METRICS.policyGradNorm),
            width: 6,
            min: 0,
            queries: [{ expr: `avg(${series(METRICS.policyGradNorm)})`, legend: 'grad norm' }],
          }),
          timeSeries({
            title: 'Learning rate',
            description: describe(METRICS.policyLearningRate),
            width: 6,
            unit: 'sci',
            queries: [{ expr: `avg(${series(METRICS.policyLearningRate)})`, legend: 'learning rate' }],
          }),
          timeSeries({
            title: 'Clipped tokens (probability ratio)',
            description: describe(
              METRICS.policyClipRegionRatio,
              METRICS.policyClipLowRatio,
              METRICS.policyClipHighRatio,
            ),
            width: 6,
            unit: 'percentunit',
            min: 0,
            queries: [
              { expr: `avg(${series(METRICS.policyClipRegionRatio)})`, legend: 'either bound' },
              { expr: `avg(${series(METRICS.policyClipLowRatio)})`, legend: 'low' },
              { expr: `avg(${series(METRICS.policyClipHighRatio)})`, legend: 'high' },
            ],
          }),
        ],
      },
    ],
  });
}
