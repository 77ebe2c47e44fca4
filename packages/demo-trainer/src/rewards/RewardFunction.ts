import type { Problem } from '../ArithmeticTask.js';

/** A reward function of the seed: scores one completion of a problem. Named as in the seed's logs. */
export interface RewardFunction {
  readonly name: string;
  /** Highest score it gives (for reading the logs). */
  readonly max: number;
  score(completion: string, problem: Problem): number;
}
