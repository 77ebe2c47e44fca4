// Prometheus recording and alerting rules for GRPO runs, as code. Metric names come from
// @grpo-otel/semconv (prometheusName), label names from prometheusLabelName, so a rename in semconv
// renames them here. One definition, two profiles: `production` (the committed files under
// deploy/prometheus/rules/) and `fast` (the same expressions and thresholds with windows of seconds, for
// the end-to-end alert test). Only the durations differ between the profiles.
import { TRAINING } from '@grpo-otel/dashboards';
import {
  ATTR_GRPO_EXPERIMENT_NAME,
  ATTR_GRPO_FORMAT_MODE,
  ATTR_GRPO_NGRAM_N,
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_RUN_ID,
  ATTR_GRPO_SDK_DROP_REASON,
  ATTR_GRPO_SDK_SIGNAL,
  ATTR_GRPO_SIGNAL_KIND,
  ATTR_GRPO_VALIDATION_DATASET,
  type DropReason,
  METRICS,
  type MetricDefinition,
  prometheusLabelName,
  prometheusName,
  SIGNAL_KIND_VALUES,
  type SignalKind,
} from '@grpo-otel/semconv';

export type Profile = 'production' | 'fast';

/** Every duration the rules use. Expressions and thresholds are shared; only these differ per profile. */
export interface Windows {
  /** Evaluation interval of the rule groups (empty: Prometheus's global evaluation_interval). */
  groupInterval: string;
  /** Smoothing window of the `:smoothed` recording rules (avg_over_time). */
  smooth: string;
  /** The smoothed reward is compared with its value this long ago. */
  plateauLookback: string;
  plateauFor: string;
  /** How long an SDK detector (grpo_signal_active == 1) must hold. */
  signalFor: string;
  collapseFor: string;
  klFor: string;
  formatLookback: string;
  formatFor: string;
  stallWindow: string;
  stallFor: string;
  hackingLookback: string;
  hackingFor: string;
  dropsWindow: string;
  dropsFor: string;
}

export const WINDOWS: Readonly<Record<Profile, Windows>> = {
  production: {
    groupInterval: '',
    smooth: '10m',
    plateauLookback: '1h',
    plateauFor: '15m',
    signalFor: '5m',
    collapseFor: '10m',
    klFor: '5m',
    formatLookback: '1h',
    formatFor: '10m',
    stallWindow: '15m',
    stallFor: '5m',
    hackingLookback: '2h',
    hackingFor: '15m',
    dropsWindow: '10m',
    dropsFor: '1m',
  },
  fast: {
    groupInterval: '1s',
    smooth: '4s',
    plateauLookback: '10s',
    plateauFor: '3s',
    signalFor: '2s',
    collapseFor: '3s',
    klFor: '2s',
    formatLookback: '10s',
    formatFor: '3s',
    stallWindow: '10s',
    stallFor: '2s',
    hackingLookback: '10s',
    hackingFor: '3s',
    dropsWindow: '10s',
    dropsFor: '1s',
  },
};

/** Thresholds, shared by both profiles. Starting points: tune them to your model and reward scale. */
export const THRESHOLDS = {
  /** Smallest improvement of the smoothed reward over the plateau lookback that counts as learning. */
  plateauMinDelta: 0.01,
  /** Mean per-token policy entropy (nats) below which the policy is treated as collapsed. */
  entropyMin: 0.05,
  /** distinct-2 (unique bigrams / all bigrams over a step's completions) below which outputs collapsed. */
  distinct2Min: 0.1,
  /** Mean per-token KL to the reference (nats) above which the policy has blown up. */
  klMax: 1,
  /** Drop of the smoothed format adherence (fraction of completions) over the format lookback. */
  formatDrop: 0.2,
  /** Fall of validation accuracy over the hacking lookback (0.05 = 5 percentage points). */
  validationDrop: 0.05,
} as const;

