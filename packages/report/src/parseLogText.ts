import { unescapeMarkdown } from './unescapeMarkdown.js';

/** One log record as the TensorBoard log exporter wrote it into a text summary. */
export interface LogTextRecord {
  /** ISO 8601 time, or `-` when the record had none. */
  time: string;
  level: string;
  message: string;
  /** Attribute values as written: strings, numbers and JSON of arrays, each possibly cut with `…`. */
  attributes: Record<string, string>;
}

// `time` **LEVEL** message — the level is escaped markdown: no unescaped `*` inside.
const HEAD = /^`([^`]*)` \*\*((?:[^*\\]|\\[\s\S])*)\*\* ?/;
// The attribute part starts at the first `<br>*key*: `; in escaped text every literal `*` is `\*`,
// so an unescaped `*` can only be the exporter's own markup.
const ATTRS_START = /<br>\*((?:[^*\\]|\\[\s\S])+)\*: /;
const NEXT_ATTR = / · \*((?:[^*\\]|\\[\s\S])+)\*: /g;

/**
 * Parses the text of a `logs/<channel>` summary written by `TensorBoardLogRecordExporter`: records
 * separated by blank lines, each `` `time` **LEVEL** message`` and optionally `<br>` then
 * `*key*: value` pairs joined by ` · `, all escaped markdown (see `renderLogRecord`). Paragraphs
 * that do not look like a record are returned as a message of level `''`.
 */
export function parseLogText(text: string): LogTextRecord[] {
  const out: LogTextRecord[] = [];
  for (const para of text.split('\n\n')) {
    if (para.trim() === '') continue;
    const head = HEAD.exec(para);
    if (!head) {
      out.push({ time: '-', level: '', message: unescapeMarkdown(para), attributes: {} });
      continue;
    }
    const rest = para.slice(head[0].length);
    const start = ATTRS_START.exec(rest);
    const message = start ? rest.slice(0, start.index) : rest;
    const attributes: Record<string, string> = {};
    if (start) {
      let key = start[1]!;
      let from = start.index + start[0].length;
      NEXT_ATTR.lastIndex = from;
      for (;;) {
        const m = NEXT_ATTR.exec(rest);
        const end = m ? m.index : rest.length;
        attributes[unescapeMarkdown(key)] = unescapeMarkdown(rest.slice(from, end));
        if (!m) break;
        key = m[1]!;
        from = m.index + m[0].length;
      }
    }
    out.push({
      time: head[1]!,
      level: unescapeMarkdown(head[2]!),
      message: unescapeMarkdown(message),
      attributes,
    });
  }
  return out;
}

/**
 * The elements of a JSON array attribute value, also when the exporter cut it (`…` at the end):
 * then the elements complete before the cut. Undefined when `value` is not a JSON array.
 */
export function parseJsonArrayPrefix(value: string): unknown[] | undefined {
  const s = value.trim();
  if (!s.startsWith('[')) return undefined;
  try {
    const all: unknown = JSON.parse(s);
    return Array.isArray(all) ? all : undefined;
  } catch {
    // cut short: take the complete elements
  }
  const out: unknown[] = [];
  let i = 1;
  while (i < s.length) {
    while (s[i] === ' ' || s[i] === ',') i++;
    if (s[i] === ']' || i >= s.length) break;
    let end: number;
    if (s[i] === '"') {
      end = i + 1;
      while (end < s.length && s[end] !== '"') end += s[end] === '\\' ? 2 : 1;
      if (end >= s.length) break;
      end++;
    } else {
      end = i;
      while (end < s.length && s[end] !== ',' && s[end] !== ']') end++;
      if (end >= s.length) break;
    }
    try {
      out.push(JSON.parse(s.slice(i, end)));
    } catch {
      break;
    }
    i = end;
  }
  return out;
}
