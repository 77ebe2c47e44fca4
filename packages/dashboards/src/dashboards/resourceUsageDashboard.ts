import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_GRPO_MEMORY_POOL,
  ATTR_GRPO_PHASE,
  ATTR_GRPO_RANK,
  ATTR_V8JS_HEAP_SPACE_NAME,
  METRICS,
} from '@grpo-otel/semconv';
import { describe, timeSeries } from '../panels.js';
import { bucketSeries, by, countSeries, eq, legend, RATE_INTERVAL, series, sumSeries } from '../promql.js';
import { runDashboard } from '../runDashboard.js';

const RANK = ATTR_GRPO_RANK;
const rate = (selector: string) => `rate(${selector}[${RATE_INTERVAL}])`;

/** Resource usage: memory, throughput, timing and what the compute buys. */
export function resourceUsageDashboard(): DashboardBuilder {
  return runDashboard({
    uid: 'grpo-resource-usage',
    title: 'GRPO / Resource usage',
    description:
      'Memory of the training process (resident set, V8 heap, TensorFlow.js tensors), throughput in ' +
      'samples and tokens per second, step and phase durations, and computation-to-performance ratios.',
    tags: ['resources'],
    rows: [
      {
        title: 'Memory',
        panels: [
          timeSeries({
            title: 'Process memory (resident set)',
            description: describe(METRICS.processMemoryUsage, METRICS.memoryPeakUsage),
            unit: 'bytes',
            min: 0,
            queries: [
              {
                expr: `max${by(RANK)} (${series(METRICS.processMemoryUsage)})`,
                legend: legend('rank {{0}}', RANK),
              },
              {
                expr: `max${by(RANK)} (${series(METRICS.memoryPeakUsage, eq(ATTR_GRPO_MEMORY_POOL, 'rss'))})`,
                legend: legend('rank {{0}} peak', RANK),
              },
            ],
            overrides: [
              {
                regex: '.* peak$',
                properties: [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }],
              },
            ],
          }),
          timeSeries({
            title: 'V8 heap used by space',
            description: describe(METRICS.v8jsMemoryHeapUsed),
            unit: 'bytes',
            min: 0,
            stack: true,
            queries: [
              {
                expr: `sum${by(ATTR_V8JS_HEAP_SPACE_NAME)} (${series(METRICS.v8jsMemoryHeapUsed)})`,
                legend: legend('{{0}}', ATTR_V8JS_HEAP_SPACE_NAME),
              },
            ],
          }),
          timeSeries({
            title: 'TensorFlow.js tensor memory',
            description: describe(METRICS.tfjsMemoryUsage),
            unit: 'bytes',
            min: 0,
            queries: [
              {
                expr: `max${by(RANK)} (${series(METRICS.tfjsMemoryUsage)})`,
                legend: legend('rank {{0}}', RANK),
              },
              {
                expr: `max${by(RANK)} (${series(METRICS.memoryPeakUsage, eq(ATTR_GRPO_MEMORY_POOL, 'tensor'))})`,
                legend: legend('rank {{0}} peak', RANK),
              },
            ],
            overrides: [
              {
                regex: '.* peak$',
                properties: [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }],
              },
            ],
          }),
          timeSeries({
            title: 'Live TensorFlow.js tensors',
            description: describe(METRICS.tfjsTensorCount),
            unit: 'short',
            min: 0,
            queries: [
              {
                expr: `max${by(RANK)} (${series(METRICS.tfjsTensorCount)})`,
                legend: legend('rank {{0}}', RANK),
              },
            ],
          }),
        ],
      },
      {
        title: 'Throughput',
        panels: [
          timeSeries({
            title: 'Samples per second',
            description: describe(METRICS.throughputSamples, METRICS.trainingSamples),
            unit: 'suffix: samples/s',
            min: 0,
            queries: [
              { expr: `sum(${series(METRICS.throughputSamples)})`, legend: 'last step' },
              { expr: `sum(${rate(series(METRICS.trainingSamples))})`, legend: 'average' },
            ],
          }),
          timeSeries({
            title: 'Tokens per second',
            description: describe(METRICS.throughputTokens, METRICS.trainingTokens),
            unit: 'suffix: tok/s',
            min: 0,
            queries: [
              {
                expr: `sum${by(ATTR_GEN_AI_TOKEN_TYPE)} (${series(METRICS.throughputTokens)})`,
                legend: legend('{{0}}, last step', ATTR_GEN_AI_TOKEN_TYPE),
              },
              {
                expr: `sum${by(ATTR_GEN_AI_TOKEN_TYPE)} (${rate(series(METRICS.trainingTokens))})`,
                legend: legend('{{0}}, average', ATTR_GEN_AI_TOKEN_TYPE),
              },
            ],
          }),
        ],
      },
      {
        title: 'Timing',
        panels: [
          timeSeries({
            title: 'Step duration',
            description: describe(METRICS.stepDuration),
            unit: 's',
            min: 0,
            queries: [
              {
                expr: `sum(${rate(sumSeries(METRICS.stepDuration))}) / sum(${rate(countSeries(METRICS.stepDuration))})`,
                legend: 'mean',
              },
              {
                expr: `histogram_quantile(0.5, sum by (le) (${rate(bucketSeries(METRICS.stepDuration))}))`,
                legend: 'p50',
              },
              {
                expr: `histogram_quantile(0.95, sum by (le) (${rate(bucketSeries(METRICS.stepDuration))}))`,
                legend: 'p95',
              },
            ],
          }),
          timeSeries({
            title: 'Time per step by phase',
            description: `Mean seconds per step spent in each phase.\n\n${describe(METRICS.phaseDuration)}`,
            unit: 's',
            min: 0,
            stack: true,
            queries: [
              {
                expr: `sum${by(ATTR_GRPO_PHASE)} (${rate(sumSeries(METRICS.phaseDuration))}) / scalar(sum(${rate(countSeries(METRICS.stepDuration))}))`,
                legend: legend('{{0}}', ATTR_GRPO_PHASE),
              },
            ],
          }),
          timeSeries({
            title: 'Steps per minute',
            description: describe(METRICS.trainingSteps),
            width: 24,
            unit: 'short',
            min: 0,
            queries: [{ expr: `sum(${rate(series(METRICS.trainingSteps))}) * 60`, legend: 'steps/min' }],
          }),
        ],
      },
      {
        title: 'Efficiency',
        panels: [
          timeSeries({
            title: 'Reward gained per hour',
            description: describe(METRICS.efficiencyRewardGain),
            width: 8,
            queries: [{ expr: `avg(${series(METRICS.efficiencyRewardGain)})`, legend: 'reward / h' }],
          }),
          timeSeries({
            title: 'Reward gained per CPU-second',
            description: describe(METRICS.efficiencyCpuRewardGain),
            width: 8,
            queries: [{ expr: `avg(${series(METRICS.efficiencyCpuRewardGain)})`, legend: 'reward / CPU-s' }],
          }),
          timeSeries({
            title: 'Tokens per unit of reward gained',
            description: describe(METRICS.efficiencyTokenCost),
            width: 8,
            min: 0,
            queries: [{ expr: `avg(${series(METRICS.efficiencyTokenCost)})`, legend: 'tokens / reward' }],
          }),
        ],
      },
    ],
  });
}
