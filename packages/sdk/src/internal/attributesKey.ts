import type { Attributes } from '@opentelemetry/api';

/**
 * The key of a metric attribute set: two sets have the same key exactly when OpenTelemetry's
 * attribute hash (its sorted `[key, value]` pairs as JSON) is the same.
 */
export function attributesKey(attributes: Attributes): string {
  const keys = Object.keys(attributes);
  const n = keys.length;
  if (n === 0) return '';
  if (n === 2) {
    if (keys[0]! > keys[1]!) return part(keys[1]!, attributes) + part(keys[0]!, attributes);
    return part(keys[0]!, attributes) + part(keys[1]!, attributes);
  }
  if (n > 2) keys.sort();
  let key = '';
  for (let i = 0; i < n; i++) key += part(keys[i]!, attributes);
  return key;
}

function part(k: string, attributes: Attributes): string {
  // JSON for keys and values keeps the key unambiguous whatever characters they hold.
  return `${JSON.stringify(k)}:${JSON.stringify(attributes[k]) ?? 'null'},`;
}
