// Markdown for TensorBoard's text plugin (Python-Markdown with the tables and fenced_code extensions,
// then an HTML sanitizer). Escaping makes untrusted text (model completions, log messages) display
// literally: it can neither inject HTML nor break a table or start a block (heading, list, code).

/**
 * What each UTF-16 code unit below 0xa0 becomes, or undefined to keep it: Python-Markdown's
 * ESCAPED_CHARS (plus `|` for tables) get a backslash, HTML special characters become entities (the
 * `#` of `&#39;` escaped too), tabs become spaces, line breaks `<br>` (CR LF once), other C0 and C1
 * controls and DEL are removed. U+2028 and U+2029 also become `<br>`.
 */
const REPLACEMENT: (string | undefined)[] = new Array(0xa0);
for (let c = 0; c <= 0x1f; c++) REPLACEMENT[c] = '';
for (let c = 0x7f; c <= 0x9f; c++) REPLACEMENT[c] = '';
REPLACEMENT[0x09] = ' ';
REPLACEMENT[0x0a] = '<br>';
REPLACEMENT[0x0d] = '<br>';
for (const ch of '\\`*_{}[]()#+-.!|') REPLACEMENT[ch.charCodeAt(0)] = `\\${ch}`;
REPLACEMENT['&'.charCodeAt(0)] = '&amp;';
REPLACEMENT['<'.charCodeAt(0)] = '&lt;';
REPLACEMENT['>'.charCodeAt(0)] = '&gt;';
REPLACEMENT['"'.charCodeAt(0)] = '&quot;';
REPLACEMENT["'".charCodeAt(0)] = '&\\#39;';

/**
 * `text` as one line of markdown that renders literally: HTML special characters become entities,
 * markdown punctuation is backslash-escaped, line breaks become `<br>`, tabs become spaces and other
 * control characters are removed. Safe inside a table cell and as a paragraph. One pass; text with
 * nothing to escape is returned as is.
 */
export function escapeMarkdown(text: string): string {
  let out = '';
  let from = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let r: string | undefined;
    if (c < 0xa0) {
      r = REPLACEMENT[c];
      if (r === undefined) continue;
      // CR LF is one line break.
      if (c === 0x0d && i + 1 < n && text.charCodeAt(i + 1) === 0x0a) {
        out += text.slice(from, i) + r;
        from = ++i + 1;
        continue;
      }
    } else if (c === 0x2028 || c === 0x2029) {
      r = '<br>';
    } else {
      continue;
    }
    out += text.slice(from, i) + r;
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
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
