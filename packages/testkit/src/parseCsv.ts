import { parse } from 'csv-parse/sync';

/**
 * Parses CSV text with csv-parse (strict: no relaxed quotes or column counts), for tests here and
 * in the repository's test/ folder.
 */
export function parseCsv(text: string): string[][] {
  return parse(text, {
    relax_quotes: false,
    relax_column_count: false,
    skip_empty_lines: false,
  }) as string[][];
}