/** Drop reasons that are configured policy (sampling, rate limits), not lost telemetry. */
export const INTENDED_DROP_REASONS: readonly DropReason[] = ['sampled', 'rate_limited'];

export type Severity = 'critical' | 'warning';

export interface RecordingRule {
  record: string;
  expr: string;
}

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: Severity };
  annotations: { summary: string; description: string };
}

export interface RuleGroup<R> {
  name: string;
  interval?: string;
  rules: R[];
}

export interface RuleFiles {
  recording: { groups: RuleGroup<RecordingRule>[] };
  alerts: { groups: RuleGroup<AlertRule>[] };
}

const L = prometheusLabelName;

/** The labels a run is identified by in rule results (resource attributes, see collector-config/). */
export const RUN_LABELS: readonly string[] = [L(ATTR_GRPO_EXPERIMENT_NAME), L(ATTR_GRPO_RUN_ID)];
const RUN = RUN_LABELS.join(', ');

/** Matches training data: `train`, or no split label at all (the SDK's default); the dashboards' matcher. */
const TRAIN = TRAINING;

const PLATEAU: SignalKind = 'reward_plateau';
if (!SIGNAL_KIND_VALUES.includes(PLATEAU)) throw new Error(`semconv has no signal kind ${PLATEAU}`);

/** Name of the smoothed recording of a metric: `run:<prometheus name>:smoothed`. */
export function smoothedName(def: MetricDefinition): string {
  return `run:${prometheusName(def)}:smoothed`;
}

/** Name of the per-run step rate recording. */
export const STEP_RATE = `run:${prometheusName(METRICS.trainingSteps).replace(/_total$/, '')}:rate`;

/** Metrics with a `:smoothed` recording rule, averaged over a run's ranks and the smoothing window. */
export const SMOOTHED_METRICS: readonly MetricDefinition[] = [
  METRICS.rewardMean,
  METRICS.policyEntropy,
  METRICS.policyKl,
  METRICS.completionFormatAdherence,
  METRICS.completionDistinctNgramRatio,
];

function smoothedRule(def: MetricDefinition, w: Windows): RecordingRule {
  const labels = [...RUN_LABELS, ...def.attributes.map(L)].join(', ');
  return {
    record: smoothedName(def),
    expr: `avg by (${labels}) (avg_over_time(${prometheusName(def)}[${w.smooth}]))`,
  };
}

function recordingRules(w: Windows): RecordingRule[] {
  return [
    ...SMOOTHED_METRICS.map((def) => smoothedRule(def, w)),
    {
      record: STEP_RATE,
      expr: `sum by (${RUN}) (rate(${prometheusName(METRICS.trainingSteps)}[${w.smooth}]))`,
    },
  ];
}

