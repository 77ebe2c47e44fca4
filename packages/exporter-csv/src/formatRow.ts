import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { type ColumnAccessor, columnAccessor } from './columnAccessor.js';
import { csvField, FORMULA_ESCAPE_PREFIX, needsQuotes, startsFormula } from './csvField.js';
import { writeTimestamp } from './internal/writeTimestamp.js';
import { isPlainScalar, renderValue } from './renderValue.js';

/** Every row (the header too) ends with CR LF, as RFC 4180 says and Python's csv module writes. */
export const CSV_LINE_ENDING = '\r\n';

/** What formatting has sanitized so far. */
export interface RowFormatterCounts {
  /** Rows formatted. */
  rows: number;
  /** Cells given the formula-escape prefix. */
  formulaEscapedCells: number;
  /** Rows that held lone UTF-16 surrogates, written with U+FFFD in their place. */
  loneSurrogateRows: number;
}

export interface RowFormatterOptions {
  /** Prefix cells a spreadsheet could take as a formula (default true); see `csvField`. */
  formulaEscape?: boolean;
}

/** Turns log records into CSV rows for a fixed list of columns. Pure: no I/O. */
export interface RowFormatter {
  readonly columns: readonly string[];
  /** The header row: the column names, CSV-quoted where needed, with the line ending. */
  readonly header: string;
  readonly counts: Readonly<RowFormatterCounts>;
  /** One record as one row, line ending included. Never throws for an OTel log record. */
  format(record: ReadableLogRecord): string;
  /**
   * Records as rows, encoded to UTF-8 in one new buffer: the same bytes as `format` of each,
   * without building row strings. With `rowEnds`, the offset after each row is pushed to it.
   */
  encode(records: readonly ReadableLogRecord[], rowEnds?: number[]): Buffer;
}

interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/**
 * A row formatter for `columns` (see `columnAccessor` for what each name reads). Cells:
 * - text (a string value, and the JSON or base64 of arrays, maps and bytes) is quoted per RFC 4180
 *   when it holds `,`, `"`, CR or LF, and formula-escaped when it starts with `=`, `+`, `-`, `@`,
 *   tab or CR;
 * - numbers and booleans are written as `renderValue` renders them and never prefixed: a negative
 *   number stays `-0.5`, while the *string* `"-0.5"` becomes `'-0.5`;
 * - a missing value is an empty cell; a one-column row whose cell is empty is written `""` so it is
 *   not a blank line (which readers skip), as Python's csv module does.
 * A row with lone surrogates (invalid UTF-16) gets U+FFFD in their place (what UTF-8 encoding would
 * write anyway) and is counted.
 */
