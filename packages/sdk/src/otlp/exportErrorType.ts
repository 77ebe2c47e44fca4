/** Reads a failed export's error without trusting its shape. */
function field(error: unknown, key: 'code' | 'message' | 'name'): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[key] : undefined;
}

/**
 * A low-cardinality `error.type` for a failed export: the HTTP status (`503`), the network error code
 * (`ECONNREFUSED`), `timeout`, or the error's class name.
 */
export function exportErrorType(error: unknown): string {
  const code = field(error, 'code');
  if (typeof code === 'number' && Number.isInteger(code)) return String(code);
  // OpenSSL's codes run long (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED is 41 characters).
  if (typeof code === 'string' && /^[A-Z0-9_]{2,64}$/.test(code)) return code;
  const message = field(error, 'message');
  if (typeof message === 'string') {
    if (/timed? ?out|timeout|did not complete in time/i.test(message)) return 'timeout';
    if (/retryable status/i.test(message)) return 'http_retryable';
    if (/concurrent export limit/i.test(message)) return 'concurrency_limit';
  }
  const name = field(error, 'name');
  return typeof name === 'string' && /^[A-Za-z0-9_]{1,40}$/.test(name) ? name : '_OTHER';
}

/**
 * True when retrying cannot help: the receiver answered with a client error (HTTP 4xx other than
 * 408 Request Timeout and 429 Too Many Requests), or there was nothing to send. Server errors (5xx),
 * network errors and timeouts are transient: the batch stays queued and is retried.
 */
export function isPermanentExportError(error: unknown): boolean {
  const code = field(error, 'code');
  if (typeof code === 'number') return code >= 400 && code < 500 && code !== 408 && code !== 429;
  const message = field(error, 'message');
  return typeof message === 'string' && /^Nothing to send$/.test(message);
}
