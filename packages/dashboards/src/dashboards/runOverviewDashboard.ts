import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  ATTR_GRPO_FORMAT_MODE,
  ATTR_GRPO_KL_ESTIMATOR,
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_SIGNAL_KIND,
  ATTR_GRPO_VALIDATION_DATASET,
  METRICS,
} from '@grpo-otel/semconv';
import { describe, stat, stateTimeline, steps, table, timeSeries, valueText } from '../panels.js';
import { alertsSeries, by, eq, legend, RATE_INTERVAL, series, TRAINING } from '../promql.js';
import { runDashboard } from '../runDashboard.js';

const FN = ATTR_GRPO_REWARD_FUNCTION;
const DATASET = ATTR_GRPO_VALIDATION_DATASET;
const K3 = eq(ATTR_GRPO_KL_ESTIMATOR, 'k3');
const STRICT = eq(ATTR_GRPO_FORMAT_MODE, 'strict');

/** The run at a glance: progress, headline numbers, detector and alert states, and trends. */
export function runOverviewDashboard(): DashboardBuilder {
  return runDashboard({
    uid: 'grpo-run-overview',
    title: 'GRPO / Run overview',
    description:
      'One training run at a glance: progress, the headline learning, collapse and cost numbers, the ' +
      "SDK's plateau and collapse detectors, and the Prometheus alerts about the run.",
    tags: ['overview'],
    rows: [
      {
        title: 'Run',
        panels: [
          stat({
            title: 'Step',
            description: describe(METRICS.trainingCurrentStep),
            width: 4,
            height: 4,
            queries: [{ expr: `max(${series(METRICS.trainingCurrentStep)})` }],
          }),
          stat({
            title: 'Epoch',
            description: describe(METRICS.trainingEpoch),
            width: 4,
            height: 4,
            decimals: 2,
            queries: [{ expr: `max(${series(METRICS.trainingEpoch)})` }],
          }),
          stat({
            title: 'Steps per minute',
            description: `Zero while training has stalled.\n\n${describe(METRICS.trainingSteps)}`,
            width: 4,
            height: 4,
            decimals: 1,
            thresholds: steps('red', [0.001, 'green']),
            queries: [{ expr: `sum(rate(${series(METRICS.trainingSteps)}[${RATE_INTERVAL}])) * 60` }],
          }),
          stat({
            title: 'Task accuracy (training)',
            description: describe(METRICS.taskAccuracy),
            width: 4,
            height: 4,
            unit: 'percentunit',
            queries: [{ expr: `avg(${series(METRICS.taskAccuracy)})` }],
          }),
          stat({
            title: 'Validation accuracy',
            description: describe(METRICS.validationAccuracy),
            width: 4,
            height: 4,
            unit: 'percentunit',
            queries: [
              {
                expr: `avg${by(DATASET)} (${series(METRICS.validationAccuracy)})`,
                legend: legend('{{0}}', DATASET),
              },
            ],
          }),
          stat({
            title: 'Telemetry records dropped',
            description: describe(METRICS.sdkRecordDropped),
            width: 4,
            height: 4,
            noValue: '0',
            thresholds: steps('green', [1, 'orange']),
            queries: [{ expr: `sum(${series(METRICS.sdkRecordDropped)})` }],
          }),
          stat({
            title: 'Reward (moving average)',
            description: describe(METRICS.rewardMovingAverage),
            width: 8,
            height: 4,
            queries: [
              {
                expr: `avg${by(FN)} (${series(METRICS.rewardMovingAverage, TRAINING)})`,
                legend: legend('{{0}}', FN),
              },
            ],
          }),
          stat({
            title: 'Token entropy',
            description: describe(METRICS.policyEntropy),
            width: 4,
            height: 4,
            decimals: 3,
            unit: 'suffix: nats',
            queries: [{ expr: `avg(${series(METRICS.policyEntropy)})` }],
          }),
          stat({
            title: 'KL to reference (k3)',
            description: describe(METRICS.policyKl),
            width: 4,
            height: 4,
            decimals: 4,
            unit: 'suffix: nats',
            queries: [{ expr: `avg(${series(METRICS.policyKl, K3)})` }],
          }),
          stat({
            title: 'Format adherence (strict)',
            description: describe(METRICS.completionFormatAdherence),
            width: 4,
            height: 4,
            unit: 'percentunit',
            queries: [{ expr: `avg(${series(METRICS.completionFormatAdherence, STRICT, TRAINING)})` }],
          }),
          stat({
            title: 'Samples per second',
            description: describe(METRICS.throughputSamples),
            width: 4,
            height: 4,
            decimals: 1,
            queries: [{ expr: `sum(${series(METRICS.throughputSamples)})` }],
          }),
        ],
      },
      {
        title: 'Detectors and alerts',
        panels: [
          stateTimeline({
            title: 'Plateau and collapse detectors',
            description: describe(METRICS.signalActive),
            queries: [
              {
                expr: `max${by(ATTR_GRPO_SIGNAL_KIND, FN)} (${series(METRICS.signalActive)})`,
                legend: legend('{{0}} {{1}}', ATTR_GRPO_SIGNAL_KIND, FN),
              },
            ],
            mappings: valueText({ 0: ['ok', 'green'], 1: ['active', 'red'] }),
          }),
          stateTimeline({
            title: 'Alerts',
            description:
              "Prometheus alerts about this run (or about no particular run): pending or firing. From Prometheus's `ALERTS` series.",
            queries: [
              {
                expr: `max by (alertname) ((${alertsSeries('alertstate="firing"')} * 2) or ${alertsSeries('alertstate="pending"')})`,
                legend: '{{alertname}}',
              },
            ],
            thresholds: steps('green', [1, 'orange'], [2, 'red']),
            mappings: valueText({ 1: ['pending', 'orange'], 2: ['firing', 'red'] }),
          }),
          table({
            title: 'Alerts now',
            description: 'Pending and firing alerts with all their labels.',
            width: 24,
            height: 6,
            queries: [{ expr: alertsSeries() }],
          }),
        ],
      },
      {
        title: 'Trends',
        panels: [
          timeSeries({
            title: 'Reward (moving average)',
            description: describe(METRICS.rewardMovingAverage),
            queries: [
              {
                expr: `avg${by(FN)} (${series(METRICS.rewardMovingAverage, TRAINING)})`,
                legend: legend('{{0}}', FN),
              },
            ],
          }),
          timeSeries({
            title: 'Accuracy',
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
          }),
          timeSeries({
            title: 'Entropy and KL (k3)',
            description: describe(METRICS.policyEntropy, METRICS.policyKl),
            unit: 'suffix: nats',
            queries: [
              { expr: `avg(${series(METRICS.policyEntropy)})`, legend: 'entropy' },
              { expr: `avg(${series(METRICS.policyKl, K3)})`, legend: 'KL (k3)' },
            ],
          }),
          timeSeries({
            title: 'Memory (resident set)',
            description: describe(METRICS.processMemoryUsage),
            unit: 'bytes',
            min: 0,
            queries: [{ expr: `sum(${series(METRICS.processMemoryUsage)})`, legend: 'all selected ranks' }],
          }),
        ],
      },
    ],
  });
}
