import type { Env } from './envSubstitution.js';

/** Parses OTEL_EXPORTER_OTLP_HEADERS (`k1=v1,k2=v2`, values URL-encoded) as the OTel spec describes. */
export function parseOtlpHeaders(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value) return out;
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    if (!key) continue;
    try {
      out[key] = decodeURIComponent(raw);
    } catch {
      out[key] = raw;
    }
  }
  return out;
}

/** Parses OTEL_RESOURCE_ATTRIBUTES (`k1=v1,k2=v2`, values URL-encoded). */
export function parseResourceAttributes(value: string | undefined): Record<string, string> {
  return parseOtlpHeaders(value);
}

/** The first non-empty of the given variables. */
export function envValue(env: Env, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = env[n]?.trim();
    if (v) return v;
  }
  return undefined;
}

/** `true` for OTel's boolean env spelling (case-insensitive "true"); anything else is false. */
export function envFlag(env: Env, name: string): boolean {
  return env[name]?.trim().toLowerCase() === 'true';
}
