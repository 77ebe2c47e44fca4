import { QUESTION_NAMES, TEMPLATES } from './ArithmeticTask.js';

/** Special tokens: padding, end of completion, unknown word. */
export const PAD = '<pad>';
export const EOS = '<eos>';
export const UNK = '<unk>';
/** The seed's answer format, one token per tag. */
export const TAGS = ['<reasoning>', '</reasoning>', '<answer>', '</answer>'] as const;

/** Words a completion's reasoning uses (demonstrations) or may use (the topic whitelist). */
export const REASONING_WORDS = [
  'plus',
  'minus',
  'is',
  'add',
  'and',
  'sum',
  'of',
  'total',
  'take',
  'from',
  'subtract',
  'left',
  'more',
  'altogether',
  '+',
  '-',
  '=',
  ':',
] as const;

const WORD_PATTERN = /<\/?[a-z]+>|\d+|[a-z]+|[^\s\w]/g;

/** Splits text into word, number and punctuation tokens (lowercased; tags kept whole). */
export function splitWords(text: string): string[] {
  return text.toLowerCase().match(WORD_PATTERN) ?? [];
}

/**
 * The policy's vocabulary: a few hundred words would be a real tokenizer; here it is every word of
 * the task's questions, the numbers 0..maxNumber, the answer-format tags and the reasoning words.
 * Ids are stable for a given `maxNumber`.
 */
export class Vocabulary {
  readonly tokens: readonly string[];
  readonly padId: number;
  readonly eosId: number;
  readonly unkId: number;
  private readonly ids: Map<string, number>;
  private readonly tagIds: ReadonlySet<number>;

  constructor(maxNumber: number) {
    const words = new Set<string>();
    for (const op of ['+', '-'] as const) {
      for (const t of TEMPLATES[op])
        for (const name of QUESTION_NAMES) for (const w of splitWords(t(1, 2, name))) words.add(w);
    }
    for (const w of REASONING_WORDS) words.add(w);
    const numbers = Array.from({ length: maxNumber + 1 }, (_, i) => String(i));
    for (const n of numbers) words.delete(n);
    this.tokens = [PAD, EOS, UNK, ...TAGS, ...numbers, ...[...words].sort()];
    this.ids = new Map(this.tokens.map((t, i) => [t, i]));
    this.padId = 0;
    this.eosId = 1;
    this.unkId = 2;
    this.tagIds = new Set(TAGS.map((t) => this.ids.get(t)!));
  }

  get size(): number {
    return this.tokens.length;
  }

  /** The id of a token (the unknown id for words outside the vocabulary). */
  id(token: string): number {
    return this.ids.get(token) ?? this.unkId;
  }

  /** Token ids of a text (a question, or a completion written in the answer format). */
  encode(text: string): number[] {
    return splitWords(text).map((w) => this.id(w));
  }

  /**
   * The text of completion tokens, up to the first end token: each tag on its own line, the words in
   * between joined by spaces (`<reasoning>\n3 + 4 = 7\n</reasoning>\n<answer>\n7\n</answer>`).
   */
  decode(ids: readonly number[]): string {
    const lines: string[] = [];
    let words: string[] = [];
    for (const id of ids) {
      if (id === this.eosId || id === this.padId) break;
      const token = this.tokens[id] ?? UNK;
      if (this.tagIds.has(id)) {
        if (words.length) lines.push(words.join(' '));
        lines.push(token);
        words = [];
      } else {
        words.push(token);
      }
    }
    if (words.length) lines.push(words.join(' '));
    return lines.join('\n');
  }
}
