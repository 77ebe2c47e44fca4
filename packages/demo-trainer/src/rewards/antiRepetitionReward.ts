import type { RewardFunction } from './RewardFunction.js';

/** Fraction of repeated word bigrams (0: every bigram distinct), tags left out. */
export function repeatedBigramRatio(completion: string): number {
  const words = completion
    .replace(/<\/?[a-z]+>/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0);
  if (words.length < 3) return 0;
  const seen = new Set<string>();
  for (let i = 1; i < words.length; i++) seen.add(`${words[i - 1]} ${words[i]}`);
  return 1 - seen.size / (words.length - 1);
}

/** A penalty for looping: -0.5 x the fraction of repeated word bigrams (0 when nothing repeats). */
export const antiRepetitionReward: RewardFunction = {
  name: 'anti_repetition_reward',
  max: 0,
  score(completion: string): number {
    const r = repeatedBigramRatio(completion);
    return r === 0 ? 0 : -0.5 * r;
  },
};
