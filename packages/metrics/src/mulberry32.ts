/**
 * mulberry32: a seeded source of uniform numbers in [0, 1), small, fast and good enough for sampling,
 * shuffling and repeatable test data (not for cryptography). The same seed gives the same sequence;
 * the seed is taken as a 32-bit unsigned integer (`Math.floor(seed) >>> 0`).
 */
export function mulberry32(seed: number): () => number {
  let a = Math.floor(seed) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
