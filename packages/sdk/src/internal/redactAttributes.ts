import type { Attributes } from '@opentelemetry/api';
import type { StringSanitizer } from './StringSanitizer.js';

// The resource is not a log string: `max_string_length` does not cut it.
const NO_LIMIT = Number.POSITIVE_INFINITY;

/**
 * Attributes with every string (and every string in an array) passed through the sanitizer's redact
 * patterns (`limits.redact`; no length limit). Used on the process resource (the command line
 * can carry a secret such as `--api-key=...`), which is sent with every export.
 */
export function redactAttributes(attrs: Attributes, sanitizer: StringSanitizer): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'string') out[k] = sanitizer.apply(v, NO_LIMIT);
    else if (Array.isArray(v))
      out[k] = v.map((x) => (typeof x === 'string' ? sanitizer.apply(x, NO_LIMIT) : x)) as typeof v;
    else out[k] = v;
  }
  return out;
}
