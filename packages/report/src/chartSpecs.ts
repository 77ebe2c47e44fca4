import { movingAverage } from '@grpo-otel/metrics';
import { METRICS, REWARD_FUNCTION_TOTAL } from '@grpo-otel/semconv';
import { histogramQuantile } from './histogramQuantile.js';
import type { MetricSource } from './MetricSource.js';
import type { SeriesStyle } from './ReportModel.js';

/** A series before alignment: its points by step. */
export interface SeriesDraft {
  label: string;
  points: { step: number; value: number }[];
  /** Series with the same group share a colour (a reward function's mean and moving average). */
  group: string;
  style?: SeriesStyle;
  y2?: boolean;
  /** Fill the area between this series and the one with this label. */
  bandTo?: string;
  /** The tag it comes from; `(computed)` is appended when the report computed it. */
  source: string;
}

/** A chart: what it shows, and how its series are found in the run. */
export interface ChartSpec {
  id: string;
  title: string;
  description: string;
  yLabel: string;
  y2Label?: string;
  unitRange?: boolean;
  /** The semconv metrics it is drawn from (listed when the run has none of them). */
  metrics: string[];
  series(src: MetricSource): SeriesDraft[];
}

const M = METRICS;
const MiB = 1024 * 1024;

/** Attribute components of a training-split series: exactly `n` (the split `train` is left out of tags). */
const train =
  (n: number) =>
  (s: { attrs: string[] }): boolean =>
    s.attrs.length === n;

const totalLast = (a: { attrs: string[] }, b: { attrs: string[] }): number =>
  Number(a.attrs[0] === REWARD_FUNCTION_TOTAL) - Number(b.attrs[0] === REWARD_FUNCTION_TOTAL);

/** Window of a moving average the report computes: a tenth of the run, between 5 and 100 steps. */
export function defaultWindow(points: number): number {
  return Math.min(100, Math.max(5, Math.round(points / 10)));
}

function perStepSum(
  series: { points: { step: number; value: number }[] }[],
): { step: number; value: number }[] {
  const sums = new Map<number, number>();
  for (const s of series)
    for (const p of s.points)
      if (Number.isFinite(p.value)) sums.set(p.step, (sums.get(p.step) ?? 0) + p.value);
  return [...sums].sort((a, b) => a[0] - b[0]).map(([step, value]) => ({ step, value }));
}

function scaled(points: { step: number; value: number }[], k: number): { step: number; value: number }[] {
  return points.map((p) => ({ step: p.step, value: p.value * k }));
}

