/** Why a string was changed before it left the process. */
export type SanitizeReason = 'truncated' | 'redacted';

/**
 * Applies the config's `limits` to log strings: matches of the `redact` patterns become
 * `[REDACTED]`, and strings longer than `maxLength` are cut, ending with a marker that says how many
 * characters were cut. Each change is reported to `onSanitize` (counted in grpo.sdk.value.sanitized).
 */
export class StringSanitizer {
  constructor(
    private readonly maxLength: number,
    private readonly redact: readonly RegExp[],
    private readonly onSanitize: (reason: SanitizeReason) => void,
  ) {}

  /** True when this sanitizer can change anything (so callers can skip it entirely otherwise). */
  get active(): boolean {
    return this.redact.length > 0 || Number.isFinite(this.maxLength);
  }

  apply(s: string): string {
    let out = s;
    for (const re of this.redact) {
      re.lastIndex = 0;
      if (re.test(out)) {
        re.lastIndex = 0;
        out = out.replace(re, '[REDACTED]');
        this.onSanitize('redacted');
      }
    }
    if (out.length > this.maxLength) {
      const cut = out.length - this.maxLength;
      out = `${out.slice(0, this.maxLength)}…[truncated ${cut} chars]`;
      this.onSanitize('truncated');
    }
    return out;
  }
}
