import { mulberry32 } from '@grpo-otel/metrics';

/** A seeded source of uniform numbers in [0, 1). */
export type Random = () => number;

/** The demo's seeded generator (mulberry32, from @grpo-otel/metrics): the same seed gives the same run. */
export const createRandom: (seed: number) => Random = mulberry32;

/** An integer in [0, n). */
export function randomInt(random: Random, n: number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}

/** One element of a non-empty array. */
export function pick<T>(random: Random, items: readonly T[]): T {
  return items[randomInt(random, items.length)]!;
}

/** A shuffled copy (Fisher-Yates). */
export function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return out;
}
