/** The rows of a CSV text, and whether its end looked torn. */
export interface CsvParseResult {
  /** Every complete row (the header included), fields unquoted. */
  rows: string[][];
  /**
   * The text ended inside a quoted field: the last row was cut mid-write (a writer killed with
   * SIGKILL) and is not in `rows`.
   */
  openQuote: boolean;
  /** The text did not end with a line break: the last row in `rows` may be cut short. */
  unterminated: boolean;
}

/**
 * Parses RFC 4180 CSV: fields separated by `,`, rows by CR LF (or LF, or CR), fields quoted with
 * `"` when they hold those characters, `""` for a quote inside quotes. A leading UTF-8 byte order
 * mark is skipped and blank lines are ignored. Never throws: a malformed quote is taken literally.
 */
export function parseCsv(text: string): CsvParseResult {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  const endRow = () => {
    if (row.length > 0 || fieldStarted || field !== '') {
      row.push(field);
      rows.push(row);
    }
    row = [];
    field = '';
    fieldStarted = false;
  };
  while (i < n) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      // Copy the run of ordinary characters at once.
      const next = text.indexOf('"', i);
      const end = next < 0 ? n : next;
      field += text.slice(i, end);
      i = end;
      continue;
    }
    if (c === '"' && field === '' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      fieldStarted = false;
      i++;
    } else if (c === '\r' || c === '\n') {
      endRow();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      let j = i;
      while (j < n) {
        const d = text[j];
        if (d === ',' || d === '\r' || d === '\n' || d === '"') break;
        j++;
      }
      if (j === i) {
        // A quote in the middle of an unquoted field: literal.
        field += c;
        j = i + 1;
      } else field += text.slice(i, j);
      fieldStarted = true;
      i = j;
    }
  }
  const last = text[n - 1];
  const unterminated = n > 0 && last !== '\n' && last !== '\r';
  if (quoted) return { rows, openQuote: true, unterminated };
  endRow();
  return { rows, openQuote: false, unterminated };
}
