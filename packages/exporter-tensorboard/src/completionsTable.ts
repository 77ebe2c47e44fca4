import { type MarkdownCell, type MarkdownTableOptions, markdownTable } from './markdown.js';

/** One sampled completion with its rewards. */
export interface CompletionRow {
  prompt?: string;
  completion: string;
  /** The reward advantages are computed from (the weighted total). */
  reward?: number;
  /** Reward per reward function. */
  rewards?: Readonly<Record<string, number>>;
  /** Extracted answer and the expected one, when the task has them. */
  answer?: string;
  expectedAnswer?: string;
}

/**
 * A markdown table of sampled completions and their rewards for TensorBoard's text plugin: columns
 * `#`, then `prompt`, `completion`, `answer`, `expected` when any row has them, `reward`, and one
 * column per reward function (sorted by name). Every cell is escaped (see `escapeMarkdown`), so a
 * completion containing `|`, newlines or HTML cannot break the table or inject markup.
 */
export function completionsTable(rows: readonly CompletionRow[], options: MarkdownTableOptions = {}): string {
  const has = (k: keyof CompletionRow): boolean => rows.some((r) => r[k] !== undefined);
  const functions = [...new Set(rows.flatMap((r) => Object.keys(r.rewards ?? {})))].sort();
  const cols: { title: string; get: (r: CompletionRow, i: number) => MarkdownCell }[] = [
    { title: '#', get: (_r, i) => i + 1 },
  ];
  if (has('prompt')) cols.push({ title: 'prompt', get: (r) => r.prompt });
  cols.push({ title: 'completion', get: (r) => r.completion });
  if (has('answer')) cols.push({ title: 'answer', get: (r) => r.answer });
  if (has('expectedAnswer')) cols.push({ title: 'expected', get: (r) => r.expectedAnswer });
  if (has('reward')) cols.push({ title: 'reward', get: (r) => r.reward });
  for (const f of functions) cols.push({ title: f, get: (r) => r.rewards?.[f] });
  return markdownTable(
    cols.map((c) => c.title),
    rows.map((r, i) => cols.map((c) => c.get(r, i))),
    options,
  );
}
