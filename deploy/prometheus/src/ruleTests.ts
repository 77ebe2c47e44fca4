// `promtool test rules` files for the production rules: for every alert, series where it must fire and
// series where it must not, evaluated at times chosen from the production windows (see rules.ts). One
// file per alert in deploy/prometheus/tests/, plus one for the recording rules. Series names come from
// semconv, like the rules'.
import {
  ATTR_GRPO_EXPERIMENT_NAME,
  ATTR_GRPO_FORMAT_MODE,
  ATTR_GRPO_KL_ESTIMATOR,
  ATTR_GRPO_NGRAM_N,
  ATTR_GRPO_RANK,
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_RUN_ID,
  ATTR_GRPO_SDK_DROP_REASON,
  ATTR_GRPO_SDK_EXPORTER,
  ATTR_GRPO_SDK_SIGNAL,
  ATTR_GRPO_SIGNAL_KIND,
  ATTR_GRPO_SPLIT,
  ATTR_GRPO_VALIDATION_DATASET,
  ATTR_SERVICE_NAME,
  METRICS,
  type MetricDefinition,
  prometheusLabelName,
  prometheusName,
} from '@grpo-otel/semconv';
import { type AlertRule, RULE_FILES, renderRules, STEP_RATE, smoothedName } from './rules.js';

type Labels = Record<string, string>;

export interface InputSeries {
  series: string;
  values: string;
}

/** One evaluation: at `at`, exactly these alerts (by their labels, without severity) are firing. */
export interface AlertCheck {
  at: string;
  firing: Labels[];
}

export interface AlertCase {
  name: string;
  input: InputSeries[];
  checks: AlertCheck[];
}

const L = prometheusLabelName;
const EXP = L(ATTR_GRPO_EXPERIMENT_NAME);
const RUN_ID = L(ATTR_GRPO_RUN_ID);

/** The labels of a run's series as the collector exposes them (job and service_name from service.name). */
function source(run: string, rank = 0): Labels {
  return {
    job: 'grpo-trainer',
    instance: `${run}-${rank}`,
    [L(ATTR_SERVICE_NAME)]: 'grpo-trainer',
    [EXP]: 'gsm8k-grpo',
    [RUN_ID]: run,
    [L(ATTR_GRPO_RANK)]: String(rank),
  };
}

/** The labels a run keeps in alert results. */
function run(id: string, extra: Labels = {}): Labels {
  return { [EXP]: 'gsm8k-grpo', [RUN_ID]: id, ...extra };
}

function selector(name: string, labels: Labels): string {
  const body = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  return `${name}{${body}}`;
}

function series(def: MetricDefinition, labels: Labels, values: string): InputSeries {
  return { series: selector(prometheusName(def), labels), values };
}

/** `n` values alternating 0 and 1. */
function flapping(n: number): string {
  return Array.from({ length: n }, (_, i) => String(i % 2)).join(' ');
}

const FN = L(ATTR_GRPO_REWARD_FUNCTION);
const SPLIT = L(ATTR_GRPO_SPLIT);
const KIND = L(ATTR_GRPO_SIGNAL_KIND);

