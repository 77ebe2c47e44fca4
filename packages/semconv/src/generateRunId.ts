export interface GenerateRunIdOptions {
  /** Start time of the run; defaults to now. */
  readonly now?: Date;
  /** Source of randomness (fills the array); defaults to `crypto.getRandomValues`. */
  readonly getRandomValues?: (bytes: Uint8Array) => Uint8Array;
}

/** Matches ids made by generateRunId(). */
export const RUN_ID_PATTERN: RegExp = /^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{8}$/;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * A new run id: the UTC start time to the millisecond (ISO 8601 basic format) and 32 random bits,
 * e.g. `20250317T142501.123Z-9f2c41d8`. Ids sort by start time as plain strings, are unique across
 * machines in practice, and are safe in file names, URLs and Prometheus label values (no `:` or `/`).
 */
export function generateRunId(options: GenerateRunIdOptions = {}): string {
  const now = options.now ?? new Date();
  const random = options.getRandomValues ?? ((bytes: Uint8Array) => globalThis.crypto.getRandomValues(bytes));
  const stamp =
    `${pad(now.getUTCFullYear(), 4)}${pad(now.getUTCMonth() + 1, 2)}${pad(now.getUTCDate(), 2)}` +
    `T${pad(now.getUTCHours(), 2)}${pad(now.getUTCMinutes(), 2)}${pad(now.getUTCSeconds(), 2)}` +
    `.${pad(now.getUTCMilliseconds(), 3)}Z`;
  const bytes = random(new Uint8Array(4));
  let suffix = '';
  for (const b of bytes) suffix += b.toString(16).padStart(2, '0');
  return `${stamp}-${suffix}`;
}
