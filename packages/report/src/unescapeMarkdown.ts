const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
};

/**
 * The inverse of the TensorBoard exporter's `escapeMarkdown`: `<br>` back to a line break,
 * backslash escapes back to their character, then the five HTML entities back to `& < > " '`.
 * (The control characters `escapeMarkdown` removed stay removed; its tabs stay spaces.)
 */
export function unescapeMarkdown(text: string): string {
  return text
    .replace(/<br>/g, '\n')
    .replace(/\\([\s\S])/g, '$1')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ENTITIES[e]!);
}
