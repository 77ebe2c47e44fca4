import type { SeverityNumber } from '@opentelemetry/api-logs';

const NAMES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

/**
 * The OTel log data model's short name for a severity number (1-4 TRACE, 5-8 DEBUG, 9-12 INFO,
 * 13-16 WARN, 17-20 ERROR, 21-24 FATAL); the empty string when unset or out of range.
 */
export function levelName(severity: SeverityNumber | undefined): string {
  if (severity === undefined || !(severity >= 1 && severity <= 24)) return '';
  return NAMES[Math.floor((severity - 1) / 4)] ?? '';
}
