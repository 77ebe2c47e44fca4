import { closeSync, fstatSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Env } from './envSubstitution.js';
import { envValue } from './otlpEnv.js';
import type { OtlpSettings, OtlpTlsSettings } from './ResolvedConfig.js';
import { ConfigPathError, resolvePath } from './resolvePath.js';

type Signal = 'logs' | 'metrics' | 'traces';
const SIGNALS: Signal[] = ['logs', 'metrics', 'traces'];

/** The file keys of a `tls` section and the OTEL_EXPORTER_OTLP_* variables that mean the same. */
const TLS_KEYS = [
  { key: 'ca_file', field: 'caFile', env: 'CERTIFICATE' },
  { key: 'cert_file', field: 'certFile', env: 'CLIENT_CERTIFICATE' },
  { key: 'key_file', field: 'keyFile', env: 'CLIENT_KEY' },
] as const;

/** Fails with a clear error unless `file` is a regular file this process can open for reading. */
function checkReadable(file: string, keyPath: (string | number)[], fromEnv: boolean): void {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    if (!fstatSync(fd).isFile()) throw new ConfigPathError(keyPath, `${file} is not a regular file`, fromEnv);
  } catch (err) {
    if (err instanceof ConfigPathError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : code;
    throw new ConfigPathError(keyPath, `cannot read TLS file ${file} (${why})`, fromEnv);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The file's `tls` section (paths resolved against baseDir under the path rule, files checked). */
export function fileTls(raw: unknown, baseDir: string, keyPath: (string | number)[]): OtlpTlsSettings {
  const out: OtlpTlsSettings = {};
  const section = raw as Record<string, unknown>;
  for (const { key, field } of TLS_KEYS) {
    const value = section[key];
    if (typeof value !== 'string') continue;
    const p = [...keyPath, key];
    const file = resolvePath(baseDir, value, p);
    checkReadable(file, p, false);
    out[field] = file;
  }
  return out;
}

/**
 * TLS from OTEL_EXPORTER_OTLP_{CERTIFICATE,CLIENT_CERTIFICATE,CLIENT_KEY} (prefix '') or a signal's own
 * OTEL_EXPORTER_OTLP_<SIGNAL>_* (prefix 'LOGS_' etc.). Relative paths resolve against the working
 * directory, as OpenTelemetry's exporters do.
 */
export function envTls(env: Env, prefix: string): OtlpTlsSettings {
  const out: OtlpTlsSettings = {};
  for (const { field, env: suffix } of TLS_KEYS) {
    const name = `OTEL_EXPORTER_OTLP_${prefix}${suffix}`;
    const value = envValue(env, name);
    if (!value) continue;
    const file = resolve(value);
    checkReadable(file, [name], true);
    out[field] = file;
  }
  return out;
}

/** `tls` and `signalTls` of an OtlpSettings: the file's section wins over every variable. */
export function otlpTls(
  raw: Record<string, unknown>,
  env: Env,
  baseDir: string,
  keyPath: (string | number)[],
  base?: OtlpSettings,
): Pick<OtlpSettings, 'tls' | 'signalTls'> {
  if (raw.tls !== undefined) return { tls: fileTls(raw.tls, baseDir, [...keyPath, 'tls']) };
  if (base) return { tls: { ...base.tls }, ...(base.signalTls ? { signalTls: { ...base.signalTls } } : {}) };
  const signalTls: NonNullable<OtlpSettings['signalTls']> = {};
  for (const s of SIGNALS) {
    const t = envTls(env, `${s.toUpperCase()}_`);
    if (Object.keys(t).length) signalTls[s] = t;
  }
  return { tls: envTls(env, ''), ...(Object.keys(signalTls).length ? { signalTls } : {}) };
}

/** The TLS files for one signal: the signal's own variables over the shared settings. */
export function tlsFor(settings: OtlpSettings, signal: Signal): OtlpTlsSettings {
  return { ...settings.tls, ...settings.signalTls?.[signal] };
}
