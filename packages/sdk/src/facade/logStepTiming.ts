import { ATTR_GEN_AI_TOKEN_TYPE, ATTR_GRPO_PHASE, METRICS } from '@grpo-otel/semconv';
import { forwardCall, forwarding } from '../runtime/callForwarding.js';
import { activeTelemetry } from '../runtime/channelRegistry.js';
import type { GrpoTelemetry } from '../runtime/GrpoTelemetry.js';
import { resolveStep } from './resolveStep.js';

export interface StepTiming {
  /** Wall-clock seconds of the whole step (generation to optimiser update). */
  seconds: number;
  /** Completions (examples) processed in the step. */
  samples?: number;
  /** Completion tokens generated in the step. */
  tokens?: number;
  /** Prompt tokens processed in the step. */
  promptTokens?: number;
  /** Seconds per phase, e.g. { generate: 0.8, reward: 0.05, update: 0.4 } (verl's timing_s/*). */
  phases?: Record<string, number>;
}

const OUTPUT_TOKENS = Object.freeze({ [ATTR_GEN_AI_TOKEN_TYPE]: 'output' });
const INPUT_TOKENS = Object.freeze({ [ATTR_GEN_AI_TOKEN_TYPE]: 'input' });

/** The attributes of each phase, shared and frozen (see Instruments); bounded. */
const phaseAttrs = new Map<string, Readonly<Record<string, string>>>();
const MAX_PHASES = 256;

function phaseAttributes(phase: string): Readonly<Record<string, string>> {
  let attrs = phaseAttrs.get(phase);
  if (attrs === undefined) {
    attrs = Object.freeze({ [ATTR_GRPO_PHASE]: phase });
    if (phaseAttrs.size >= MAX_PHASES) phaseAttrs.clear();
    phaseAttrs.set(phase, attrs);
  }
  return attrs;
}

/**
 * Throughput and timing of one step: step and phase durations (histograms), samples and tokens
 * (counters), and samples/s and tokens/s (gauges); the tokens also feed the computation-to-performance
 * ratios. A handful of instrument records: cheap enough for every step. Non-finite or negative values
 * are counted as dropped. `step` undefined: the current step.
 */
export function logStepTiming(step: number | undefined, timing: StepTiming): void {
  if (forwarding()) {
    forwardCall('logStepTiming', [step, timing]);
    return;
  }
  const t = activeTelemetry();
  if (!t?.config.metrics.enable.resourceMetrics) return;
  const at = resolveStep(t, 'logStepTiming', step);
  if (at === undefined) return;
  if (timing === null || typeof timing !== 'object') {
    t.drops.record('metrics', 'invalid_value', METRICS.stepDuration.name);
    return;
  }
  const { seconds } = timing;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    t.drops.record('metrics', 'invalid_value', METRICS.stepDuration.name);
    return;
  }
  // The step's values go to TensorBoard at `step`, even when logged after the trainer moved on.
  t.atStep(at, () => recordTiming(t, timing));
}

function recordTiming(t: GrpoTelemetry, timing: StepTiming): void {
  const { seconds } = timing;
  t.instruments.record(METRICS.stepDuration, seconds);
  for (const [phase, s] of Object.entries(timing.phases ?? {})) {
    t.instruments.record(METRICS.phaseDuration, s, phaseAttributes(phase));
  }
  if (timing.samples !== undefined) {
    t.instruments.record(METRICS.trainingSamples, timing.samples);
    t.instruments.record(METRICS.throughputSamples, timing.samples / seconds);
  }
  if (timing.tokens !== undefined) {
    t.instruments.record(METRICS.trainingTokens, timing.tokens, OUTPUT_TOKENS);
    t.instruments.record(METRICS.throughputTokens, timing.tokens / seconds, OUTPUT_TOKENS);
    t.training.addTokens(timing.tokens);
  }
  if (timing.promptTokens !== undefined) {
    t.instruments.record(METRICS.trainingTokens, timing.promptTokens, INPUT_TOKENS);
    t.instruments.record(METRICS.throughputTokens, timing.promptTokens / seconds, INPUT_TOKENS);
    t.training.addTokens(timing.promptTokens);
  }
}
