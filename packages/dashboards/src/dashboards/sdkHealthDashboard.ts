import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  ATTR_ERROR_TYPE,
  ATTR_GRPO_RANK,
  ATTR_GRPO_SDK_DROP_REASON,
  ATTR_GRPO_SDK_EXPORTER,
  ATTR_GRPO_SDK_SANITIZE_REASON,
  ATTR_GRPO_SDK_SIGNAL,
  METRICS,
} from '@grpo-otel/semconv';
import { describe, stat, steps, table, timeSeries } from '../panels.js';
import { by, legend, RATE_INTERVAL, series } from '../promql.js';
import { runDashboard } from '../runDashboard.js';

const SIGNAL = ATTR_GRPO_SDK_SIGNAL;
const REASON = ATTR_GRPO_SDK_DROP_REASON;
const EXPORTER = ATTR_GRPO_SDK_EXPORTER;
const rate = (selector: string) => `rate(${selector}[${RATE_INTERVAL}])`;

/** The telemetry SDK's own health: nothing is lost silently. */
export function sdkHealthDashboard(): DashboardBuilder {
  return runDashboard({
    uid: 'grpo-sdk-health',
    title: 'GRPO / Telemetry SDK health',
    description:
      'What the telemetry SDK dropped instead of exporting (by reason, signal and sink), failed exports, ' +
      'and values it had to alter to export them safely.',
    tags: ['sdk'],
    rows: [
      {
        title: 'Drops',
        panels: [
          stat({
            title: 'Records dropped in this run',
            description: describe(METRICS.sdkRecordDropped),
            width: 6,
            noValue: '0',
            sparkline: false,
            thresholds: steps('green', [1, 'orange']),
            queries: [{ expr: `sum(${series(METRICS.sdkRecordDropped)})` }],
          }),
          timeSeries({
            title: 'Records dropped per second by reason',
            description: describe(METRICS.sdkRecordDropped),
            width: 18,
            unit: 'short',
            min: 0,
            noValue: '0',
            queries: [
              {
                expr: `sum${by(SIGNAL, REASON)} (${rate(series(METRICS.sdkRecordDropped))})`,
                legend: legend('{{0}}: {{1}}', SIGNAL, REASON),
              },
            ],
          }),
          table({
            // By rank too: in a distributed run, the rank that drops is what to look at.
            title: 'Drops by rank, signal, reason and where',
            description: describe(METRICS.sdkRecordDropped),
            width: 24,
            height: 7,
            queries: [
              {
                expr: `sum${by(ATTR_GRPO_RANK, SIGNAL, REASON, EXPORTER)} (${series(METRICS.sdkRecordDropped)})`,
              },
            ],
          }),
        ],
      },
      {
        title: 'Exports and sanitizing',
        panels: [
          timeSeries({
            title: 'Export errors per second',
            description: describe(METRICS.sdkExportErrors),
            unit: 'short',
            min: 0,
            noValue: '0',
            queries: [
              {
                expr: `sum${by(SIGNAL, EXPORTER, ATTR_ERROR_TYPE)} (${rate(series(METRICS.sdkExportErrors))})`,
                legend: legend('{{0}} {{1}}: {{2}}', SIGNAL, EXPORTER, ATTR_ERROR_TYPE),
              },
            ],
          }),
          timeSeries({
            title: 'Values sanitized per second',
            description: describe(METRICS.sdkValueSanitized),
            unit: 'short',
            min: 0,
            noValue: '0',
            queries: [
              {
                expr: `sum${by(SIGNAL, ATTR_GRPO_SDK_SANITIZE_REASON)} (${rate(series(METRICS.sdkValueSanitized))})`,
                legend: legend('{{0}}: {{1}}', SIGNAL, ATTR_GRPO_SDK_SANITIZE_REASON),
              },
            ],
          }),
        ],
      },
    ],
  });
}
