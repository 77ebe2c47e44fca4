import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { ATTR_ERROR_TYPE, ATTR_GRPO_VALIDATION_DATASET, METRICS } from '@grpo-otel/semconv';
import { describe, steps, timeSeries } from '../panels.js';
import { by, countSeries, legend, series, sumSeries, TRAINING } from '../promql.js';
import { runDashboard } from '../runDashboard.js';

const DATASET = ATTR_GRPO_VALIDATION_DATASET;

/** Task performance on training batches and on held-out validation data. */
export function taskPerformanceDashboard(): DashboardBuilder {
  return runDashboard({
    uid: 'grpo-task-validation',
    title: 'GRPO / Task and validation performance',
    description:
      'Accuracy on training batches and on the held-out validation set, the generalization gap between ' +
      'them, and what the wrong validation answers got wrong.',
    tags: ['validation'],
    rows: [
      {
        title: 'Accuracy',
        panels: [
          timeSeries({
            title: 'Training vs validation accuracy',
            description: describe(METRICS.taskAccuracy, METRICS.validationAccuracy),
            unit: 'percentunit',
            min: 0,
            max: 1,
            queries: [
              { expr: `avg(${series(METRICS.taskAccuracy)})`, legend: 'training batches' },
              {
                expr: `avg${by(DATASET)} (${series(METRICS.validationAccuracy)})`,
                legend: legend('validation: {{0}}', DATASET),
              },
            ],
            overrides: [
              {
                regex: '^validation: .*',
                properties: [
                  { id: 'custom.showPoints', value: 'always' },
                  { id: 'custom.pointSize', value: 6 },
                ],
              },
            ],
          }),
          timeSeries({
            title: 'Generalization gap',
            description: describe(METRICS.validationGeneralizationGap),
            unit: 'percentunit',
            queries: [
              {
                expr: `avg${by(DATASET)} (${series(METRICS.validationGeneralizationGap)})`,
                legend: legend('{{0}}', DATASET),
              },
            ],
            thresholds: steps('transparent', [0.1, 'orange'], [0.2, 'red']),
          }),
          timeSeries({
            title: 'Answer extraction, reasoning completeness, hallucinations (training)',
            description: describe(
              METRICS.taskAnswerExtractedRatio,
              METRICS.taskReasoningCompleteness,
              METRICS.taskHallucinationRatio,
            ),
            width: 24,
            unit: 'percentunit',
            min: 0,
            max: 1,
            queries: [
              {
                expr: `avg(${series(METRICS.taskAnswerExtractedRatio, TRAINING)})`,
                legend: 'answer extracted',
              },
              {
                expr: `avg(${series(METRICS.taskReasoningCompleteness, TRAINING)})`,
                legend: 'reasoning completeness',
              },
              { expr: `avg(${series(METRICS.taskHallucinationRatio, TRAINING)})`, legend: 'hallucinations' },
            ],
          }),
        ],
      },
      {
        title: 'Validation runs',
        panels: [
          timeSeries({
            title: 'Validation errors by type (cumulative)',
            description: describe(METRICS.validationErrors, METRICS.validationTimeouts),
            unit: 'short',
            min: 0,
            stack: true,
            queries: [
              {
                expr: `sum${by(ATTR_ERROR_TYPE)} (${series(METRICS.validationErrors)})`,
                legend: legend('{{0}}', ATTR_ERROR_TYPE),
              },
              {
                // The timeouts counter appears with the first timeout: until then, zero for every
                // point where validation has run (not "no data").
                expr: `sum(${series(METRICS.validationTimeouts)}) or on() (0 * sum(${series(METRICS.validationSamples)}))`,
                legend: 'timeout',
              },
            ],
          }),
          timeSeries({
            title: 'Validation samples evaluated (cumulative)',
            description: describe(METRICS.validationSamples),
            unit: 'short',
            min: 0,
            queries: [
              {
                expr: `sum${by(DATASET)} (${series(METRICS.validationSamples)})`,
                legend: legend('{{0}}', DATASET),
              },
            ],
          }),
          timeSeries({
            title: 'Mean validation run duration',
            description: `Mean over the validation runs so far.\n\n${describe(METRICS.validationDuration)}`,
            width: 24,
            unit: 's',
            min: 0,
            queries: [
              {
                expr: `sum${by(DATASET)} (${sumSeries(METRICS.validationDuration)}) / sum${by(DATASET)} (${countSeries(METRICS.validationDuration)})`,
                legend: legend('{{0}}', DATASET),
              },
            ],
          }),
        ],
      },
    ],
  });
}
