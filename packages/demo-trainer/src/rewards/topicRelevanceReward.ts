import { extractTag } from '@grpo-otel/sdk';
import type { RewardFunction } from './RewardFunction.js';

/** Words that show the reasoning is about the arithmetic at hand (the seed's whitelist). */
export const TOPIC_WHITELIST: readonly string[] = [
  'add',
  'plus',
  'sum',
  'total',
  'altogether',
  'more',
  'minus',
  'subtract',
  'take',
  'left',
];

/** The distinct whitelist words in the completion's reasoning (the whole text when it has no tags). */
export function whitelistMatches(
  completion: string,
  whitelist: readonly string[] = TOPIC_WHITELIST,
): string[] {
  const reasoning = extractTag(completion, 'reasoning') ?? completion;
  const words = new Set(reasoning.toLowerCase().split(/[^a-z]+/));
  return whitelist.filter((w) => words.has(w));
}

/** 0.1 per distinct whitelist word in the reasoning, at most 0.2. */
export const topicRelevanceReward: RewardFunction = {
  name: 'topic_relevance_reward',
  max: 0.2,
  score(completion: string): number {
    return Math.min(0.2, 0.1 * whitelistMatches(completion).length);
  },
};
