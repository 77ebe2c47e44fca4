import { ATTR_GRPO_STEP } from '@grpo-otel/semconv';
import type { Attributes } from '@opentelemetry/api';
import type { MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** The step a metric point names: its `grpo.step` attribute, when a non-negative safe integer. */
export function pointStep(attributes: Attributes): number | undefined {
  const s = attributes[ATTR_GRPO_STEP];
  const n = typeof s === 'string' && s.trim() !== '' ? Number(s) : s;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/**
 * Splits a collection by training step: each point goes to the step its `grpo.step` attribute names
 * (the attribute is removed, so it does not become part of the TensorBoard tag), else to `fallback`.
 * Steps come out in increasing order.
 */
export function splitMetricsByStep(rm: ResourceMetrics, fallback: number): Map<number, ResourceMetrics> {
  const byStep = new Map<number, ResourceMetrics>();
  for (const sm of rm.scopeMetrics) {
    for (const metric of sm.metrics) {
      const perStep = new Map<number, unknown[]>();
      for (const p of metric.dataPoints as { attributes: Attributes }[]) {
        const step = pointStep(p.attributes) ?? fallback;
        let point = p;
        if (ATTR_GRPO_STEP in p.attributes) {
          const { [ATTR_GRPO_STEP]: _s, ...attributes } = p.attributes;
          point = { ...p, attributes };
        }
        let list = perStep.get(step);
        if (!list) {
          list = [];
          perStep.set(step, list);
        }
        list.push(point);
      }
      for (const [step, dataPoints] of perStep) {
        let out = byStep.get(step);
        if (!out) {
          out = { resource: rm.resource, scopeMetrics: [] };
          byStep.set(step, out);
        }
        let scope = out.scopeMetrics.find((s) => s.scope === sm.scope);
        if (!scope) {
          scope = { scope: sm.scope, metrics: [] };
          out.scopeMetrics.push(scope);
        }
        scope.metrics.push({ ...metric, dataPoints } as MetricData);
      }
    }
  }
  return new Map([...byStep].sort((a, b) => a[0] - b[0]));
}
