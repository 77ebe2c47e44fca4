import {
  CollapseDetector,
  clippedRatio,
  correctnessRate,
  distinctN,
  duplicateCompletions,
  formatAdherence,
  groupAdvantages,
  hallucinationRate,
  klEstimates,
  lengthDistribution,
  PlateauDetector,
  pairwiseCorrelations,
  reasoningAnswerRatio,
  reasoningCompleteness,
  repetitionRate,
  rewardStatistics,
  StepWindow,
  summarize,
  tokenEntropy,
  weightedTotal,
} from '@grpo-otel/metrics';
import {
  ATTR_GRPO_CORRELATION_METHOD,
  ATTR_GRPO_FORMAT_MODE,
  ATTR_GRPO_KL_ESTIMATOR,
  ATTR_GRPO_NGRAM_N,
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_REWARD_OTHER_FUNCTION,
  ATTR_GRPO_SPLIT,
  ATTR_GRPO_WINDOW_SIZE,
  METRICS,
  type MetricDefinition,
  REWARD_FUNCTION_TOTAL,
} from '@grpo-otel/semconv';
import type { AnalysisResult, HistogramValue, PointAttributes, SignalEvent } from './AnalysisResult.js';
import { GaugeEncoder } from './GaugeEncoder.js';
import type { AnalysisSettings, GenerationJob, GenerationReference, RewardJob } from './protocol.js';
import { toHistogram } from './toHistogram.js';

const TRAIN = { [ATTR_GRPO_SPLIT]: 'train' } as const;
/** n of the n-grams in the repetition rate (rep-n). */
const REPETITION_N = 4;

