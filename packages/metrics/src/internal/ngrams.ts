import { tokenizeWords } from '../tokenizeWords.js';

/** A completion as text (split into words like Python's str.split()) or as its tokens (ids or strings). */
export type TokenSequence = string | ArrayLike<number | string>;

/** Sequences with each token replaced by an id in 0..vocab-1 (equal tokens by SameValueZero, equal ids). */
export interface Interned {
  seqs: Int32Array[];
  vocab: number;
}

export function intern(sequences: readonly TokenSequence[]): Interned {
  // Fast path: token ids that are already small non-negative integers are used as they are
  // (an Int32Array is not even copied); the vocabulary is then max id + 1.
  let max = -1;
  let direct = true;
  for (const s of sequences) {
    if (typeof s === 'string' || s === null || s === undefined) {
      direct = false;
      break;
    }
    for (let i = 0; i < s.length; i++) {
      const t = s[i];
      if (typeof t !== 'number' || !(t >= 0 && t <= 0x7fffffff) || t !== Math.floor(t)) {
        direct = false;
        break;
      }
      if (t > max) max = t;
    }
    if (!direct) break;
  }
  if (direct) {
    const seqs = sequences.map((s) =>
      s instanceof Int32Array ? s : Int32Array.from(s as ArrayLike<number>),
    );
    return { seqs, vocab: max + 1 };
  }
  const ids = new Map<number | string, number>();
  const seqs: Int32Array[] = [];
  for (const s of sequences) {
    const toks: ArrayLike<number | string> = typeof s === 'string' ? tokenizeWords(s) : (s ?? []);
    const out = new Int32Array(toks.length);
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!;
      let id = ids.get(t);
      if (id === undefined) {
        id = ids.size;
        ids.set(t, id);
      }
      out[i] = id;
    }
    seqs.push(out);
  }
  return { seqs, vocab: ids.size };
}

/**
 * A function giving the key of the n-gram starting at position i of an interned sequence: a number
 * (sum of id * vocab^k) while vocab^n stays below 2^53, else a string.
 */
export function ngramKey(n: number, vocab: number): (seq: Int32Array, i: number) => number | string {
  if (n === 1) return (seq, i) => seq[i]!;
  if (vocab ** n < 2 ** 53) {
    return (seq, i) => {
      let k = 0;
      for (let j = 0; j < n; j++) k = k * vocab + seq[i + j]!;
      return k;
    };
  }
  return (seq, i) => {
    let k = `${seq[i]!}`;
    for (let j = 1; j < n; j++) k += `,${seq[i + j]!}`;
    return k;
  };
}
