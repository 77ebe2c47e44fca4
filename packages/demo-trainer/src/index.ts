export {
  type ArithmeticTaskOptions,
  generateProblems,
  type Operation,
  type Problem,
  type ProblemSet,
  TEMPLATES,
} from './ArithmeticTask.js';
export type { DemoSummary, FirstLast, ValidationPoint } from './DemoSummary.js';
export { DEMO_CONFIG_PATH, loadDemoConfig } from './demoConfig.js';
export { demonstration } from './demonstration.js';
export { type Evaluation, GrpoTrainer } from './GrpoTrainer.js';
export {
  GruPolicy,
  type GruPolicyShape,
  type SampledCompletions,
  type SampleOptions,
  type TokenBatch,
} from './GruPolicy.js';
export { type GrpoLossInputs, type GrpoLossTerms, grpoLoss } from './grpoLoss.js';
export { MetricWindow } from './MetricWindow.js';
export { createRandom, pick, type Random, randomInt, shuffled } from './random.js';
export { type ReportStepOptions, reportStep } from './reportStep.js';
export { antiRepetitionReward, repeatedBigramRatio } from './rewards/antiRepetitionReward.js';
export { correctnessReward, extractAnswer } from './rewards/correctnessReward.js';
export { DEFAULT_REWARDS } from './rewards/defaultRewards.js';
export type { RewardFunction } from './rewards/RewardFunction.js';
export { TOPIC_WHITELIST, topicRelevanceReward, whitelistMatches } from './rewards/topicRelevanceReward.js';
export { xmlFormatReward } from './rewards/xmlFormatReward.js';
export { type DemoProgress, type RunDemoOptions, runDemo } from './runDemo.js';
export type { Completion, StepPhase, StepResult, StepTimings } from './StepResult.js';
export { DEFAULT_TRAINER_OPTIONS, resolveTrainerOptions, type TrainerOptions } from './TrainerOptions.js';
export { tensorMemory } from './tensorMemory.js';
export { EOS, PAD, REASONING_WORDS, splitWords, TAGS, UNK, Vocabulary } from './Vocabulary.js';
export { initWasmBackend, type WasmBackendInfo } from './wasmBackend.js';
