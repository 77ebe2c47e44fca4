/** Levenshtein distance (insert, delete, substitute; case-insensitive). */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, i) => i);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[t.length]!;
}

/** The closest candidate to `input`, if it is close enough to be a likely typo. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(input, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(input.length, best.length) / 3));
  if (bestDistance <= limit) return best;
  // A suffix/prefix match also counts: `RotatingFileHandler` for `logging.handlers.RotatingFileHandler`.
  for (const c of candidates) {
    if (input.length >= 4 && (c.endsWith(input) || input.endsWith(c))) return c;
  }
  return undefined;
}

/** ` (did you mean 'x'?)` or an empty string. */
export function didYouMeanSuffix(input: string, candidates: Iterable<string>): string {
  const m = didYouMean(input, candidates);
  return m === undefined ? '' : ` (did you mean '${m}'?)`;
}
