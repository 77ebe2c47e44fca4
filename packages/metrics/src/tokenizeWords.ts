import { isPythonSpace } from './internal/text.js';

/**
 * Splits text into words at runs of whitespace, exactly as Python's `str.split()` with no argument
 * (leading and trailing whitespace ignored; Python's whitespace set, see `isPythonSpace`). The word
 * tokenizer of the text metrics (distinct-n, repetition, reasoning/answer ratio) when no model tokens are given.
 */
export function tokenizeWords(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    if (isPythonSpace(text.charCodeAt(i))) {
      if (start >= 0) {
        out.push(text.slice(start, i));
        start = -1;
      }
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) out.push(text.slice(start));
  return out;
}
