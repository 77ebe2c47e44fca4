import fc from 'fast-check';

/** Characters CSV quoting and formula escaping care about, over-weighted in generated cells. */
const SPECIAL = [',', '"', '\r', '\n', '\r\n', '=', '+', '-', '@', '\t', ' ', "'", ';', '\0', '\ufeff'];

/**
 * Text of a cell: any Unicode (astral planes, combining marks, controls, NUL, BOM), with the
 * characters CSV cares about frequent, and formula prefixes often first. With `loneSurrogates`,
 * unpaired UTF-16 surrogates too.
 */
export function cellText(
  options: { loneSurrogates?: boolean; maxLength?: number } = {},
): fc.Arbitrary<string> {
  const units: fc.Arbitrary<string>[] = [
    fc.string({ unit: 'binary', maxLength: 4 }),
    fc.string({ unit: 'grapheme', maxLength: 3 }),
    fc.constantFrom(...SPECIAL),
    fc.string({ unit: 'binary-ascii', maxLength: 6 }),
  ];
  if (options.loneSurrogates)
    units.push(fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)));
  const body = fc
    .array(fc.oneof(...units), { maxLength: options.maxLength ?? 12 })
    .map((parts) => parts.join(''));
  return fc.oneof(
    { weight: 3, arbitrary: body },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r'), body).map(([p, b]) => p + b),
    },
    { weight: 1, arbitrary: fc.constant('') },
  );
}

/** Rows of `columns` cells. */
export function rows(columns: number, maxRows = 20, cell = cellText()): fc.Arbitrary<string[][]> {
  return fc.array(fc.array(cell, { minLength: columns, maxLength: columns }), {
    minLength: 1,
    maxLength: maxRows,
  });
}

/** What a reader gets back for a cell we wrote: the text as UTF-8 can carry it, with the documented prefix. */
export function expectedCell(text: string, formulaEscape: boolean): string {
  const wellFormed = (text as unknown as { toWellFormed(): string }).toWellFormed();
  return formulaEscape && /^[=+\-@\t\r]/.test(wellFormed) ? `'${wellFormed}` : wellFormed;
}
