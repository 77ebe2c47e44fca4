import { metricTag } from '@grpo-otel/exporter-tensorboard';
import { METRICS, REWARD_FUNCTION_TOTAL } from '@grpo-otel/semconv';
import { forwardCall, forwarding } from '../runtime/callForwarding.js';
import { activeTelemetry, channelLogger } from '../runtime/channelRegistry.js';

/** The final metrics the TensorBoard hparams table shows for every run by default. */
const DEFAULT_HPARAM_METRICS = (): string[] => [
  metricTag(METRICS.rewardMovingAverage.name, { 'grpo.reward.function': REWARD_FUNCTION_TOTAL }),
  metricTag(METRICS.validationAccuracy.name, {}),
  metricTag(METRICS.taskAccuracy.name, {}),
  metricTag(METRICS.policyKl.name, { 'grpo.kl.estimator': 'k3' }),
  metricTag(METRICS.policyEntropy.name, {}),
];

/**
 * Records the run's hyperparameters: in TensorBoard's hparams plugin (so runs can be compared side
 * by side with their final metrics; `metrics` are scalar tags, default the total reward's moving
 * average, validation and training accuracy, KL and entropy), and as one record on the `training`
 * channel. Call it once, after `initialize()`.
 */
export function logHparams(
  hparams: Readonly<Record<string, string | number | boolean>>,
  metrics?: readonly string[],
): void {
  if (forwarding()) {
    forwardCall('logHparams', [hparams, metrics]);
    return;
  }
  const t = activeTelemetry();
  if (!t) return;
  const clean: Record<string, string | number | boolean> = {};
  const given = hparams !== null && typeof hparams === 'object' ? hparams : {};
  if (given !== hparams) t.drops.record('logs', 'invalid_value', 'hparams');
  for (const [k, v] of Object.entries(given)) {
    if (k === '__proto__' || k === '') t.drops.record('logs', 'invalid_value', 'hparams');
    else if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))
      clean[k] = v;
    else t.drops.record('logs', 'invalid_value', 'hparams');
  }
  for (const run of t.tensorBoardRuns.values()) {
    run.addHparams({ hparams: clean, metrics: [...(metrics ?? DEFAULT_HPARAM_METRICS())] });
  }
  channelLogger('training').info(
    `hyperparameters: ${Object.entries(clean)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    Object.fromEntries(Object.entries(clean).map(([k, v]) => [`grpo.hparam.${k}`, v])),
  );
}
