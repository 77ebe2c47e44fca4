import {
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_SIGNAL_KIND,
  ATTR_GRPO_STEP,
  METRICS,
  metricDefinition,
} from '@grpo-otel/semconv';
import { channelLogger } from '../runtime/channelRegistry.js';
import type { GrpoTelemetry } from '../runtime/GrpoTelemetry.js';
import type { AnalysisResult, SignalEvent } from './AnalysisResult.js';

/** What a plateau/collapse callback receives. */
export interface SignalNotice extends SignalEvent {
  step: number;
}

/**
 * Records what the analysis worker computed for a step: gauges on their semconv instruments,
 * histograms through the precomputed-histogram producers, signal state, one summary record on the
 * `metrics` channel, and a record plus callbacks for each plateau/collapse that fired. The metrics go
 * to the step-keyed exporters (TensorBoard) at the result's step, however late it arrives.
 */
export function applyAnalysisResult(t: GrpoTelemetry, r: AnalysisResult): void {
  t.atStep(r.step, () => recordResult(t, r));
}

function recordResult(t: GrpoTelemetry, r: AnalysisResult): void {
  for (const g of r.gauges) {
    const def = metricDefinition(g.metric);
    if (def) t.instruments.record(def, g.value, g.attributes);
  }
  for (const h of r.histograms) t.addHistogram(h, r.step);
  t.analysisWorkerMs[r.kind].push(r.workerMs);
  if (r.trainingAccuracy !== undefined) t.noteTrainingAccuracy(r.trainingAccuracy);
  const log = channelLogger('metrics');
  log.info(r.summary, {
    [ATTR_GRPO_STEP]: r.step,
    ...r.summaryAttributes,
    'grpo.analysis.worker_ms': r.workerMs,
  });
  for (const s of r.signals) {
    const key = `${s.kind}/${s.subject}`;
    const attrs: Record<string, string> = { [ATTR_GRPO_SIGNAL_KIND]: s.kind };
    if (s.kind === 'reward_plateau') attrs[ATTR_GRPO_REWARD_FUNCTION] = s.subject;
    t.signalState(key, s.active);
    t.instruments.record(METRICS.signalActive, s.active ? 1 : 0, attrs);
    if (s.fired) {
      t.instruments.record(METRICS.signalActivations, 1, attrs);
      log.warning(`${s.kind.replace('_', ' ')} at step ${r.step}: ${s.detail}`, {
        [ATTR_GRPO_STEP]: r.step,
        ...attrs,
        'grpo.signal.value': s.value,
      });
      t.notifySignal({ ...s, step: r.step });
    }
  }
}
