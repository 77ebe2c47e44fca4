import { antiRepetitionReward } from './antiRepetitionReward.js';
import { correctnessReward } from './correctnessReward.js';
import type { RewardFunction } from './RewardFunction.js';
import { topicRelevanceReward } from './topicRelevanceReward.js';
import { xmlFormatReward } from './xmlFormatReward.js';

/** The seed's reward functions; a completion's reward is their sum. */
export const DEFAULT_REWARDS: readonly RewardFunction[] = [
  correctnessReward,
  xmlFormatReward,
  antiRepetitionReward,
  topicRelevanceReward,
];
