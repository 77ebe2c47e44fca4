import type { OtlpLogsRequest, OtlpMetricsRequest, OtlpSignal, OtlpTracesRequest } from './OtlpRequest.js';

/** Malformed OTLP/JSON: the receiver answers 400 with the message. */
export class OtlpJsonError extends Error {
  override name = 'OtlpJsonError';
}

const TOP_LEVEL: Record<OtlpSignal, string> = {
  logs: 'resourceLogs',
  metrics: 'resourceMetrics',
  traces: 'resourceSpans',
};

/**
 * Parses an OTLP/JSON export request of `signal`. Keys are lowerCamelCase as the OTLP spec requires;
 * snake_case keys (protobuf field names, which protojson also accepts) are read as their camelCase
 * form. Throws an {@link OtlpJsonError} when the text is not JSON or not an object whose top-level
 * list (`resourceLogs`, `resourceMetrics`, `resourceSpans`) is an array.
 */
export function parseOtlpJson(signal: 'logs', text: string): OtlpLogsRequest;
export function parseOtlpJson(signal: 'metrics', text: string): OtlpMetricsRequest;
export function parseOtlpJson(signal: 'traces', text: string): OtlpTracesRequest;
export function parseOtlpJson(
  signal: OtlpSignal,
  text: string,
): OtlpLogsRequest | OtlpMetricsRequest | OtlpTracesRequest;
export function parseOtlpJson(
  signal: OtlpSignal,
  text: string,
): OtlpLogsRequest | OtlpMetricsRequest | OtlpTracesRequest {
  let value: unknown;
  try {
    value = JSON.parse(text, camelCaseKeys);
  } catch (err) {
    throw new OtlpJsonError(`not JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new OtlpJsonError('the body must be a JSON object');
  }
  const list = (value as Record<string, unknown>)[TOP_LEVEL[signal]];
  if (list !== undefined && !Array.isArray(list)) {
    throw new OtlpJsonError(`${TOP_LEVEL[signal]} must be an array`);
  }
  return value as OtlpLogsRequest | OtlpMetricsRequest | OtlpTracesRequest;
}

function camelCaseKeys(this: unknown, _key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  let renamed: Record<string, unknown> | undefined;
  for (const k of Object.keys(value)) {
    if (!k.includes('_')) continue;
    renamed ??= { ...(value as Record<string, unknown>) };
    const camel = k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    if (!(camel in renamed)) renamed[camel] = renamed[k];
    delete renamed[k];
  }
  return renamed ?? value;
}
