import { parseCompletion } from './parseCompletion.js';
import { tokenizeWords } from './tokenizeWords.js';

export interface ReasoningAnswerRatioOptions {
  /** Token counter for a section (default: the number of words, Python's len(text.split())). */
  countTokens?: (text: string) => number;
}

export interface ReasoningAnswerRatio {
  /** sum(reasoning tokens) / sum(answer tokens) over the parsed completions (NaN when the answers have no token). */
  ratio: number;
  /** Mean over parsed completions with a non-empty answer of reasoning tokens / answer tokens (NaN if none). */
  meanRatio: number;
  /** Total reasoning and answer tokens over the parsed completions. */
  reasoningTokens: number;
  answerTokens: number;
  /** Completions having both a reasoning and an answer section ({@link parseCompletion}). */
  parsed: number;
  /** Completions without both sections. */
  skipped: number;
}

/**
 * How many tokens completions spend reasoning per answer token. Sections come from
 * {@link parseCompletion} (first `<reasoning>…</reasoning>`, last `<answer>…`); tokens are counted by
 * `countTokens` (words by default; pass the model tokenizer's count for model tokens).
 */
export function reasoningAnswerRatio(
  texts: readonly string[],
  options?: ReasoningAnswerRatioOptions,
): ReasoningAnswerRatio {
  const count = options?.countTokens ?? ((s: string) => tokenizeWords(s).length);
  let r = 0;
  let a = 0;
  let ratioSum = 0;
  let ratioN = 0;
  let parsed = 0;
  for (const t of texts) {
    const { reasoning, answer } = parseCompletion(t);
    if (reasoning === undefined || answer === undefined) continue;
    const rt = count(reasoning);
    const at = count(answer);
    if (!Number.isFinite(rt) || !Number.isFinite(at) || rt < 0 || at < 0) continue;
    parsed++;
    r += rt;
    a += at;
    if (at > 0) {
      ratioSum += rt / at;
      ratioN++;
    }
  }
  return {
    ratio: a > 0 ? r / a : Number.NaN,
    meanRatio: ratioN > 0 ? ratioSum / ratioN : Number.NaN,
    reasoningTokens: r,
    answerTokens: a,
    parsed,
    skipped: texts.length - parsed,
  };
}
