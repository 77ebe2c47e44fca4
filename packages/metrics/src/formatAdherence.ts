import { xmlFormat } from './xmlFormat.js';

export interface FormatAdherence {
  /** Fraction of completions in the strict format (NaN when there are none). */
  strict: number;
  /** Fraction in the lenient format (>= strict). */
  lenient: number;
  strictCount: number;
  lenientCount: number;
  /** Completions checked (strings). */
  total: number;
  /** Entries that were not strings. */
  skipped: number;
}

/** XML format adherence rate of a batch: the share of completions passing {@link xmlFormat}'s strict and lenient checks. */
export function formatAdherence(texts: readonly string[]): FormatAdherence {
  let strictCount = 0;
  let lenientCount = 0;
  let total = 0;
  for (const t of texts) {
    if (typeof t !== 'string') continue;
    total++;
    const f = xmlFormat(t);
    if (f.strict) strictCount++;
    if (f.lenient) lenientCount++;
  }
  return {
    strict: total > 0 ? strictCount / total : Number.NaN,
    lenient: total > 0 ? lenientCount / total : Number.NaN,
    strictCount,
    lenientCount,
    total,
    skipped: texts.length - total,
  };
}