/** Cases per alert. Every alert has at least one check where it fires and one where nothing fires. */
export const ALERT_CASES: Readonly<Record<string, AlertCase[]>> = {
  GRPORewardPlateau: [
    {
      name: 'a reward that stops improving fires per reward function; rising, validation and stopped runs do not',
      input: [
        series(METRICS.trainingSteps, source('plateau'), '0+10x240'),
        series(METRICS.trainingSteps, source('learning'), '0+10x240'),
        series(METRICS.trainingSteps, source('stopped'), '0+10x60 600x180'),
        // Rises for an hour, then flat at 0.7.
        series(
          METRICS.rewardMean,
          { ...source('plateau'), [FN]: 'correctness', [SPLIT]: 'train' },
          '0.1+0.01x59 0.7x180',
        ),
        // Another function of the same run keeps improving: no alert for it.
        series(METRICS.rewardMean, { ...source('plateau'), [FN]: 'format', [SPLIT]: 'train' }, '0+0.005x240'),
        series(METRICS.rewardMean, { ...source('learning'), [FN]: 'total', [SPLIT]: 'train' }, '0+0.002x240'),
        // Flat validation rewards are not a training plateau.
        series(
          METRICS.rewardMean,
          { ...source('learning'), [FN]: 'total', [SPLIT]: 'validation' },
          '0.5x240',
        ),
        // Flat because no step happens: that is GRPOTrainingStalled, not a plateau.
        series(
          METRICS.rewardMean,
          { ...source('stopped'), [FN]: 'total', [SPLIT]: 'train' },
          '0.1+0.01x59 0.7x180',
        ),
      ],
      checks: [
        { at: '120m', firing: [] },
        { at: '150m', firing: [run('plateau', { [FN]: 'correctness', [SPLIT]: 'train' })] },
        { at: '240m', firing: [run('plateau', { [FN]: 'correctness', [SPLIT]: 'train' })] },
      ],
    },
    {
      name: 'rewards logged without a split (TRL names) count as training rewards',
      input: [
        series(METRICS.trainingSteps, source('trl'), '0+10x180'),
        series(METRICS.rewardMean, { ...source('trl'), [FN]: 'total' }, '0.5x180'),
      ],
      checks: [
        { at: '60m', firing: [] },
        { at: '100m', firing: [run('trl', { [FN]: 'total' })] },
      ],
    },
  ],

  GRPORewardPlateauSignal: [
    {
      name: "the SDK detector's signal fires once it holds; flapping and other kinds do not",
      input: [
        series(METRICS.signalActive, { ...source('a'), [KIND]: 'reward_plateau', [FN]: 'total' }, '0x9 1x30'),
        series(METRICS.signalActive, { ...source('b'), [KIND]: 'reward_plateau', [FN]: 'total' }, '0x40'),
        series(
          METRICS.signalActive,
          { ...source('c'), [KIND]: 'reward_plateau', [FN]: 'total' },
          flapping(41),
        ),
        series(METRICS.signalActive, { ...source('d'), [KIND]: 'entropy_collapse' }, '1x40'),
      ],
      checks: [
        { at: '12m', firing: [] },
        { at: '20m', firing: [run('a', { [FN]: 'total' })] },
      ],
    },
    {
      name: 'one rank in plateau is enough',
      input: [
        series(METRICS.signalActive, { ...source('r', 0), [KIND]: 'reward_plateau', [FN]: 'total' }, '0x30'),
        series(METRICS.signalActive, { ...source('r', 1), [KIND]: 'reward_plateau', [FN]: 'total' }, '1x30'),
      ],
      checks: [
        { at: '2m', firing: [] },
        { at: '10m', firing: [run('r', { [FN]: 'total' })] },
      ],
    },
  ],

  GRPOEntropyCollapse: [
    {
      name: 'entropy falling below the threshold fires; healthy entropy and a one-step dip do not',
      input: [
        series(METRICS.policyEntropy, source('a'), '1-0.05x19 0.02x30'),
        series(METRICS.policyEntropy, source('b'), '1x50'),
        series(METRICS.policyEntropy, source('c'), '1x20 0.01 1x28'),
        // Low but above the threshold: a confident policy, not a collapsed one.
        series(METRICS.policyEntropy, source('d'), '0.08x50'),
      ],
      checks: [
        { at: '15m', firing: [] },
        { at: '45m', firing: [run('a')] },
      ],
    },
  ],

  GRPODiversityCollapse: [
    {
      name: 'distinct-2 collapsing on training completions fires; distinct-1, validation and healthy runs do not',
      input: [
        series(
          METRICS.completionDistinctNgramRatio,
          { ...source('a'), [L(ATTR_GRPO_NGRAM_N)]: '2', [SPLIT]: 'train' },
          '0.6-0.05x10 0.05x40',
        ),
        series(
          METRICS.completionDistinctNgramRatio,
          { ...source('a'), [L(ATTR_GRPO_NGRAM_N)]: '1', [SPLIT]: 'train' },
          '0.05x50',
        ),
        series(
          METRICS.completionDistinctNgramRatio,
          { ...source('b'), [L(ATTR_GRPO_NGRAM_N)]: '2', [SPLIT]: 'train' },
          '0.5x50',
        ),
        series(
          METRICS.completionDistinctNgramRatio,
          { ...source('c'), [L(ATTR_GRPO_NGRAM_N)]: '2', [SPLIT]: 'validation' },
          '0.05x50',
        ),
      ],
      checks: [
        { at: '8m', firing: [] },
        { at: '45m', firing: [run('a', { [L(ATTR_GRPO_NGRAM_N)]: '2', [SPLIT]: 'train' })] },
      ],
    },
  ],

  GRPOKLBlowUp: [
    {
      name: 'a sustained KL above the threshold fires; a one-step spike and a moderate KL do not',
      input: [
        series(METRICS.policyKl, { ...source('a'), [L(ATTR_GRPO_KL_ESTIMATOR)]: 'k3' }, '0.05x20 2x20'),
        series(METRICS.policyKl, { ...source('b'), [L(ATTR_GRPO_KL_ESTIMATOR)]: 'k3' }, '0.05x10 5 0.05x29'),
        series(METRICS.policyKl, { ...source('c'), [L(ATTR_GRPO_KL_ESTIMATOR)]: 'k1' }, '0.2x40'),
        // High but below the threshold.
        series(METRICS.policyKl, { ...source('d'), [L(ATTR_GRPO_KL_ESTIMATOR)]: 'k3' }, '0.8x40'),
      ],
      checks: [
        { at: '15m', firing: [] },
        { at: '40m', firing: [run('a')] },
      ],
    },
  ],

  GRPOFormatAdherenceDropping: [
    {
      name: 'adherence falling by more than the threshold fires; rising adherence and a small dip do not',
      input: [
        series(
          METRICS.completionFormatAdherence,
          { ...source('a'), [L(ATTR_GRPO_FORMAT_MODE)]: 'strict', [SPLIT]: 'train' },
          '0.9x60 0.5x60',
        ),
        series(
          METRICS.completionFormatAdherence,
          { ...source('b'), [L(ATTR_GRPO_FORMAT_MODE)]: 'strict', [SPLIT]: 'train' },
          '0.5+0.003x120',
        ),
        series(
          METRICS.completionFormatAdherence,
          { ...source('c'), [L(ATTR_GRPO_FORMAT_MODE)]: 'strict', [SPLIT]: 'train' },
          '0.9x60 0.8x60',
        ),
      ],
      checks: [
        { at: '50m', firing: [] },
        { at: '90m', firing: [run('a', { [L(ATTR_GRPO_FORMAT_MODE)]: 'strict', [SPLIT]: 'train' })] },
      ],
    },
  ],

  GRPOTrainingStalled: [
    {
      name: 'a live run without step progress fires; a progressing run and a run that exited do not',
      input: [
        series(METRICS.trainingSteps, source('a'), '0+5x30 150x40'),
        series(METRICS.trainingSteps, source('b'), '0+5x70'),
        series(METRICS.trainingSteps, source('c'), '0+5x30 stale'),
      ],
      checks: [
        { at: '40m', firing: [] },
        { at: '60m', firing: [run('a')] },
      ],
    },
  ],

  GRPORewardHacking: [
    {
      name: 'validation accuracy falling while the training reward rises fires; other combinations do not',
      input: [
        series(
          METRICS.validationAccuracy,
          { ...source('a'), [L(ATTR_GRPO_VALIDATION_DATASET)]: 'gsm8k-test' },
          '0.6x120 0.45x120',
        ),
        series(METRICS.rewardMean, { ...source('a'), [FN]: 'total', [SPLIT]: 'train' }, '0+0.005x240'),
        // Both improving.
        series(
          METRICS.validationAccuracy,
          { ...source('b'), [L(ATTR_GRPO_VALIDATION_DATASET)]: 'gsm8k-test' },
          '0.4+0.001x240',
        ),
        series(METRICS.rewardMean, { ...source('b'), [FN]: 'total', [SPLIT]: 'train' }, '0+0.005x240'),
        // Validation falls but the training reward is flat: degradation, not reward hacking.
        series(
          METRICS.validationAccuracy,
          { ...source('c'), [L(ATTR_GRPO_VALIDATION_DATASET)]: 'gsm8k-test' },
          '0.6x120 0.45x120',
        ),
        series(METRICS.rewardMean, { ...source('c'), [FN]: 'total', [SPLIT]: 'train' }, '0.5x240'),
        // The reward rises and validation accuracy dips by less than the threshold (noise).
        series(
          METRICS.validationAccuracy,
          { ...source('d'), [L(ATTR_GRPO_VALIDATION_DATASET)]: 'gsm8k-test' },
          '0.6x120 0.58x120',
        ),
        series(METRICS.rewardMean, { ...source('d'), [FN]: 'total', [SPLIT]: 'train' }, '0+0.005x240'),
      ],
      checks: [
        { at: '100m', firing: [] },
        { at: '180m', firing: [run('a', { [L(ATTR_GRPO_VALIDATION_DATASET)]: 'gsm8k-test' })] },
      ],
    },
  ],

  GRPOTelemetryDropping: [
    {
      name: 'new and growing drops fire; intended drops (sampling) and old drops do not',
      input: [
        // The first drops of a run: the counter series starts at 5.
        series(
          METRICS.sdkRecordDropped,
          {
            ...source('a'),
            [L(ATTR_GRPO_SDK_SIGNAL)]: 'logs',
            [L(ATTR_GRPO_SDK_DROP_REASON)]: 'queue_full',
            [L(ATTR_GRPO_SDK_EXPORTER)]: 'otlp',
          },
          '_x10 5x30',
        ),
        series(
          METRICS.sdkRecordDropped,
          {
            ...source('b'),
            [L(ATTR_GRPO_SDK_SIGNAL)]: 'metrics',
            [L(ATTR_GRPO_SDK_DROP_REASON)]: 'export_failed',
          },
          '0+1x20 20x20',
        ),
        series(
          METRICS.sdkRecordDropped,
          { ...source('c'), [L(ATTR_GRPO_SDK_SIGNAL)]: 'logs', [L(ATTR_GRPO_SDK_DROP_REASON)]: 'sampled' },
          '0+10x40',
        ),
      ],
      checks: [
        {
          at: '5m',
          firing: [
            run('b', {
              [L(ATTR_GRPO_SDK_SIGNAL)]: 'metrics',
              [L(ATTR_GRPO_SDK_DROP_REASON)]: 'export_failed',
            }),
          ],
        },
        {
          at: '13m',
          firing: [
            run('a', { [L(ATTR_GRPO_SDK_SIGNAL)]: 'logs', [L(ATTR_GRPO_SDK_DROP_REASON)]: 'queue_full' }),
            run('b', {
              [L(ATTR_GRPO_SDK_SIGNAL)]: 'metrics',
              [L(ATTR_GRPO_SDK_DROP_REASON)]: 'export_failed',
            }),
          ],
        },
        { at: '38m', firing: [] },
      ],
    },
  ],

  GRPOTrainingHealthSignal: [
    {
      name: 'collapse signals fire with their kind; reward plateaus and inactive detectors do not',
      input: [
        series(METRICS.signalActive, { ...source('a'), [KIND]: 'entropy_collapse' }, '0x4 1x20'),
        series(METRICS.signalActive, { ...source('b'), [KIND]: 'reward_plateau', [FN]: 'total' }, '1x25'),
        series(METRICS.signalActive, { ...source('c'), [KIND]: 'kl_explosion' }, '0x25'),
      ],
      checks: [
        { at: '3m', firing: [] },
        { at: '15m', firing: [run('a', { [KIND]: 'entropy_collapse' })] },
      ],
    },
  ],
};

