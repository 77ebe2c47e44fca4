import { type LineCounter, Parser, type YAMLError } from 'yaml';

/** Where to report a YAML syntax error, and what to say. */
export interface YamlSyntaxProblem {
  /** Source offset of the construct that broke: an unclosed `[`/`{` or quote, else where the parser stopped. */
  offset: number;
  /** One line, starting with `YAML syntax error: `. */
  detail: string;
}

interface Token {
  type?: string;
  offset?: number;
  source?: string;
}

const OPENERS: Record<string, string> = { '[': ']', '{': '}' };

/**
 * The constructs a parser error can be a late symptom of: flow collections whose closing bracket is
 * missing, and quoted scalars whose closing quote is missing. The parser notices them where the next
 * line no longer fits (often a line or more later); the user broke them where they opened.
 */
function unclosedBefore(text: string, errorOffset: number): { offset: number; what: string }[] {
  const found: { offset: number; what: string }[] = [];
  const seen = new Set<object>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    const t = node as Token & { start?: Token; end?: Token[] };
    if (t.type === 'flow-collection' && t.start?.source && t.start.offset !== undefined) {
      const close = OPENERS[t.start.source];
      const closed = (t.end ?? []).some((e) => e.source === close);
      if (!closed && t.start.offset < errorOffset) {
        found.push({ offset: t.start.offset, what: `the '${t.start.source}' opened here has no '${close}'` });
      }
    } else if (
      (t.type === 'double-quoted-scalar' || t.type === 'single-quoted-scalar') &&
      t.offset !== undefined &&
      t.source !== undefined
    ) {
      const quote = t.type === 'double-quoted-scalar' ? '"' : "'";
      if (!isTerminated(t.source, quote) && t.offset < errorOffset) {
        found.push({ offset: t.offset, what: `the ${quote} opened here is not closed` });
      }
    }
    for (const v of Object.values(node)) walk(v);
  };
  for (const token of new Parser().parse(text)) walk(token);
  return found.sort((a, b) => a.offset - b.offset);
}

/** Whether a quoted scalar's source ends with its closing quote (not an escaped or doubled one). */
function isTerminated(source: string, quote: string): boolean {
  if (source.length < 2 || !source.endsWith(quote)) return false;
  const body = source.slice(1);
  if (quote === "'") {
    // '' is an escaped quote: the closing one ends an odd run of quotes.
    let quotes = 0;
    for (let i = body.length - 1; i >= 0 && body[i] === "'"; i--) quotes++;
    return quotes % 2 === 1;
  }
  // \" is an escaped quote: the closing one follows an even run of backslashes.
  let backslashes = 0;
  for (let i = body.length - 2; i >= 0 && body[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

/**
 * Says where a YAML syntax error's cause is. The `yaml` parser reports an unclosed `[` or quote where it
 * noticed it (the next key, lines later); this points at the construct that was left open, the innermost
 * one opened last before the error, and adds where the parser noticed it when that is elsewhere.
 */
export function locateYamlSyntaxError(text: string, error: YAMLError, lines: LineCounter): YamlSyntaxProblem {
  const noticed = error.pos[0];
  const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  const open = unclosedBefore(text, noticed).pop();
  if (!open || open.offset === noticed) return { offset: noticed, detail: `YAML syntax error: ${message}` };
  const at = lines.linePos(noticed);
  return {
    offset: open.offset,
    detail: `YAML syntax error: ${open.what} (noticed at line ${at.line}, column ${at.col}: ${message})`,
  };
}
