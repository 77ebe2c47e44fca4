/** A number found in text: its value and where it was. */
export interface FoundNumber {
  value: number;
  start: number;
  end: number;
}

// body: 1,234,567(.89) | 1234(.5) | .5   -- ASCII digits only
const BODY = String.raw`(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+`;
const NUMBER = new RegExp(String.raw`([-+\u2212]?)(${BODY})(?:/(${BODY}))?`, 'g');

function parseBody(s: string): number {
  return Number(s.replaceAll(',', ''));
}

function isWordish(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_.)]/.test(c);
}

/**
 * Every number in `text`, left to right, by this grammar (documented on `extractNumericAnswer`):
 * [sign] body [/ body]; body = digits with optional comma thousands groups (1,234,567) and optional
 * decimals, or a leading-dot decimal (.5); a fraction a/b (no spaces) is a / b unless b is 0 (then a and b
 * are separate numbers). The sign (+, -, U+2212) counts only when not preceded by a letter, digit, '_',
 * '.' or ')' ("5-3" is 5 and 3; "x = -3" is -3). A leading-dot decimal right after a digit is not
 * started ("3.14.15" is 3.14 and 15). No exponents, no percent scaling.
 */
export function findNumbers(text: string): FoundNumber[] {
  const out: FoundNumber[] = [];
  NUMBER.lastIndex = 0;
  for (let m = NUMBER.exec(text); m !== null; m = NUMBER.exec(text)) {
    let start = m.index;
    let sign = m[1]!;
    const body = m[2]!;
    let den = m[3];
    let end = start + m[0].length;
    if (sign && isWordish(text[start - 1])) {
      sign = '';
      start++;
    }
    if (body.startsWith('.') && /[0-9]/.test(text[start + sign.length - 1] ?? '')) {
      // ".15" glued to a previous number: skip the dot, rescan from the digits
      NUMBER.lastIndex = start + sign.length + 1;
      continue;
    }
    let value = parseBody(body);
    if (den !== undefined) {
      const d = parseBody(den);
      if (d === 0) {
        den = undefined;
        end = start + sign.length + body.length;
        NUMBER.lastIndex = end + 1; // rescan the denominator as its own number
      } else {
        value /= d;
      }
    }
    if (sign === '-' || sign === '\u2212') value = -value;
    out.push({ value, start, end });
  }
  return out;
}

/** Tolerance of numeric equality. */
export interface NumericTolerance {
  /** Relative tolerance (default 1e-6). */
  relTol?: number;
  /** Absolute tolerance (default 1e-9). */
  absTol?: number;
}

/** Python's math.isclose: |a - b| <= max(relTol * max(|a|, |b|), absTol). */
export function numbersEqual(a: number, b: number, tol?: NumericTolerance): boolean {
  const rel = tol?.relTol ?? 1e-6;
  const abs = tol?.absTol ?? 1e-9;
  if (a === b) return true;
  return Math.abs(a - b) <= Math.max(rel * Math.max(Math.abs(a), Math.abs(b)), abs);
}
