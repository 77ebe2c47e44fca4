// Units allowed in these conventions: a subset of UCUM (c/s) that the Prometheus translation understands,
// plus curly-brace annotations for counted or dimensionless quantities.

/** Main units: UCUM atoms with a Prometheus unit word, `1` (fractions) and `%`. */
const MAIN_UNITS: ReadonlySet<string> = new Set([
  '1',
  '%',
  's',
  'ms',
  'us',
  'ns',
  'min',
  'h',
  'd',
  'By',
  'KiBy',
  'MiBy',
  'GiBy',
  'KBy',
  'MBy',
  'GBy',
  'Hz',
]);

/**
 * "Per" units. Only those whose UCUM meaning and Prometheus translation agree: the translator reads `/m`
 * as per minute (UCUM: per metre) and leaves `/min` untranslated, so both are excluded.
 */
const PER_UNITS: ReadonlySet<string> = new Set(['s', 'h', 'd']);

/** `{token}`, `{learning_rate}`: lowercase snake_case annotations. */
const ANNOTATION = /^\{[a-z][a-z0-9]*(_[a-z0-9]+)*\}$/;

/** Whether a unit string is acceptable here: `main` or `main/per`. */
export function isValidUnit(unit: string): boolean {
  const parts = unit.split('/');
  if (parts.length > 2) return false;
  const [main, per] = parts as [string, string | undefined];
  if (!MAIN_UNITS.has(main) && !ANNOTATION.test(main)) return false;
  if (per !== undefined && !PER_UNITS.has(per) && !ANNOTATION.test(per)) return false;
  return true;
}
