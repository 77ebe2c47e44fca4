import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { type ColumnAccessor, columnAccessor } from './columnAccessor.js';
import { csvField, startsFormula } from './csvField.js';
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
  const header = names.map((c) => csvField(c, false)).join(',') + CSV_LINE_ENDING;

  // Set when a cell of the row being formatted held lone surrogates.
  let repaired = false;

  const textCell = (raw: string): string => {
    let text = raw;
    // Checked per cell, on the caller's (usually flat, often one-byte) strings: O(1) for one-byte
    // strings, where checking the concatenated row would first flatten it.
    if (!(text as unknown as WellFormedString).isWellFormed()) {
      text = (text as unknown as WellFormedString).toWellFormed();
      repaired = true;
    }
    if (formulaEscape && text.length > 0 && startsFormula(text.charCodeAt(0))) counts.formulaEscapedCells++;
    return csvField(text, formulaEscape);
  };

  const cell = (value: unknown): string => {
    if (typeof value === 'string') return textCell(value);
    if (typeof value === 'number') return String(value);
    if (value === undefined || value === null) return '';
    const text = renderValue(value);
    return isPlainScalar(value) ? text : textCell(text);
  };

  const format = (record: ReadableLogRecord): string => {
    repaired = false;
    let row = cell(accessors[0]!(record));
    for (let i = 1; i < n; i++) row += `,${cell(accessors[i]!(record))}`;
    if (n === 1 && row === '') row = '""';
    counts.rows++;
    if (repaired) counts.loneSurrogateRows++;
    return row + CSV_LINE_ENDING;
  };

  return { columns: names, header, counts, format };
}
