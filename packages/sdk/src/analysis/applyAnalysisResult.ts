import type { RunningStats } from '@grpo-otel/metrics';
import {
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_SIGNAL_KIND,
  ATTR_GRPO_STEP,
  METRICS,
} from '@grpo-otel/semconv';
import { LEVEL_NUMBERS } from '../config/levels.js';
import type { DropCounter } from '../internal/DropCounter.js';
import type { ChannelLogger } from '../logging/ChannelLogger.js';
import type { Instruments } from '../step-metrics/Instruments.js';
import type { AnalysisResult, HistogramValue, SignalEvent, SignalNotice } from './AnalysisResult.js';

export type { SignalNotice } from './AnalysisResult.js';

/** What the results of the analyses are recorded into (the SDK instance provides it). */
export interface AnalysisTarget {
  readonly instruments: Instruments;
  readonly drops: DropCounter;
  readonly analysisWorkerMs: { rewards: RunningStats; generations: RunningStats };
  atStep<T>(step: number, fn: () => T): T;
  addHistogram(h: HistogramValue, step: number): void;
  noteTrainingAccuracy(value: number): void;
  logger(name: string): ChannelLogger;
  notifySignal(e: SignalNotice): void;
}

/** The attributes of each signal (kind and subject), shared and frozen; bounded. */
const signalAttrs = new Map<string, Readonly<Record<string, string>>>();
const MAX_SIGNAL_ATTRS = 1024;

function signalAttributes(key: string, s: SignalEvent): Readonly<Record<string, string>> {
  let attrs = signalAttrs.get(key);
  if (attrs === undefined) {
    const a: Record<string, string> = { [ATTR_GRPO_SIGNAL_KIND]: s.kind };
    if (s.kind === 'reward_plateau') a[ATTR_GRPO_REWARD_FUNCTION] = s.subject;
    attrs = Object.freeze(a);
    if (signalAttrs.size >= MAX_SIGNAL_ATTRS) signalAttrs.clear();
    signalAttrs.set(key, attrs);
  }
  return attrs;
}

/**
 * Records what the analysis worker computed for a step: gauges on their semconv instruments,
 * histograms through the precomputed-histogram producers, signal state, one summary record on the
 * `metrics` channel, and a record plus callbacks for each plateau/collapse that fired. The metrics go
 * to the step-keyed exporters (TensorBoard) at the result's step, however late it arrives.
 */
export function applyAnalysisResult(t: AnalysisTarget, r: AnalysisResult): void {
  t.atStep(r.step, () => recordResult(t, r));
}

function recordResult(t: AnalysisTarget, r: AnalysisResult): void {
  const instruments = t.instruments;
  // Each series' attributes become one shared frozen object, keyed once (by the worker).
  const unknown = r.gaugeTable
    ? r.gaugeTable.forEach(
        r.gauges,
        (key, attributes) => instruments.intern(key, attributes),
        (def, value, attributes) => instruments.record(def, value, attributes),
      )
    : r.gauges.series.length;
  // A result read without its worker's table (a bug): its gauges cannot be told apart, counted.
  if (unknown > 0) t.drops.record('metrics', 'invalid_value', 'analysis', unknown);
  if (r.invalidValues)
    t.drops.record(
      'metrics',
      'invalid_value',
      r.kind === 'generations' ? 'logGenerationMetrics' : 'logRewardMetrics',
      r.invalidValues,
    );
  for (const h of r.histograms) t.addHistogram(h, r.step);
  t.analysisWorkerMs[r.kind].push(r.workerMs);
  if (r.trainingAccuracy !== undefined) t.noteTrainingAccuracy(r.trainingAccuracy);
  // This instance's own logger: a result answered while shutdown() drains the worker is still logged.
  const log = t.logger('metrics');
  // A channel below INFO drops the summary anyway: then it is not built. A job that only carried the
  // reward means of earlier steps (for the windows) has no summary.
  if (r.summary !== '' && log.isEnabledFor(LEVEL_NUMBERS.INFO)) {
    log.info(r.summary, {
      [ATTR_GRPO_STEP]: r.step,
      ...r.summaryAttributes,
      'grpo.analysis.worker_ms': r.workerMs,
    });
  }
  for (const s of r.signals) {
    const key = `${s.kind}/${s.subject}`;
    const attrs = signalAttributes(key, s);
    t.instruments.record(METRICS.signalActive, s.active ? 1 : 0, attrs);
    if (s.fired) {
      const step = s.step ?? r.step;
      t.instruments.record(METRICS.signalActivations, 1, attrs);
      // The run's objective (and every collapse) is a WARNING; a single reward function's plateau,
      // which often comes with it, an INFO record.
      const level = s.kind === 'reward_plateau' && !s.objective ? 'info' : 'warning';
      log[level](`${s.kind.replace('_', ' ')} at step ${step}: ${s.detail}`, {
        [ATTR_GRPO_STEP]: step,
        ...attrs,
        'grpo.signal.value': s.value,
      });
      t.notifySignal({ ...s, step });
    }
  }
}