export function createRowFormatter(
  columns: readonly string[],
  options: RowFormatterOptions = {},
): RowFormatter {
  const names = [...columns];
  const accessors: ColumnAccessor[] = names.map(columnAccessor);
  const formulaEscape = options.formulaEscape ?? true;
  const counts: RowFormatterCounts = { rows: 0, formulaEscapedCells: 0, loneSurrogateRows: 0 };
  const n = accessors.length;
  const timestampAt = names.map((c) => c === 'timestamp');
  const header = names.map((c) => csvField(c, false)).join(',') + CSV_LINE_ENDING;

  // State of the cell last prepared, and of the row being formatted.
  let quoted = false;
  let prefixed = false;
  let repaired = false;
  let scratch = Buffer.allocUnsafe(1 << 16);

  /**
   * The text of a cell without its quotes or prefix (inner quotes already doubled); sets `quoted`
   * and `prefixed` for it. `format` and `encode` both build on this, so they cannot disagree.
   */
  const prepare = (value: unknown): string => {
    quoted = false;
    prefixed = false;
    let text: string;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number') return String(value);
    else if (value === undefined || value === null) return '';
    else {
      text = renderValue(value);
      if (isPlainScalar(value)) return text;
    }
    if (text.length === 0) return text;
    // Checked per cell, on the caller's (usually flat, often one-byte) strings: O(1) for one-byte
    // strings, where checking the concatenated row would first flatten it.
    if (!(text as unknown as WellFormedString).isWellFormed()) {
      text = (text as unknown as WellFormedString).toWellFormed();
      repaired = true;
    }
    if (formulaEscape && startsFormula(text.charCodeAt(0))) {
      prefixed = true;
      counts.formulaEscapedCells++;
    }
    // A quote is looked for first: when there is one, the other three scans are not needed.
    if (text.indexOf('"') >= 0) {
      quoted = true;
      text = text.replaceAll('"', '""');
    } else if (needsQuotes(text)) {
      quoted = true;
    }
    return text;
  };

  const field = (value: unknown): string => {
    const text = prepare(value);
    const body = prefixed ? FORMULA_ESCAPE_PREFIX + text : text;
    return quoted ? `"${body}"` : body;
  };

  const format = (record: ReadableLogRecord): string => {
    repaired = false;
    let row = field(accessors[0]!(record));
    for (let i = 1; i < n; i++) row += `,${field(accessors[i]!(record))}`;
    if (n === 1 && row === '') row = '""';
    counts.rows++;
    if (repaired) counts.loneSurrogateRows++;
    return row + CSV_LINE_ENDING;
  };

  const encode = (records: readonly ReadableLogRecord[], rowEnds?: number[]): Buffer => {
    let buf = scratch;
    let off = 0;
    for (let r = 0; r < records.length; r++) {
      const record = records[r]!;
      repaired = false;
      const rowStart = off;
      for (let i = 0; i < n; i++) {
        if (timestampAt[i]) {
          if (off + 32 > buf.length) {
            const bigger = Buffer.allocUnsafe(buf.length * 2);
            buf.copy(bigger, 0, 0, off);
            buf = bigger;
          }
          if (i > 0) buf[off++] = 0x2c;
          const end = writeTimestamp(buf, off, record.hrTime);
          if (end >= 0) {
            off = end;
            continue;
          }
          if (i > 0) off--; // an unusual time: written as a text cell below
        }
        const text = prepare(accessors[i]!(record));
        // Worst case: 3 UTF-8 bytes per UTF-16 unit, quotes, prefix, comma, CR LF.
        const need = off + text.length * 3 + 8;
        if (need > buf.length) {
          const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, need));
          buf.copy(bigger, 0, 0, off);
          buf = bigger;
        }
        if (i > 0) buf[off++] = 0x2c;
        if (quoted) buf[off++] = 0x22;
        if (prefixed) buf[off++] = 0x27;
        off = writeText(buf, text, off);
        if (quoted) buf[off++] = 0x22;
      }
      if (n === 1 && off === rowStart) {
        buf[off++] = 0x22;
        buf[off++] = 0x22;
      }
      buf[off++] = 0x0d;
      buf[off++] = 0x0a;
      counts.rows++;
      if (repaired) counts.loneSurrogateRows++;
      rowEnds?.push(off);
    }
    // Keep a grown scratch buffer for the next batch, within reason (4 MiB).
    if (buf.length <= 1 << 22) scratch = buf;
    const out = Buffer.allocUnsafe(off);
    buf.copy(out, 0, 0, off);
    return out;
  };

  return { columns: names, header, counts, format, encode };
}

/**
 * Writes `text` as UTF-8 at `offset` (room is already there); returns the new offset. Short ASCII
 * text is copied by a loop: measured, a native write call costs more than the copy for cells like
 * a timestamp or a numeric answer.
 */
function writeText(buf: Buffer, text: string, offset: number): number {
  const length = text.length;
  if (length > 32) return offset + buf.write(text, offset, 'utf8');
  let off = offset;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return offset + buf.write(text, offset, 'utf8');
    buf[off++] = c;
  }
  return off;
}
