import type { HrTime } from '@opentelemetry/api';

let cachedSecond = Number.NaN;
let cachedPrefix = '';

/**
 * An OTel HrTime as ISO 8601 UTC with milliseconds (`2024-05-01T12:34:56.789Z`, as
 * `Date.prototype.toISOString`); sub-millisecond digits are dropped, not rounded. The text up to
 * the seconds is cached, since consecutive records mostly share their second. An invalid time
 * (outside the Date range, not finite) gives the empty string.
 */
export function formatTimestamp(time: HrTime): string {
  const seconds = time[0];
  const ms = Math.floor(time[1] / 1e6);
  if (seconds === cachedSecond && ms >= 0 && ms < 1000) {
    return `${cachedPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
  }
  const date = new Date(seconds * 1000 + ms);
  const t = date.getTime();
  if (Number.isNaN(t)) return '';
  const iso = date.toISOString();
  // Cache only whole-second-aligned, 4-digit-year times (the 24-character form).
  if (Number.isSafeInteger(seconds) && ms >= 0 && ms < 1000 && iso.length === 24) {
    cachedSecond = seconds;
    cachedPrefix = iso.slice(0, 20);
  }
  return iso;
}
