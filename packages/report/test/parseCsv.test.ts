import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsv, undoFormulaEscape } from '@grpo-otel/report';
import fc from 'fast-check';

/** RFC 4180 as our CSV exporter writes it: quote when , " CR or LF; CR LF after every row. */
function writeCsv(rows: string[][]): string {
  const field = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  // A row of one empty cell is written `""` (not a blank line), as our exporter and Python do.
  return rows.map((r) => `${r.length === 1 && r[0] === '' ? '""' : r.map(field).join(',')}\r\n`).join('');
}

test('parseCsv: quoted commas, quotes, CR LF and LF inside fields; empty fields; CR LF rows', () => {
  const text = 'a,b,c\r\n"x, y","say ""hi""","line1\r\nline2\nline3"\r\n,,\r\n""\r\n';
  assert.deepEqual(parseCsv(text), {
    rows: [['a', 'b', 'c'], ['x, y', 'say "hi"', 'line1\r\nline2\nline3'], ['', '', ''], ['']],
    openQuote: false,
    unterminated: false,
  });
});

test('parseCsv: BOM skipped, blank lines ignored, LF-only and a final row without line break', () => {
  const r = parseCsv('\ufeffh1,h2\n\n1,2\n3,4');
  assert.deepEqual(r.rows, [
    ['h1', 'h2'],
    ['1', '2'],
    ['3', '4'],
  ]);
  assert.equal(r.unterminated, true);
});

test('parseCsv: a torn last row inside quotes is left out and reported', () => {
  const r = parseCsv('q,a\r\nfirst,1\r\n"torn, row\r\nstill');
  assert.deepEqual(r.rows, [
    ['q', 'a'],
    ['first', '1'],
  ]);
  assert.equal(r.openQuote, true);
});

test('parseCsv: a quote in the middle of an unquoted field is literal', () => {
  assert.deepEqual(parseCsv('ab"c,d\r\n').rows, [['ab"c', 'd']]);
});

test('parseCsv: reads back whatever the RFC 4180 writer wrote', () => {
  const cell = fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', ' ', 'é', '😀', "'") });
  fc.assert(
    fc.property(
      fc
        .integer({ min: 1, max: 4 })
        .chain((n) => fc.array(fc.array(cell, { minLength: n, maxLength: n }), { minLength: 1 })),
      (rows) => {
        assert.deepEqual(parseCsv(writeCsv(rows)).rows, rows);
      },
    ),
  );
});

test('undoFormulaEscape: takes off the apostrophe the exporter put before formula-like text', () => {
  assert.equal(undoFormulaEscape("'=HYPERLINK(1)"), '=HYPERLINK(1)');
  assert.equal(undoFormulaEscape("'-0.5"), '-0.5');
  assert.equal(undoFormulaEscape("'+1"), '+1');
  assert.equal(undoFormulaEscape("'@x"), '@x');
  assert.equal(undoFormulaEscape("'\tx"), '\tx');
  assert.equal(undoFormulaEscape("'plain"), "'plain");
  assert.equal(undoFormulaEscape("'"), "'");
  assert.equal(undoFormulaEscape('=x'), '=x');
});
