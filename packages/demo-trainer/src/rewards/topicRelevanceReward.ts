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

/**
 * 0.1 when the reasoning uses a whitelist word. One word is enough: paying per word made the policy
 * stack them ("total 3 plus 4") and drift from the reference for no gain in correctness.
 */
export const topicRelevanceReward: RewardFunction = {
  name: 'topic_relevance_reward',
  max: 0.1,
  score(completion: string): number {
    return whitelistMatches(completion).length > 0 ? 0.1 : 0;
  },
};