function alertRules(w: Windows): AlertRule[] {
  const T = THRESHOLDS;
  const reward = `${smoothedName(METRICS.rewardMean)}{${TRAIN}}`;
  const steps = prometheusName(METRICS.trainingSteps);
  const signal = prometheusName(METRICS.signalActive);
  const kind = L(ATTR_GRPO_SIGNAL_KIND);
  const fn = L(ATTR_GRPO_REWARD_FUNCTION);
  const run = `{{ $labels.${L(ATTR_GRPO_RUN_ID)} }}`;
  const dataset = L(ATTR_GRPO_VALIDATION_DATASET);
  const accuracy = prometheusName(METRICS.validationAccuracy);
  const dropped = prometheusName(METRICS.sdkRecordDropped);
  const dropSelector = `${dropped}{${L(ATTR_GRPO_SDK_DROP_REASON)}!~"${INTENDED_DROP_REASONS.join('|')}"}`;
  const dropBy = `${RUN}, ${L(ATTR_GRPO_SDK_SIGNAL)}, ${L(ATTR_GRPO_SDK_DROP_REASON)}`;
  const format = smoothedName(METRICS.completionFormatAdherence);
  return [
    {
      alert: 'GRPORewardPlateau',
      expr: [
        '(',
        `    ${reward}`,
        '  -',
        `    ${reward} offset ${w.plateauLookback}`,
        `) < ${T.plateauMinDelta}`,
        `and on (${RUN})`,
        `  sum by (${RUN}) (increase(${steps}[${w.plateauLookback}])) > 0`,
      ].join('\n'),
      for: w.plateauFor,
      labels: { severity: 'warning' },
      annotations: {
        summary: `Run ${run}: reward {{ $labels.${fn} }} stopped improving`,
        description:
          `The ${w.smooth} average of the {{ $labels.${fn} }} reward improved by less than ` +
          `${T.plateauMinDelta} over the last ${w.plateauLookback} while training steps continued ` +
          '(PromQL on the scraped reward; GRPORewardPlateauSignal is the SDK detector counted in steps). ' +
          'A checkpoint or early-stopping candidate.',
      },
    },
    {
      alert: 'GRPORewardPlateauSignal',
      expr: [`max by (${RUN}, ${fn}) (`, `  ${signal}{${kind}="${PLATEAU}"}`, ') == 1'].join('\n'),
      for: w.signalFor,
      labels: { severity: 'warning' },
      annotations: {
        summary: `Run ${run}: the SDK reports a plateau of reward {{ $labels.${fn} }}`,
        description:
          "The SDK's plateau detector (metrics.plateau: window, min_delta and patience in training " +
          'steps, on the smoothed per-step mean reward) has held for ' +
          `${w.signalFor}. The trainer's onPlateau callbacks saw the same event.`,
      },
    },
    {
      alert: 'GRPOEntropyCollapse',
      expr: `${smoothedName(METRICS.policyEntropy)} < ${T.entropyMin}`,
      for: w.collapseFor,
      labels: { severity: 'critical' },
      annotations: {
        summary: `Run ${run}: policy entropy collapsed`,
        description:
          `The ${w.smooth} average of the mean per-token policy entropy is below ${T.entropyMin} nats: ` +
          'the policy has become (nearly) deterministic and GRPO groups stop carrying a learning signal.',
      },
    },
    {
      alert: 'GRPODiversityCollapse',
      expr: `${smoothedName(METRICS.completionDistinctNgramRatio)}{${L(ATTR_GRPO_NGRAM_N)}="2", ${TRAIN}} < ${T.distinct2Min}`,
      for: w.collapseFor,
      labels: { severity: 'warning' },
      annotations: {
        summary: `Run ${run}: completions lost their diversity`,
        description:
          `The ${w.smooth} average of distinct-2 over the step's completions is below ` +
          `${T.distinct2Min}: the model produces near-identical outputs (mode collapse).`,
      },
    },
    {
      alert: 'GRPOKLBlowUp',
      expr: `max by (${RUN}) (${smoothedName(METRICS.policyKl)}) > ${T.klMax}`,
      for: w.klFor,
      labels: { severity: 'critical' },
      annotations: {
        summary: `Run ${run}: KL to the reference model blew up`,
        description:
          `The ${w.smooth} average of the mean per-token KL divergence from the reference model is above ` +
          `${T.klMax} nats: the policy is drifting away fast (learning rate, KL coefficient or a bad batch).`,
      },
    },
    {
      alert: 'GRPOFormatAdherenceDropping',
      expr: [
        '(',
        `    ${format} offset ${w.formatLookback}`,
        '  -',
        `    ${format}`,
        `) > ${T.formatDrop}`,
      ].join('\n'),
      for: w.formatFor,
      labels: { severity: 'warning' },
      annotations: {
        summary: `Run ${run}: format adherence ({{ $labels.${L(ATTR_GRPO_FORMAT_MODE)} }}) is dropping`,
        description:
          `The ${w.smooth} average of the fraction of well-formed completions fell by more than ` +
          `${T.formatDrop} within ${w.formatLookback}.`,
      },
    },
    {
      alert: 'GRPOTrainingStalled',
      expr: [
        `sum by (${RUN}) (increase(${steps}[${w.stallWindow}])) == 0`,
        `and on (${RUN})`,
        `  count by (${RUN}) (${steps})`,
      ].join('\n'),
      for: w.stallFor,
      labels: { severity: 'critical' },
      annotations: {
        summary: `Run ${run}: no training step in ${w.stallWindow}`,
        description:
          `The run still exports telemetry but completed no training step for ${w.stallWindow} ` +
          '(a hung process: collective, data loader, generation server). A run that exits stops exporting ' +
          'and is not reported.',
      },
    },
    {
      alert: 'GRPORewardHacking',
      expr: [
        '(',
        `    max by (${RUN}, ${dataset}) (${accuracy})`,
        '  -',
        `    max by (${RUN}, ${dataset}) (${accuracy} offset ${w.hackingLookback})`,
        `) <= -${T.validationDrop}`,
        `and on (${RUN})`,
        `  max by (${RUN}) (`,
        `      ${reward}`,
        '    -',
        `      ${reward} offset ${w.hackingLookback}`,
        `  ) > ${T.plateauMinDelta}`,
      ].join('\n'),
      for: w.hackingFor,
      labels: { severity: 'warning' },
      annotations: {
        summary: `Run ${run}: validation accuracy falls while the training reward rises`,
        description:
          `Validation accuracy fell by at least ${T.validationDrop} within ${w.hackingLookback} while a ` +
          'smoothed training reward kept rising: the policy may be exploiting a reward function ' +
          '(reward hacking) or overfitting the training prompts.',
      },
    },
    {
      alert: 'GRPOTelemetryDropping',
      expr: [
        `sum by (${dropBy}) (increase(${dropSelector}[${w.dropsWindow}])) > 0`,
        'or',
        `sum by (${dropBy}) (${dropSelector} unless ${dropSelector} offset ${w.dropsWindow}) > 0`,
      ].join('\n'),
      for: w.dropsFor,
      labels: { severity: 'warning' },
      annotations: {
        summary: `Run ${run}: the SDK is dropping {{ $labels.${L(ATTR_GRPO_SDK_SIGNAL)} }} records`,
        description:
          `The SDK dropped telemetry records ({{ $labels.${L(ATTR_GRPO_SDK_DROP_REASON)} }}) within the ` +
          `last ${w.dropsWindow}: full export queues, failed exports or invalid values. Drops by sampling ` +
          'and rate limits are configured and not alerted on. The second term catches the first drops of a ' +
          'run, whose counter series starts above 0.',
      },
    },
    {
      alert: 'GRPOTrainingHealthSignal',
      expr: [`max by (${RUN}, ${kind}) (`, `  ${signal}{${kind}!="${PLATEAU}"}`, ') == 1'].join('\n'),
      for: w.signalFor,
      labels: { severity: 'warning' },
      annotations: {
        summary: `Run ${run}: the SDK reports {{ $labels.${kind} }}`,
        description:
          "One of the SDK's collapse detectors (metrics.collapse: entropy, diversity, ...) has held for " +
          `${w.signalFor}. Reward plateaus are GRPORewardPlateauSignal.`,
      },
    },
  ];
}

/** The two rule files (recording, alerts) of a profile. */
export function renderRules(profile: Profile): RuleFiles {
  const w = WINDOWS[profile];
  const interval = w.groupInterval === '' ? {} : { interval: w.groupInterval };
  return {
    recording: { groups: [{ name: 'grpo-recording', ...interval, rules: recordingRules(w) }] },
    alerts: { groups: [{ name: 'grpo-alerts', ...interval, rules: alertRules(w) }] },
  };
}

/** File names of the rule files, relative to deploy/prometheus/ (and to a generated config's directory). */
export const RULE_FILES = {
  recording: 'rules/grpo-recording.rules.yml',
  alerts: 'rules/grpo-alerts.rules.yml',
} as const;
