import type { HrTime } from '@opentelemetry/api';
import { formatTimestamp } from '../formatTimestamp.js';

const prefix = Buffer.alloc(20);
let cachedSecond = Number.NaN;

/**
 * Writes `formatTimestamp(time)` as bytes at `offset` (24 bytes of room needed) when it has the
 * usual 24-character form (`2024-05-01T12:34:56.789Z`, a 4-digit year); returns the new offset, or
 * -1 for any other time (the caller then writes the text as a cell). The bytes up to the seconds
 * are cached per second: measured, building the text per row and copying it cost more than the rest
 * of the row's small cells together.
 */
export function writeTimestamp(buf: Buffer, offset: number, time: HrTime): number {
  const seconds = time[0];
  const ms = Math.floor(time[1] / 1e6);
  if (!(ms >= 0 && ms < 1000)) return -1;
  if (seconds !== cachedSecond) {
    if (!Number.isSafeInteger(seconds)) return -1;
    const text = formatTimestamp(time);
    if (text.length !== 24 || text.charCodeAt(0) < 0x30) return -1;
    prefix.write(text, 0, 20, 'latin1');
    cachedSecond = seconds;
  }
  for (let i = 0; i < 20; i++) buf[offset + i] = prefix[i]!;
  buf[offset + 20] = 0x30 + Math.floor(ms / 100);
  buf[offset + 21] = 0x30 + (Math.floor(ms / 10) % 10);
  buf[offset + 22] = 0x30 + (ms % 10);
  buf[offset + 23] = 0x5a; // Z
  return offset + 24;
}
