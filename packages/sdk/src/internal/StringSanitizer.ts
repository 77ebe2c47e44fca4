import type { SanitizeReason as SemconvSanitizeReason } from '@grpo-otel/semconv';

/** Why a value was changed before it left the process (semconv `grpo.sdk.sanitize.reason` values). */
export type SanitizeReason = Exclude<SemconvSanitizeReason, 'formula_escaped'>;
/** The reasons the SDK itself counts (`formula_escaped` is the CSV exporter's, done on write). */
export const SDK_SANITIZE_REASONS: readonly SanitizeReason[] = [
  'truncated',
  'redacted',
  'coerced',
  'control_characters',
];

/**
 * Control characters a log line, a terminal or a spreadsheet should never receive: C0 controls except
 * tab, LF and CR (so NUL, ESC of ANSI escape sequences, backspace, form feed), DEL and the C1 controls.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_G = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
/** A UTF-16 surrogate without its partner (no valid UTF-8 encoding; writers would turn it into U+FFFD). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATE_G = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** What replaces a control character or a lone surrogate. */
export const REPLACEMENT_CHARACTER = '\uFFFD';

/** The marker that ends a truncated string: `…[truncated N chars]`. */
export function truncationMarker(cut: number): string {
  return `…[truncated ${cut} chars]`;
}

/**
 * Applies the config's `limits` to log strings: matches of the `redact` patterns become `[REDACTED]`;
 * control characters (see {@link CONTROL}) and lone UTF-16 surrogates become U+FFFD, so every sink
 * writes valid UTF-8 without terminal escapes or NUL bytes; strings longer than `maxLength` are cut
 * (never inside a surrogate pair), ending with a marker that says how many characters were cut. Each
 * change is reported to `onSanitize` (counted in grpo.sdk.value.sanitized).
 */
export class StringSanitizer {
  constructor(
    private readonly maxLength: number,
    private readonly redact: readonly RegExp[],
    private readonly onSanitize: (reason: SanitizeReason) => void,
  ) {}

  /** Keys seen to need no change (attribute keys repeat from record to record); bounded. */
  private readonly cleanKeys = new Set<string>();

  /**
   * An attribute key with the limits applied and cut at `maxLength`. Keys that need no change are
   * remembered (up to 4096), so the common case costs one set lookup.
   */
  key(k: string, maxLength: number): string {
    if (this.cleanKeys.has(k)) return k;
    const out = this.apply(k, maxLength);
    if (out === k) {
      if (this.cleanKeys.size >= 4096) this.cleanKeys.clear();
      this.cleanKeys.add(k);
    }
    return out;
  }

  /** Reports a change made elsewhere (a value coerced to the type a sink takes, a key dropped, ...). */
  note(reason: SanitizeReason): void {
    this.onSanitize(reason);
  }

  /** `s` with the limits applied; `maxLength` overrides the configured length (e.g. for keys). */
  apply(s: string, maxLength = this.maxLength): string {
    let out = s;
    for (const re of this.redact) {
      re.lastIndex = 0;
      if (re.test(out)) {
        re.lastIndex = 0;
        out = out.replace(re, '[REDACTED]');
        this.onSanitize('redacted');
      }
    }
    if (out.length > maxLength) {
      let keep = maxLength;
      const last = out.charCodeAt(keep - 1);
      if (last >= 0xd800 && last <= 0xdbff) keep--;
      const cut = out.length - keep;
      out = `${out.slice(0, keep)}${truncationMarker(cut)}`;
      this.onSanitize('truncated');
    }
    const control = CONTROL.test(out);
    const lone = LONE_SURROGATE.test(out);
    if (control || lone) {
      if (control) out = out.replace(CONTROL_G, REPLACEMENT_CHARACTER);
      if (lone) out = out.replace(LONE_SURROGATE_G, REPLACEMENT_CHARACTER);
      this.onSanitize('control_characters');
    }
    return out;
  }
}
