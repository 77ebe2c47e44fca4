import type { Problem } from './ArithmeticTask.js';
import { pick, type Random } from './random.js';

const ADD_REASONING = [
  (a: number, b: number, c: number) => `${a} + ${b} = ${c}`,
  (a: number, b: number, c: number) => `${a} plus ${b} is ${c}`,
  (a: number, b: number, c: number) => `total ${a} + ${b} = ${c}`,
];
const SUB_REASONING = [
  (a: number, b: number, c: number) => `${a} - ${b} = ${c}`,
  (a: number, b: number, c: number) => `${a} minus ${b} is ${c}`,
  (a: number, b: number, c: number) => `take ${b} from ${a} : ${c}`,
];

/** A worked solution in the seed's format, with one of a few reasoning phrasings (the warm-up's targets). */
export function demonstration(problem: Problem, random: Random): string {
  const reasoning = pick(random, problem.op === '+' ? ADD_REASONING : SUB_REASONING)(
    problem.a,
    problem.b,
    problem.answer,
  );
  return `<reasoning>\n${reasoning}\n</reasoning>\n<answer>\n${problem.answer}\n</answer>`;
}
