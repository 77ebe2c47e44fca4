import { type Summary, summarize } from '@grpo-otel/metrics';
import { ATTR_GRPO_REWARD_FUNCTION, ATTR_GRPO_SPLIT, ATTR_GRPO_STEP, METRICS } from '@grpo-otel/semconv';
import { LEVEL_NUMBERS } from '../config/levels.js';
import { describeValue, safeString } from '../internal/describeValue.js';
import type { LogAttributes } from '../logging/ChannelLogger.js';
import { forwardCall, forwarding } from '../runtime/callForwarding.js';
import { activeTelemetry } from '../runtime/channelRegistry.js';
import type { GrpoTelemetry } from '../runtime/GrpoTelemetry.js';
import { resolveStep } from './resolveStep.js';

/** Samples attached to a reward record: at most this many, each cut to this many characters. */
const MAX_SAMPLES = 16;
const MAX_SAMPLE_CHARS = 500;

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  // Integers of at most 4 digits are their own 4-digit rounding (rewards are often 0 or 1).
  if (Number.isInteger(v) && v < 1e4 && v > -1e4) return String(v);
  const short = Number(v.toPrecision(4));
  // Rounding 1.7976931348623157e308 to 4 digits overflows: keep the digits then.
  return Number.isFinite(short) ? String(short) : v.toPrecision(4);
}

/** The gauges' attributes of each reward function, shared and frozen (see Instruments); bounded. */
const attributesByName = new Map<string, Readonly<Record<string, string>>>();
const MAX_NAMES = 1024;

function rewardAttributes(name: string): Readonly<Record<string, string>> {
  let attrs = attributesByName.get(name);
  if (attrs === undefined) {
    attrs = Object.freeze({ [ATTR_GRPO_REWARD_FUNCTION]: name, [ATTR_GRPO_SPLIT]: 'train' });
    if (attributesByName.size >= MAX_NAMES) attributesByName.clear();
    attributesByName.set(name, attrs);
  }
  return attrs;
}

function recordSummary(t: GrpoTelemetry, s: Summary, attrs: Readonly<Record<string, string>>): void {
  t.instruments.record(METRICS.rewardMean, s.mean, attrs);
  t.instruments.record(METRICS.rewardStd, s.std, attrs);
  t.instruments.record(METRICS.rewardMin, s.min, attrs);
  t.instruments.record(METRICS.rewardMax, s.max, attrs);
  t.instruments.record(METRICS.rewardMedian, s.median, attrs);
}

/**
 * The seed's `log_reward(reward_name, values, samples=None)`: the batch's mean/std/min/max/median
 * gauges (labelled with the reward function), plus one record on the `rewards` channel with the
 * summary and the first samples. The distribution (histogram), moving averages, correlations and
 * group statistics belong to `logRewardMetrics`, so calling both for a batch counts nothing twice.
 * Non-finite values are left out of the statistics and counted as dropped. `options.step` is the step
 * (default: the current step, see `beginStep`). Nothing is recorded while `metrics.enable.reward_metrics`
 * is off.
 */
export function logReward(
  name: string,
  values: readonly number[],
  samples?: readonly string[],
  options: { step?: number } = {},
): void {
  if (forwarding()) {
    forwardCall('logReward', [name, values, samples, options]);
    return;
  }
  const t = activeTelemetry();
  if (!t?.config.metrics.enable.rewardMetrics) return;
  const step = resolveStep(t, 'logReward', options?.step);
  if (step === undefined) return;
  const log = t.logger('rewards');
  if (typeof name !== 'string' || name.length === 0) {
    t.drops.record(
      'metrics',
      'invalid_value',
      METRICS.rewardValue.name,
      Array.isArray(values) ? Math.max(1, values.length) : 1,
    );
    log.warning(`logReward: the reward name must be a non-empty string, got ${describeValue(name)}`);
    return;
  }
  if (!Array.isArray(values) && !(ArrayBuffer.isView(values) && !(values instanceof DataView))) {
    t.drops.record('metrics', 'invalid_value', METRICS.rewardValue.name);
    log.warning(`logReward: values of '${name}' must be an array of numbers, got ${describeValue(values)}`);
    return;
  }
  const s = summarize(values);
  if (s.skipped > 0) t.drops.record('metrics', 'invalid_value', METRICS.rewardValue.name, s.skipped);
  if (s.count > 0) {
    const attrs = rewardAttributes(name);
    // TensorBoard shows them at the record's step: `options.step` when given, else the current one.
    t.atStep(step, () => recordSummary(t, s, attrs));
  }
  const badSamples = samples !== undefined && samples !== null && !Array.isArray(samples);
  if (badSamples) t.drops.record('logs', 'invalid_value', 'rewards');
  // A channel below INFO drops the record anyway: then it is not built.
  if (!log.isEnabledFor(LEVEL_NUMBERS.INFO)) return;
  const record: LogAttributes = {
    [ATTR_GRPO_REWARD_FUNCTION]: name,
    'grpo.reward.count': s.count,
    'grpo.reward.mean': s.mean,
    'grpo.reward.std': s.std,
    'grpo.reward.min': s.min,
    'grpo.reward.max': s.max,
    'grpo.reward.median': s.median,
  };
  record[ATTR_GRPO_STEP] = step;
  if (!badSamples && samples?.length) {
    const shown: string[] = new Array(Math.min(samples.length, MAX_SAMPLES));
    for (let i = 0; i < shown.length; i++) {
      const str = safeString(samples[i]);
      shown[i] = str.length > MAX_SAMPLE_CHARS ? `${str.slice(0, MAX_SAMPLE_CHARS)}…[truncated]` : str;
    }
    record['grpo.reward.samples'] = shown;
    const head: (number | string)[] = new Array(Math.min(values.length, MAX_SAMPLES));
    for (let i = 0; i < head.length; i++) {
      const v: unknown = values[i];
      head[i] = typeof v === 'number' && Number.isFinite(v) ? v : safeString(v);
    }
    record['grpo.reward.values'] = head;
  }
  const stats =
    s.count > 0
      ? `mean=${fmt(s.mean)} std=${fmt(s.std)} min=${fmt(s.min)} max=${fmt(s.max)} median=${fmt(s.median)} n=${s.count}`
      : 'no finite values';
  log.info(`reward ${name}: ${stats}${s.skipped ? ` (${s.skipped} non-finite dropped)` : ''}`, record);
}
