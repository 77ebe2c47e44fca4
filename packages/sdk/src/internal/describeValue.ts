/** Any value as text for a message; never throws (an object whose `toString` throws gets its tag). */
export function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * A short description of a value a caller passed, for a warning (`"name"`, `42`, `10n`, `undefined`,
 * `[object Object]`); at most `max` characters. Never throws (bigints, symbols and cycles included).
 */
export function describeValue(value: unknown, max = 100): string {
  let s: string;
  if (typeof value === 'string') s = JSON.stringify(value);
  else if (typeof value === 'bigint') s = `${value}n`;
  else s = safeString(value);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