/** Replaces `{{ $labels.x }}` with the label's value, as Prometheus expands these annotations. */
export function expandAnnotation(template: string, labels: Labels): string {
  return template.replace(
    /\{\{ \$labels\.([a-zA-Z_][a-zA-Z0-9_]*) \}\}/g,
    (_, name: string) => labels[name] ?? '',
  );
}

function alertTestFile(rule: AlertRule, cases: AlertCase[]): unknown {
  return {
    rule_files: [`../${RULE_FILES.recording}`, `../${RULE_FILES.alerts}`],
    evaluation_interval: '1m',
    tests: cases.map((c) => ({
      name: c.name,
      interval: '1m',
      input_series: c.input,
      alert_rule_test: c.checks.map((check) => ({
        eval_time: check.at,
        alertname: rule.alert,
        exp_alerts: check.firing.map((labels) => ({
          exp_labels: { ...labels, severity: rule.labels.severity },
          exp_annotations: {
            summary: expandAnnotation(rule.annotations.summary, labels),
            description: expandAnnotation(rule.annotations.description, labels),
          },
        })),
      })),
    })),
  };
}

function recordingTestFile(): unknown {
  const fnLabels = { [FN]: 'total', [SPLIT]: 'train' };
  return {
    rule_files: [`../${RULE_FILES.recording}`],
    evaluation_interval: '1m',
    tests: [
      {
        name: 'smoothed series average over the ranks of a run and over time; the step rate sums the ranks',
        interval: '1m',
        input_series: [
          series(METRICS.rewardMean, { ...source('a', 0), ...fnLabels }, '0.4x30'),
          series(METRICS.rewardMean, { ...source('a', 1), ...fnLabels }, '0.6x30'),
          series(METRICS.policyEntropy, source('a', 0), '0.2 0.4x30'),
          series(METRICS.trainingSteps, source('a', 0), '0+60x30'),
          series(METRICS.trainingSteps, source('a', 1), '0+60x30'),
        ],
        promql_expr_test: [
          {
            expr: smoothedName(METRICS.rewardMean),
            eval_time: '20m',
            exp_samples: [
              { labels: selector(smoothedName(METRICS.rewardMean), run('a', fnLabels)), value: 0.5 },
            ],
          },
          {
            expr: smoothedName(METRICS.policyEntropy),
            eval_time: '20m',
            exp_samples: [{ labels: selector(smoothedName(METRICS.policyEntropy), run('a')), value: 0.4 }],
          },
          {
            expr: STEP_RATE,
            eval_time: '20m',
            exp_samples: [{ labels: selector(STEP_RATE, run('a')), value: 2 }],
          },
        ],
      },
    ],
  };
}

/** The promtool test files of the production rules, by file name (relative to deploy/prometheus/tests/). */
export function renderRuleTests(): Map<string, unknown> {
  const files = new Map<string, unknown>();
  const alerts = renderRules('production').alerts.groups.flatMap((g) => g.rules);
  for (const rule of alerts) {
    const cases = ALERT_CASES[rule.alert];
    if (!cases) throw new Error(`alert ${rule.alert} has no promtool test cases`);
    files.set(`${rule.alert}.test.yml`, alertTestFile(rule, cases));
  }
  for (const name of Object.keys(ALERT_CASES)) {
    if (!alerts.some((r) => r.alert === name)) throw new Error(`test cases for unknown alert ${name}`);
  }
  files.set('recording.test.yml', recordingTestFile());
  return files;
}
