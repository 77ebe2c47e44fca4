/**
 * The text of a cell for a log record value (an OTel `AnyValue`), before CSV quoting:
 * - a string: itself;
 * - a number: JavaScript's shortest round-trip form (`0.1`, `-3`, `1e+21`, `NaN`, `Infinity`);
 * - a boolean: `true` / `false`;
 * - a bigint: its decimal digits;
 * - bytes (`Uint8Array`): base64;
 * - an array or a map: JSON (bytes inside as base64, non-finite numbers as strings, bigints as digits);
 * - null or undefined (a missing attribute): the empty string.
 */
export function renderValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'undefined':
      return '';
    case 'object':
      if (value === null) return '';
      if (value instanceof Uint8Array)
        return Buffer.from(value.buffer, value.byteOffset, value.length).toString('base64');
      return renderJson(value);
    default:
      return String(value);
  }
}

/** Whether {@link renderValue} of this value is a number's or a boolean's text (never formula-escaped). */
export function isPlainScalar(value: unknown): boolean {
  const t = typeof value;
  return t === 'number' || t === 'boolean' || t === 'bigint';
}

function renderJson(value: object): string {
  try {
    return JSON.stringify(value, jsonReplacer) ?? '';
  } catch {
    // A cycle or a throwing toJSON: not an AnyValue, but never worth losing the row over.
    return String(value);
  }
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.length).toString('base64');
  return value;
}
