/**
 * A URL fit to print: a password in it (`https://user:secret@host`) becomes `***`. Anything that does not
 * parse as a URL is returned unchanged (config validation has already refused non-URLs).
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
