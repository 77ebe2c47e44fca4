/**
 * Deepest nesting of collections a config may have. Real configs nest four or five levels; the YAML
 * parser recurses per level and overflows the stack some hundreds of levels down, after which V8 can
 * abort the whole process on the next parse (measured: a RegExp compilation runs out of memory). So
 * deeper documents are refused before they reach the parser.
 */
export const MAX_NESTING = 64;

/**
 * The offset at which `text` first nests collections deeper than `max` levels, or undefined. A cheap
 * scan, not a parser: block nesting is the stack of indentation levels plus compact `- ` entries on a
 * line; flow nesting counts `[` and `{` that open a value (at a line's or an entry's start, after
 * `: ` or inside another flow collection) and the brackets that close them. Quoted strings, comments
 * and block scalars (`|`, `>`) are skipped, so text inside values never counts.
 */
export function excessiveNesting(text: string, max = MAX_NESTING): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let blockScalarIndent = -1;
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let i = pos;
    while (i < end && text[i] === ' ') i++;
    const indent = i - pos;
    const blank = i >= end || text[i] === '#' || text[i] === '\r';
    if (blockScalarIndent >= 0 && (blank || indent > blockScalarIndent)) {
      pos = end + 1;
      continue;
    }
    blockScalarIndent = -1;
    if (blank) {
      pos = end + 1;
      continue;
    }
    if (flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
    }
    let depth = indents.length;
    let valueStart = true;
    let quote = '';
    for (; i < end; i++) {
      const c = text[i]!;
      if (quote) {
        if (c === '\\' && quote === '"') i++;
        else if (c === quote) {
          if (quote === "'" && text[i + 1] === "'") i++;
          else quote = '';
        }
        continue;
      }
      if (c === ' ' || c === '\t') continue;
      if (c === '#' && (i === pos || text[i - 1] === ' ' || text[i - 1] === '\t')) break;
      if (valueStart && (c === '"' || c === "'")) {
        quote = c;
        valueStart = false;
        continue;
      }
      if ((c === '[' || c === '{') && (valueStart || flow > 0)) {
        flow++;
        valueStart = true;
      } else if ((c === ']' || c === '}') && flow > 0) {
        flow--;
        valueStart = false;
      } else if (c === ',' && flow > 0) {
        valueStart = true;
      } else if ((c === '-' || c === '?') && valueStart && flow === 0 && separates(text[i + 1])) {
        depth++;
      } else if (c === ':' && separates(text[i + 1])) {
        valueStart = true;
      } else if ((c === '|' || c === '>') && valueStart && flow === 0) {
        blockScalarIndent = indent;
        break;
      } else {
        valueStart = false;
      }
      if (depth + flow > max) return i;
    }
    pos = end + 1;
  }
  return undefined;
}

/** Whether `c` ends an indicator (`- `, `? `, `: `): whitespace, a line end or the end of the text. */
function separates(c: string | undefined): boolean {
  return c === undefined || c === ' ' || c === '\t' || c === '\r' || c === '\n';
}
