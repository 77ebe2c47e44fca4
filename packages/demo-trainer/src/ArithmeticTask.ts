import { createRandom, pick, type Random, shuffled } from './random.js';

export type Operation = '+' | '-';

/** One word problem: `a op b`, phrased by one of the templates. */
export interface Problem {
  /** Stable id, e.g. `add-3-4-t2`. */
  id: string;
  question: string;
  a: number;
  b: number;
  op: Operation;
  answer: number;
  /** Which phrasing (index into the operation's templates). */
  template: number;
}

/** The train and the held-out validation problems; no question is in both. */
export interface ProblemSet {
  train: Problem[];
  validation: Problem[];
}

export interface ArithmeticTaskOptions {
  /** Largest operand (operands run from 1). Default 9. */
  maxOperand?: number;
  /** Fraction of the problems held out for validation. Default 0.2. */
  validationFraction?: number;
}

const NAMES = ['Tom', 'Ana', 'Sam', 'Mia'] as const;

type Template = (a: number, b: number, name: string) => string;

/** Phrasings per operation. Every word in them is in the policy's vocabulary. */
export const TEMPLATES: Readonly<Record<Operation, readonly Template[]>> = {
  '+': [
    (a, b) => `What is ${a}+${b}?`,
    (a, b) => `What is the sum of ${a} and ${b}?`,
    (a, b, n) => `${n} has ${a} apples and gets ${b} more. How many?`,
    (a, b) => `${a} birds and ${b} more birds. How many birds?`,
  ],
  '-': [
    (a, b) => `What is ${a}-${b}?`,
    (a, b) => `What is ${a} minus ${b}?`,
    (a, b, n) => `${n} has ${a} apples and gives away ${b}. How many are left?`,
    (a, b) => `${a} birds and ${b} fly away. How many are left?`,
  ],
};

/** Names that may appear in questions (for the vocabulary). */
export const QUESTION_NAMES: readonly string[] = NAMES;

function problem(op: Operation, a: number, b: number, template: number, random: Random): Problem {
  const phrase = TEMPLATES[op][template]!;
  return {
    id: `${op === '+' ? 'add' : 'sub'}-${a}-${b}-t${template}`,
    question: phrase(a, b, pick(random, NAMES)),
    a,
    b,
    op,
    answer: op === '+' ? a + b : a - b,
    template,
  };
}

/**
 * Every problem of the task (additions of 1..maxOperand, subtractions with a non-negative result, in
 * each phrasing), shuffled by `seed` and split into train and validation. The split is by question:
 * a validation question never appears in training (the same sum may, phrased differently).
 */
export function generateProblems(seed: number, options: ArithmeticTaskOptions = {}): ProblemSet {
  const maxOperand = options.maxOperand ?? 9;
  const fraction = options.validationFraction ?? 0.2;
  const random = createRandom(seed ^ 0x5eed);
  const all: Problem[] = [];
  for (const op of ['+', '-'] as const) {
    for (let a = 1; a <= maxOperand; a++) {
      for (let b = 1; b <= maxOperand; b++) {
        if (op === '-' && b > a) continue;
        for (let t = 0; t < TEMPLATES[op].length; t++) all.push(problem(op, a, b, t, random));
      }
    }
  }
  const mixed = shuffled(random, all);
  const nValidation = Math.max(1, Math.round(mixed.length * fraction));
  return { validation: mixed.slice(0, nValidation), train: mixed.slice(nValidation) };
}
