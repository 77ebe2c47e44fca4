/**
 * A CSV cell as its writer was given it: our CSV exporter puts an apostrophe before text a
 * spreadsheet could run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR); this takes it
 * off again for display. Text that really began with `'` followed by one of those characters
 * cannot be told apart and loses its apostrophe (the exporter's README says the same).
 */
export function undoFormulaEscape(cell: string): string {
  if (cell.length < 2 || cell.charCodeAt(0) !== 0x27) return cell;
  const c = cell.charCodeAt(1);
  const formula = c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x09 || c === 0x0d;
  return formula ? cell.slice(1) : cell;
}