function fmt(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

/**
 * Computes the GRPO learning metrics of a step from its raw data, off the training thread. Holds the
 * state that spans steps: moving-average windows and plateau/collapse detectors per reward function.
 * Pure computation (no I/O, no OTel): the main thread records what it returns.
 */
export class Analyzer {
  private readonly windows = new Map<string, StepWindow>();
  private readonly plateaus = new Map<string, PlateauDetector>();
  private readonly entropyCollapse: CollapseDetector | undefined;
  /** The first moving-average total reward, the baseline the efficiency ratios measure gains from. */
  private baselineReward: number | undefined;
  private readonly diversityCollapse: CollapseDetector | undefined;
  /** Numbers the gauge series for the messages to the training thread. */
  private readonly gauges = new GaugeEncoder();

  constructor(private readonly settings: AnalysisSettings) {
    const c = settings.collapse;
    const opts = (threshold: number | undefined) => ({
      ...(threshold !== undefined ? { threshold } : {}),
      ...(c.maxDrop !== undefined ? { maxDrop: c.maxDrop } : {}),
      window: c.window,
    });
    if (c.entropyThreshold !== undefined || c.maxDrop !== undefined)
      this.entropyCollapse = new CollapseDetector(opts(c.entropyThreshold));
    if (c.diversityThreshold !== undefined || c.maxDrop !== undefined)
      this.diversityCollapse = new CollapseDetector(opts(c.diversityThreshold));
  }

  analyze(job: RewardJob | GenerationJob): AnalysisResult {
    return job.kind === 'rewards' ? this.analyzeRewards(job) : this.analyzeGenerations(job);
  }

  analyzeRewards(job: RewardJob): AnalysisResult {
    const t0 = performance.now();
    const gauges = this.gauges;
    gauges.begin();
    const histograms: HistogramValue[] = [];
    const signals: SignalEvent[] = [];
    const gauge = (def: MetricDefinition, value: number, attributes: PointAttributes) => {
      if (Number.isFinite(value)) gauges.add(def.name, value, attributes);
    };
    const window = job.historyWindow ?? this.settings.historyWindow;
    const names = Object.keys(job.rewards);
    // The steps since the previous job first (windows and detectors count steps), then this one's.
    const last = new Map<string, SignalEvent>();
    const feed = (fn: string, step: number, mean: number, objective: boolean): void => {
      const e = this.feedReward(fn, step, mean, window, objective);
      if (!e) return;
      if (e.fired) signals.push(e);
      last.set(fn, e);
    };
    for (const h of job.history ?? []) {
      const fns = Object.keys(h.means);
      for (const fn of fns) feed(fn, h.step, h.means[fn]!, this.isObjective(fn, fns));
    }
    const finish = (summary: string, summaryAttributes: PointAttributes): AnalysisResult => ({
      kind: 'rewards',
      step: job.step,
      gauges: gauges.finish(),
      histograms,
      signals,
      summary,
      summaryAttributes,
      workerMs: performance.now() - t0,
    });
    if (names.length === 0) {
      // Only the means of earlier steps: the detectors' states, no summary.
      for (const e of last.values()) if (!e.fired) signals.push(e);
      return finish('', {});
    }
    const stats = rewardStatistics(job.rewards, job.weights ? { weights: job.weights } : {});
    const series: [string, ArrayLike<number>, ReturnType<typeof summarize>][] = names.map((n) => [
      n,
      job.rewards[n]!,
      stats.functions[n]!,
    ]);
    if (names.length > 1)
      series.push([REWARD_FUNCTION_TOTAL, weightedTotal(job.rewards, job.weights), stats.total]);
    const seriesNames = series.map(([fn]) => fn);
    const parts: string[] = [];
    for (const [fn, values, s] of series) {
      const attrs = { [ATTR_GRPO_REWARD_FUNCTION]: fn, ...TRAIN };
      gauge(METRICS.rewardMean, s.mean, attrs);
      gauge(METRICS.rewardStd, s.std, attrs);
      gauge(METRICS.rewardMin, s.min, attrs);
      gauge(METRICS.rewardMax, s.max, attrs);
      gauge(METRICS.rewardMedian, s.median, attrs);
      histograms.push(toHistogram(METRICS.rewardValue, values, attrs));
      if (Number.isFinite(s.mean)) feed(fn, job.step, s.mean, this.isObjective(fn, seriesNames));
      const w = this.windows.get(fn);
      if (w && w.count > 0)
        gauge(METRICS.rewardMovingAverage, w.mean, { ...attrs, [ATTR_GRPO_WINDOW_SIZE]: window });
      const e = last.get(fn);
      if (e && !e.fired) signals.push(e);
      if (job.groupSize && job.groupSize > 1) {
        const g = groupAdvantages(values, { groupSize: job.groupSize });
        gauge(METRICS.rewardZeroStdRatio, g.fracRewardZeroStd, attrs);
        gauge(METRICS.rewardMeanGroupStd, summarize(g.groupStds).mean, attrs);
        histograms.push(toHistogram(METRICS.rewardGroupStd, g.groupStds, attrs));
        if (fn === REWARD_FUNCTION_TOTAL || names.length === 1) {
          const a = summarize(g.advantages);
          gauge(METRICS.advantageMean, a.mean, {});
          gauge(METRICS.advantageStd, a.std, {});
          gauge(METRICS.advantageMin, a.min, {});
          gauge(METRICS.advantageMax, a.max, {});
          histograms.push(toHistogram(METRICS.advantageValue, g.advantages, {}));
        }
      }
      parts.push(`${fn}=${fmt(s.mean)}±${fmt(s.std)}`);
    }
    // Computation-to-performance: reward gained (moving average of the total, or of the only function)
    // since the first logged step, per hour, per CPU-second and per token.
    const headline = this.windows.get(names.length > 1 ? REWARD_FUNCTION_TOTAL : (names[0] ?? ''));
    if (headline && headline.count > 0) {
      const ma = headline.mean;
      this.baselineReward ??= ma;
      const gain = ma - this.baselineReward;
      // process.cpuUsage is process-wide (all threads), so the worker reads it, not the training thread.
      const cpu = process.cpuUsage();
      const cpuS = (cpu.user + cpu.system - this.settings.cpuAtStartUs) / 1e6;
      const elapsedS = (Date.now() - this.settings.startedAtMs) / 1000;
      if (elapsedS > 0) gauge(METRICS.efficiencyRewardGain, gain / (elapsedS / 3600), {});
      if (cpuS > 0) gauge(METRICS.efficiencyCpuRewardGain, gain / cpuS, {});
      const tokens = job.tokens ?? 0;
      if (gain > 0 && tokens > 0) gauge(METRICS.efficiencyTokenCost, tokens / gain, {});
    }
    for (const c of pairwiseCorrelations(job.rewards)) {
      const attrs = { [ATTR_GRPO_REWARD_FUNCTION]: c.a, [ATTR_GRPO_REWARD_OTHER_FUNCTION]: c.b, ...TRAIN };
      gauge(METRICS.rewardCorrelation, c.pearson, { ...attrs, [ATTR_GRPO_CORRELATION_METHOD]: 'pearson' });
      gauge(METRICS.rewardCorrelation, c.spearman, { ...attrs, [ATTR_GRPO_CORRELATION_METHOD]: 'spearman' });
    }
    const summaryAttributes: PointAttributes = {};
    for (const [fn, , s] of series)
      if (Number.isFinite(s.mean)) summaryAttributes[`grpo.reward.mean.${fn}`] = s.mean;
    return finish(`rewards at step ${job.step}: ${parts.join(', ')}`, summaryAttributes);
  }

  /** Whether `fn` is the run's objective among the series `fns` (`total`, or the only function). */
  private isObjective(fn: string, fns: readonly string[]): boolean {
    const objective = this.settings.plateau.objective;
    if (fn === objective) return true;
    const own = fns.filter((f) => f !== REWARD_FUNCTION_TOTAL);
    return objective === REWARD_FUNCTION_TOTAL && own.length === 1 && own[0] === fn;
  }

  /**
   * One step's mean reward of `fn` into its step window and plateau detector. Returns the plateau
   * detector's state, or undefined when the value is not finite or its step is not after the last.
   */
  private feedReward(
    fn: string,
    step: number,
    mean: number,
    window: number,
    objective: boolean,
  ): SignalEvent | undefined {
    if (!Number.isFinite(mean)) return undefined;
    let w = this.windows.get(fn);
    if (!w || w.steps !== window) {
      w = new StepWindow(window);
      this.windows.set(fn, w);
    }
    w.push(step, mean);
    let p = this.plateaus.get(fn);
    if (!p) {
      p = new PlateauDetector(this.settings.plateau);
      this.plateaus.set(fn, p);
    }
    const skipped = p.skipped;
    const u = p.update(mean, step);
    if (p.skipped !== skipped) return undefined;
    return {
      kind: 'reward_plateau',
      subject: fn,
      step,
      objective,
      active: u.plateau,
      fired: u.fired,
      value: u.smoothed,
      detail: `smoothed ${fn} reward ${fmt(u.smoothed)} improved by ${fmt(u.improvement)} over the last ${p.window} steps (min delta ${p.minDelta})`,
    };
  }

  analyzeGenerations(job: GenerationJob): AnalysisResult {
    const t0 = performance.now();
    const gauges = this.gauges;
    gauges.begin();
    const histograms: HistogramValue[] = [];
    const signals: SignalEvent[] = [];
    const gauge = (def: MetricDefinition, value: number, attributes: PointAttributes = TRAIN) => {
      if (Number.isFinite(value)) gauges.add(def.name, value, attributes);
    };
    const texts: string[] = [];
    for (let i = 0, at = 0; i < job.textLengths.length; i++) {
      texts.push(job.textBlob.slice(at, at + job.textLengths[i]!));
      at += job.textLengths[i]!;
    }
    const references = job.referencesJson
      ? (JSON.parse(job.referencesJson) as GenerationReference[])
      : undefined;
    const n = texts.length;
    const tokenCounts = job.tokenCounts ? Float64Array.from(job.tokenCounts) : undefined;
    const lengths = lengthDistribution({ texts: texts, ...(tokenCounts ? { tokenCounts } : {}) });
    const parts: string[] = [`${n} completions`];
    if (lengths.tokens && tokenCounts) {
      gauge(METRICS.completionMeanLength, lengths.tokens.mean);
      gauge(METRICS.completionMinLength, lengths.tokens.min);
      gauge(METRICS.completionMaxLength, lengths.tokens.max);
      histograms.push(toHistogram(METRICS.completionLength, tokenCounts, TRAIN));
      parts.push(`length ${fmt(lengths.tokens.mean)} tokens`);
      if (job.terminated || job.maxTokens !== undefined) {
        const c = clippedRatio({
          tokenCounts,
          ...(job.maxTokens !== undefined ? { maxTokens: job.maxTokens } : {}),
          ...(job.terminated ? { terminated: Array.from(job.terminated, (x) => x === 1) } : {}),
        });
        gauge(METRICS.completionClippedRatio, c.ratio);
        if (job.terminated) {
          const term = tokenCounts.filter((_, i) => job.terminated![i] === 1);
          const ts = summarize(term);
          gauge(METRICS.completionMeanTerminatedLength, ts.mean);
          gauge(METRICS.completionMinTerminatedLength, ts.min);
          gauge(METRICS.completionMaxTerminatedLength, ts.max);
        }
      }
    }
    if (lengths.chars) {
      gauge(METRICS.completionMeanCharLength, lengths.chars.mean);
      histograms.push(
        toHistogram(
          METRICS.completionCharLength,
          texts.map((t) => t.length),
          TRAIN,
        ),
      );
    }
    const fa = formatAdherence(texts);
    gauge(METRICS.completionFormatAdherence, fa.strict, { ...TRAIN, [ATTR_GRPO_FORMAT_MODE]: 'strict' });
    gauge(METRICS.completionFormatAdherence, fa.lenient, { ...TRAIN, [ATTR_GRPO_FORMAT_MODE]: 'lenient' });
    parts.push(`format ${fmt(fa.strict)} strict / ${fmt(fa.lenient)} lenient`);
    gauge(METRICS.completionReasoningAnswerRatio, reasoningAnswerRatio(texts).ratio);

    let trainingAccuracy: number | undefined;
    if (references?.length) {
      const refs = references;
      const cr = correctnessRate(
        texts,
        refs.map((r) => r.answer),
      );
      gauge(METRICS.taskAccuracy, cr.rate, {});
      if (cr.total > 0) gauge(METRICS.taskAnswerExtractedRatio, 1 - cr.unparsed / cr.total);
      if (Number.isFinite(cr.rate)) {
        trainingAccuracy = cr.rate;
        parts.push(`correct ${fmt(cr.rate)}`);
      }
      const withSteps = refs.map((r, i) => ({ completion: texts[i] ?? '', required: r.steps ?? [] }));
      if (withSteps.some((x) => x.required.length > 0)) {
        gauge(METRICS.taskReasoningCompleteness, reasoningCompleteness(withSteps).value);
      }
      const withReasoning = refs.flatMap((r, i) =>
        r.reasoning !== undefined || r.steps !== undefined
          ? [
              {
                completion: texts[i] ?? '',
                question: r.question ?? '',
                referenceSteps: r.reasoning ?? r.steps ?? [],
              },
            ]
          : [],
      );
      if (withReasoning.length) gauge(METRICS.taskHallucinationRatio, hallucinationRate(withReasoning).value);
    }

    const sample = job.sample;
    let invalidValues = 0;
    if (sample && sample.indices.length > 0) {
      const { offsets } = sample;
      const m = sample.indices.length;
      const seqs = (arr: Int32Array | Float64Array): ArrayLike<number>[] =>
        Array.from({ length: m }, (_, j) => arr.subarray(offsets[j]!, offsets[j + 1]!));
      // Entropy: from full per-token distributions when given, else from the trainer's per-token
      // entropies, else from sampled token frequencies.
      let entropy: ReturnType<typeof tokenEntropy> | undefined;
      if (sample.distributions && sample.width) {
        const w = sample.width;
        const rows = Math.floor(sample.distributions.length / w);
        entropy = tokenEntropy({ logprobs: { data: sample.distributions.subarray(0, rows * w), width: w } });
        // The other per-token values were checked on the training thread; these rows only here.
        invalidValues = Math.max(0, entropy.skipped - (sample.distributionPaddingRows ?? 0));
      } else if (sample.entropies) {
        entropy = tokenEntropy({ entropies: seqs(sample.entropies) });
      } else if (sample.tokens) {
        entropy = tokenEntropy({ tokens: seqs(sample.tokens) });
      }
      if (entropy && Number.isFinite(entropy.value)) {
        gauge(METRICS.policyEntropy, entropy.value, {});
        parts.push(`entropy ${fmt(entropy.value)} (${entropy.method})`);
        if (this.entropyCollapse)
          signals.push(
            collapse('entropy_collapse', 'entropy', this.entropyCollapse, entropy.value, job.step),
          );
      }
      if (sample.logprobs && sample.refLogprobs) {
        const kl = klEstimates(seqs(sample.logprobs), seqs(sample.refLogprobs));
        gauge(METRICS.policyKl, kl.k1.tokenMean, { [ATTR_GRPO_KL_ESTIMATOR]: 'k1' });
        gauge(METRICS.policyKl, kl.k3.tokenMean, { [ATTR_GRPO_KL_ESTIMATOR]: 'k3' });
        parts.push(`kl ${fmt(kl.k3.tokenMean)} (k3)`);
      }
      const sequences = sample.tokens ? seqs(sample.tokens) : Array.from(sample.indices, (i) => texts[i]!);
      let distinct2 = Number.NaN;
      for (const k of [1, 2, 3]) {
        const d = distinctN(sequences, k);
        if (k === 2) distinct2 = d.value;
        gauge(METRICS.completionDistinctNgramRatio, d.value, { ...TRAIN, [ATTR_GRPO_NGRAM_N]: k });
      }
      if (Number.isFinite(distinct2)) {
        parts.push(`distinct-2 ${fmt(distinct2)}`);
        if (this.diversityCollapse)
          signals.push(
            collapse('diversity_collapse', 'distinct-2', this.diversityCollapse, distinct2, job.step),
          );
      }
      gauge(METRICS.completionRepetitionRatio, repetitionRate(sequences, REPETITION_N).value, {
        ...TRAIN,
        [ATTR_GRPO_NGRAM_N]: REPETITION_N,
      });
    }
    gauge(
      METRICS.completionDuplicateRatio,
      duplicateCompletions(texts, job.groupSize ? { groupSize: job.groupSize } : {}).rate,
    );
    return {
      kind: 'generations',
      step: job.step,
      gauges: gauges.finish(),
      histograms,
      signals,
      summary: `generations at step ${job.step}: ${parts.join(', ')}`,
      summaryAttributes: { 'grpo.completion.count': n },
      ...(trainingAccuracy !== undefined ? { trainingAccuracy } : {}),
      ...(invalidValues > 0 ? { invalidValues } : {}),
      workerMs: performance.now() - t0,
    };
  }
}

function collapse(
  kind: 'entropy_collapse' | 'diversity_collapse',
  subject: string,
  d: CollapseDetector,
  value: number,
  step: number,
): SignalEvent {
  const u = d.update(value, step);
  return {
    kind,
    subject,
    active: u.collapsed,
    fired: u.fired,
    value: u.value,
    detail: u.reason
      ? `${subject} ${fmt(u.value)} ${u.reason === 'below-threshold' ? `below ${d.threshold}` : `fell by ${fmt(u.drop)} over ${d.window} steps`}`
      : `${subject} ${fmt(u.value)}`,
  };
}
