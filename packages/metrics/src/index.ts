// Reward statistics

export { type AutoHistogram, type AutoHistogramOptions, autoHistogram } from './autoHistogram.js';
export { type BucketCounts, mergeBucketCounts } from './BucketCounts.js';
export { CollapseDetector, type CollapseDetectorOptions, type CollapseUpdate } from './CollapseDetector.js';
export { type AnswerOutcome, classifyAnswer } from './classifyAnswer.js';
export { type ClippedRatio, type ClippedRatioInput, clippedRatio } from './clippedRatio.js';
export { codePointLength } from './codePointLength.js';
export { type CorrectnessRate, correctnessRate } from './correctnessRate.js';
export { type DistinctN, distinctN } from './distinctN.js';
export { type DuplicateCompletions, duplicateCompletions } from './duplicateCompletions.js';
export { ExponentialMovingAverage } from './ExponentialMovingAverage.js';
export { extractNumericAnswer, type NumericAnswer } from './extractNumericAnswer.js';
export { type FormatAdherence, formatAdherence } from './formatAdherence.js';
export {
  type GroupAdvantages,
  type GroupAdvantagesOptions,
  groupAdvantages,
  type ScaleRewards,
} from './groupAdvantages.js';
export {
  type HallucinationItem,
  type HallucinationRate,
  type Hallucinations,
  hallucinationRate,
  hallucinations,
} from './hallucinationRate.js';
export { type Histogram, histogram } from './histogram.js';
export type { GroupingOptions } from './internal/groups.js';
export type { TokenSequence } from './internal/ngrams.js';
// Task metrics
export type { NumericTolerance } from './internal/numbers.js';
// Detectors
export type { Smoothing } from './internal/smoother.js';
export { type KlAggregate, type KlEstimates, klEstimates } from './klEstimates.js';
export {
  type LengthDistribution,
  type LengthDistributionInput,
  lengthDistribution,
} from './lengthDistribution.js';
export { type MovingAverageOptions, movingAverage } from './movingAverage.js';
export { mulberry32 } from './mulberry32.js';
export { PlateauDetector, type PlateauDetectorOptions, type PlateauUpdate } from './PlateauDetector.js';
export { pairwiseCorrelations, type RewardCorrelation } from './pairwiseCorrelations.js';
export { type ParsedCompletion, parseCompletion } from './parseCompletion.js';
export { pearson } from './pearson.js';
export { RollingWindow } from './RollingWindow.js';
export { RunningStats, type RunningStatsState } from './RunningStats.js';
export { rank } from './rank.js';
export {
  type ReasoningAnswerRatio,
  type ReasoningAnswerRatioOptions,
  reasoningAnswerRatio,
} from './reasoningAnswerRatio.js';
export {
  type Completeness,
  type CompletenessItem,
  completeness,
  type ReasoningCompleteness,
  type RequiredStep,
  reasoningCompleteness,
} from './reasoningCompleteness.js';
export { type RepetitionRate, repetitionRate } from './repetitionRate.js';
export { type RewardStatistics, type RewardStatisticsOptions, rewardStatistics } from './rewardStatistics.js';
export { StepWindow } from './StepWindow.js';
export { spearman } from './spearman.js';
export { type SummarizeOptions, type Summary, summarize } from './summarize.js';
// Generation quality
export {
  isUsableEntropy,
  type LogprobMatrix,
  type TokenEntropy,
  type TokenEntropyInput,
  type TokenEntropyOptions,
  type TopKEntropy,
  tokenEntropy,
} from './tokenEntropy.js';
export { tokenizeWords } from './tokenizeWords.js';
export { weightedTotal } from './weightedTotal.js';
export { type XmlFormat, xmlFormat } from './xmlFormat.js';
