// Markdown for TensorBoard's text plugin (Python-Markdown with the tables and fenced_code extensions,
// then an HTML sanitizer). Escaping makes untrusted text (model completions, log messages) display
// literally: it can neither inject HTML nor break a table or start a block (heading, list, code).

/** Characters Python-Markdown unescapes after a backslash (its ESCAPED_CHARS, plus `|` for tables). */
const MD_SPECIAL = /[\\`*_{}[\]()#+\-.!|]/g;
const HTML_SPECIAL = /[&<>"']/g;
const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
// C0 controls except tab and line breaks, DEL, C1 controls, and lone surrogates' replacement later.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * `text` as one line of markdown that renders literally: HTML special characters become entities,
 * markdown punctuation is backslash-escaped, line breaks become `<br>`, tabs become spaces and other
 * control characters are removed. Safe inside a table cell and as a paragraph.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(CONTROL, '')
    .replace(/\t/g, ' ')
    .replace(HTML_SPECIAL, (c) => HTML_ENTITIES[c]!)
    .replace(MD_SPECIAL, (c) => `\\${c}`)
    .replace(/\r\n|\r|\n|\u2028|\u2029/g, '<br>');
}

export type MarkdownCell = string | number | boolean | null | undefined;

/** Options of {@link markdownTable}. */
export interface MarkdownTableOptions {
  /** Cells longer than this many characters (before escaping) are cut, ending with `…`. Default 2000. */
  maxCellChars?: number;
}

/**
 * A markdown table (Python-Markdown `tables` syntax) with every header and cell escaped by
 * {@link escapeMarkdown}; numbers are written with up to 6 significant digits, null/undefined as empty.
 */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly MarkdownCell[])[],
  options: MarkdownTableOptions = {},
): string {
  const max = options.maxCellChars ?? 2000;
  const cell = (v: MarkdownCell): string => {
    let s: string;
    if (v === null || v === undefined) s = '';
    else if (typeof v === 'number') s = formatNumber(v);
    else s = String(v);
    if (s.length > max) s = `${s.slice(0, max)}…`;
    const e = escapeMarkdown(s);
    return e === '' ? ' ' : e;
  };
  const line = (cells: readonly MarkdownCell[]): string => {
    const out: string[] = [];
    for (let i = 0; i < header.length; i++) out.push(cell(cells[i]));
    return `| ${out.join(' | ')} |`;
  };
  const lines = [line(header), `|${header.map(() => ' --- ').join('|')}|`];
  for (const r of rows) lines.push(line(r));
  return lines.join('\n');
}

function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(6)));
}