/** The report's charts, in page order. */
export const CHART_SPECS: readonly ChartSpec[] = [
  {
    id: 'rewards',
    title: 'Reward per function',
    description:
      'Mean reward of each step per reward function (solid) and its moving average (dashed); “total” is the weighted sum the advantages come from. A flat moving average is a plateau.',
    yLabel: 'reward',
    metrics: [M.rewardMean.name, M.rewardMovingAverage.name],
    series(src) {
      const out: SeriesDraft[] = [];
      const means = src.scalars(M.rewardMean.name).filter(train(1)).sort(totalLast);
      const averages = src.scalars(M.rewardMovingAverage.name).filter(train(1));
      for (const s of means) {
        const fn = s.attrs[0]!;
        const group = `${s.run}/${fn}`;
        out.push({ label: src.label(s.run, fn), points: s.points, group, source: s.tag });
        const ma = averages.find((a) => a.run === s.run && a.attrs[0] === fn);
        if (ma) {
          out.push({
            label: src.label(s.run, `${fn} (moving average)`),
            points: ma.points,
            group,
            style: 'dashed',
            source: ma.tag,
          });
        } else {
          const w = defaultWindow(s.points.length);
          // Counted in points, as the chart's axis does: a gap longer than the window stays a gap.
          const avg = movingAverage(
            s.points.map((p) => p.value),
            w,
            { counts: 'positions' },
          );
          out.push({
            label: src.label(s.run, `${fn} (moving average, ${w} steps)`),
            points: s.points.map((p, i) => ({ step: p.step, value: avg[i]! })),
            group,
            style: 'dashed',
            source: `${s.tag} (computed)`,
          });
        }
      }
      return out;
    },
  },
  {
    id: 'accuracy',
    title: 'Correctness and validation accuracy',
    description:
      'Fraction of training completions with the right answer, and accuracy on the held-out validation set at each validation run. Training far above validation: overfitting.',
    yLabel: 'accuracy',
    unitRange: true,
    metrics: [M.taskAccuracy.name, M.validationAccuracy.name],
    series(src) {
      const out: SeriesDraft[] = [];
      for (const s of src.scalars(M.taskAccuracy.name).filter(train(0)))
        out.push({
          label: src.label(s.run, 'training accuracy'),
          points: s.points,
          group: `${s.run}/train`,
          source: s.tag,
        });
      for (const s of src.scalars(M.validationAccuracy.name)) {
        const ds = s.attrs.join('/');
        out.push({
          label: src.label(s.run, ds ? `validation accuracy (${ds})` : 'validation accuracy'),
          points: s.points,
          group: `${s.run}/validation/${ds}`,
          style: 'points',
          source: s.tag,
        });
      }
      return out;
    },
  },
  {
    id: 'policy',
    title: 'Entropy and KL',
    description:
      'Mean token entropy of the policy and its KL divergence from the reference model, in nats. Entropy falling towards 0 is mode collapse; KL climbing fast means the policy drifts away.',
    yLabel: 'nats',
    metrics: [M.policyEntropy.name, M.policyKl.name],
    series(src) {
      const out: SeriesDraft[] = [];
      for (const s of src.scalars(M.policyEntropy.name))
        out.push({
          label: src.label(s.run, 'entropy'),
          points: s.points,
          group: `${s.run}/entropy`,
          source: s.tag,
        });
      for (const s of src.scalars(M.policyKl.name)) {
        const est = s.attrs.join('/');
        out.push({
          label: src.label(s.run, est ? `KL (${est})` : 'KL'),
          points: s.points,
          group: `${s.run}/kl/${est}`,
          source: s.tag,
        });
      }
      return out;
    },
  },
  {
    id: 'length',
    title: 'Completion length distribution',
    description:
      'Length of the completions at each step: median, the band from the 10th to the 90th percentile, shortest and longest, and the mean. Lengths collapsing or running into the limit both need a look.',
    yLabel: 'tokens',
    metrics: [M.completionLength.name, M.completionMeanLength.name, M.completionCharLength.name],
    series(src) {
      let hists = src.histograms(M.completionLength.name).filter(train(0));
      let means = src.scalars(M.completionMeanLength.name).filter(train(0));
      let mins = src.scalars(M.completionMinLength.name).filter(train(0));
      let maxs = src.scalars(M.completionMaxLength.name).filter(train(0));
      let unit = 'tokens';
      if (hists.length + means.length === 0) {
        hists = src.histograms(M.completionCharLength.name).filter(train(0));
        means = src.scalars(M.completionMeanCharLength.name).filter(train(0));
        mins = [];
        maxs = [];
        unit = 'characters';
      }
      const out: SeriesDraft[] = [];
      const runs = new Set([...hists.map((h) => h.run), ...means.map((m) => m.run)]);
      for (const run of runs) {
        const h = hists.find((x) => x.run === run);
        const g = `${run}/length`;
        if (h) {
          const q = (p: number) =>
            h.points
              .map((x) => ({ step: x.step, value: histogramQuantile(x, p) }))
              .filter((x) => Number.isFinite(x.value));
          const p90 = src.label(run, `90th percentile (${unit})`);
          const p10 = src.label(run, `10th percentile (${unit})`);
          out.push({
            label: p90,
            points: q(0.9),
            group: `${g}/band`,
            style: 'thin',
            source: `${h.tag} (computed)`,
          });
          out.push({
            label: p10,
            points: q(0.1),
            group: `${g}/band`,
            style: 'thin',
            bandTo: p90,
            source: `${h.tag} (computed)`,
          });
          out.push({
            label: src.label(run, `median (${unit})`),
            points: q(0.5),
            group: `${g}/median`,
            source: `${h.tag} (computed)`,
          });
          out.push({
            label: src.label(run, `shortest (${unit})`),
            points: h.points
              .filter((x) => x.num > 0 && Number.isFinite(x.min))
              .map((x) => ({ step: x.step, value: x.min })),
            group: `${g}/min`,
            style: 'dashed',
            source: h.tag,
          });
          out.push({
            label: src.label(run, `longest (${unit})`),
            points: h.points
              .filter((x) => x.num > 0 && Number.isFinite(x.max))
              .map((x) => ({ step: x.step, value: x.max })),
            group: `${g}/max`,
            style: 'dashed',
            source: h.tag,
          });
        } else {
          for (const [list, name, style] of [
            [mins, 'shortest', 'dashed'],
            [maxs, 'longest', 'dashed'],
          ] as const) {
            const s = list.find((x) => x.run === run);
            if (s)
              out.push({
                label: src.label(run, `${name} (${unit})`),
                points: s.points,
                group: `${g}/${name}`,
                style,
                source: s.tag,
              });
          }
        }
        const mean = means.find((x) => x.run === run);
        if (mean)
          out.push({
            label: src.label(run, `mean (${unit})`),
            points: mean.points,
            group: `${g}/mean`,
            source: mean.tag,
          });
      }
      return out;
    },
  },
  {
    id: 'format',
    title: 'Format adherence',
    description:
      'Fraction of completions with the expected <reasoning>…</reasoning><answer>…</answer> structure (strict and lenient), with an extractable answer, and cut off at the length limit.',
    yLabel: 'fraction of completions',
    unitRange: true,
    metrics: [
      M.completionFormatAdherence.name,
      M.completionClippedRatio.name,
      M.taskAnswerExtractedRatio.name,
    ],
    series(src) {
      const out: SeriesDraft[] = [];
      for (const s of src.scalars(M.completionFormatAdherence.name).filter(train(1)))
        out.push({
          label: src.label(s.run, `format adherence (${s.attrs[0]})`),
          points: s.points,
          group: `${s.run}/format/${s.attrs[0]}`,
          source: s.tag,
        });
      for (const s of src.scalars(M.taskAnswerExtractedRatio.name).filter(train(0)))
        out.push({
          label: src.label(s.run, 'answer extracted'),
          points: s.points,
          group: `${s.run}/extracted`,
          source: s.tag,
        });
      for (const s of src.scalars(M.completionClippedRatio.name).filter(train(0)))
        out.push({
          label: src.label(s.run, 'truncated at the length limit'),
          points: s.points,
          group: `${s.run}/clipped`,
          style: 'dashed',
          source: s.tag,
        });
      return out;
    },
  },
  {
    id: 'diversity',
    title: 'Diversity',
    description:
      'Distinct n-grams over the step’s completions, repeated n-grams within a completion, and identical completions within a group. Distinct-n falling and duplicates rising: the outputs become alike.',
    yLabel: 'ratio',
    unitRange: true,
    metrics: [
      M.completionDistinctNgramRatio.name,
      M.completionRepetitionRatio.name,
      M.completionDuplicateRatio.name,
    ],
    series(src) {
      const out: SeriesDraft[] = [];
      for (const s of src.scalars(M.completionDistinctNgramRatio.name).filter(train(1)))
        out.push({
          label: src.label(s.run, `distinct-${s.attrs[0]}`),
          points: s.points,
          group: `${s.run}/distinct/${s.attrs[0]}`,
          source: s.tag,
        });
      for (const s of src.scalars(M.completionRepetitionRatio.name).filter(train(1)))
        out.push({
          label: src.label(s.run, `repetition (${s.attrs[0]}-grams)`),
          points: s.points,
          group: `${s.run}/repetition`,
          style: 'dashed',
          source: s.tag,
        });
      for (const s of src.scalars(M.completionDuplicateRatio.name).filter(train(0)))
        out.push({
          label: src.label(s.run, 'duplicates within a group'),
          points: s.points,
          group: `${s.run}/duplicates`,
          style: 'dashed',
          source: s.tag,
        });
      return out;
    },
  },
  {
    id: 'throughput',
    title: 'Throughput',
    description: 'Completions per second (left axis) and tokens per second (right axis), per training step.',
    yLabel: 'completions/s',
    y2Label: 'tokens/s',
    metrics: [M.throughputSamples.name, M.throughputTokens.name],
    series(src) {
      const out: SeriesDraft[] = [];
      for (const s of src.scalars(M.throughputSamples.name))
        out.push({
          label: src.label(s.run, 'completions/s'),
          points: s.points,
          group: `${s.run}/samples`,
          source: s.tag,
        });
      for (const s of src.scalars(M.throughputTokens.name)) {
        const type = s.attrs.join('/');
        out.push({
          label: src.label(
            s.run,
            type
              ? `tokens/s (${type === 'input' ? 'prompt' : type === 'output' ? 'completion' : type})`
              : 'tokens/s',
          ),
          points: s.points,
          group: `${s.run}/tokens/${type}`,
          y2: true,
          source: s.tag,
        });
      }
      return out;
    },
  },
  {
    id: 'step-time',
    title: 'Step time',
    description:
      'Wall-clock seconds of each training step and of its phases (generation, reward, update, ...).',
    yLabel: 'seconds',
    metrics: [M.stepDuration.name, M.phaseDuration.name],
    series(src) {
      const out: SeriesDraft[] = [];
      const mean = (points: { step: number; num: number; sum: number }[]) =>
        points
          .filter((p) => p.num > 0 && Number.isFinite(p.sum))
          .map((p) => ({ step: p.step, value: p.sum / p.num }));
      for (const h of src.histograms(M.stepDuration.name))
        out.push({
          label: src.label(h.run, 'step'),
          points: mean(h.points),
          group: `${h.run}/step`,
          source: h.tag,
        });
      for (const h of src.histograms(M.phaseDuration.name)) {
        const phase = h.attrs.join('/');
        out.push({
          label: src.label(h.run, phase || 'phase'),
          points: mean(h.points),
          group: `${h.run}/phase/${phase}`,
          style: 'dashed',
          source: h.tag,
        });
      }
      return out;
    },
  },
  {
    id: 'memory',
    title: 'Memory',
    description:
      'Resident memory of the training process, its peak, the V8 heap (all spaces) and tensor memory, in MiB. A line that only grows is a leak.',
    yLabel: 'MiB',
    metrics: [
      M.processMemoryUsage.name,
      M.memoryPeakUsage.name,
      M.v8jsMemoryHeapUsed.name,
      M.tfjsMemoryUsage.name,
    ],
    series(src) {
      const out: SeriesDraft[] = [];
      for (const s of src.scalars(M.processMemoryUsage.name))
        out.push({
          label: src.label(s.run, 'RSS'),
          points: scaled(s.points, 1 / MiB),
          group: `${s.run}/rss`,
          source: s.tag,
        });
      for (const s of src.scalars(M.memoryPeakUsage.name)) {
        const pool = s.attrs.join('/');
        out.push({
          label: src.label(s.run, `peak (${pool === 'v8_heap' ? 'V8 heap' : pool === 'rss' ? 'RSS' : pool})`),
          points: scaled(s.points, 1 / MiB),
          group: `${s.run}/${pool === 'rss' ? 'rss' : pool === 'v8_heap' ? 'heap' : pool}`,
          style: 'dashed',
          source: s.tag,
        });
      }
      const heap = src.scalars(M.v8jsMemoryHeapUsed.name);
      for (const run of new Set(heap.map((h) => h.run))) {
        const spaces = heap.filter((h) => h.run === run);
        out.push({
          label: src.label(run, 'V8 heap used'),
          points: scaled(perStepSum(spaces), 1 / MiB),
          group: `${run}/heap`,
          source: `${M.v8jsMemoryHeapUsed.name}/* (summed)`,
        });
      }
      for (const s of src.scalars(M.tfjsMemoryUsage.name))
        out.push({
          label: src.label(s.run, 'tensors'),
          points: scaled(s.points, 1 / MiB),
          group: `${s.run}/tensors`,
          source: s.tag,
        });
      return out;
    },
  },
];
