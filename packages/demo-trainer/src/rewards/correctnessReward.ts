import { extractTag } from '@grpo-otel/sdk';
import type { Problem } from '../ArithmeticTask.js';
import type { RewardFunction } from './RewardFunction.js';

/** The number in the completion's `<answer>` part, if it holds exactly one integer. */
export function extractAnswer(completion: string): number | undefined {
  const answer = extractTag(completion, 'answer');
  if (answer === undefined || !/^-?\d+$/.test(answer)) return undefined;
  return Number(answer);
}

/** 1 when the `<answer>` is the problem's answer, else 0. */
export const correctnessReward: RewardFunction = {
  name: 'correctness_reward',
  max: 1,
  score(completion: string, problem: Problem): number {
    return extractAnswer(completion) === problem.answer ? 1 : 0;
  },
};
