import { SeverityNumber } from '@opentelemetry/api-logs';

/** Python logging level names, as the seed's YAML writes them. */
export type LevelName = 'NOTSET' | 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

/** Python's numeric levels (logging.DEBUG == 10, ...). */
export const LEVEL_NUMBERS: Readonly<Record<LevelName, number>> = {
  NOTSET: 0,
  DEBUG: 10,
  INFO: 20,
  WARNING: 30,
  ERROR: 40,
  CRITICAL: 50,
};

/** Accepted spellings in config files, mapped to the canonical name (Python accepts WARN and FATAL too). */
export const LEVEL_ALIASES: Readonly<Record<string, LevelName>> = {
  NOTSET: 'NOTSET',
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  WARNING: 'WARNING',
  WARN: 'WARNING',
  ERROR: 'ERROR',
  CRITICAL: 'CRITICAL',
  FATAL: 'CRITICAL',
};

/** OTel severity for each Python level (the log data model's mapping). */
export const LEVEL_TO_SEVERITY: Readonly<Record<LevelName, SeverityNumber>> = {
  NOTSET: SeverityNumber.UNSPECIFIED,
  DEBUG: SeverityNumber.DEBUG,
  INFO: SeverityNumber.INFO,
  WARNING: SeverityNumber.WARN,
  ERROR: SeverityNumber.ERROR,
  CRITICAL: SeverityNumber.FATAL,
};

/** Python level name for an OTel severity number (ranges per the OTel log data model). */
export function severityToLevelName(severity: SeverityNumber | undefined): LevelName {
  if (severity === undefined || severity <= 0) return 'NOTSET';
  if (severity < SeverityNumber.INFO) return 'DEBUG';
  if (severity < SeverityNumber.WARN) return 'INFO';
  if (severity < SeverityNumber.ERROR) return 'WARNING';
  if (severity < SeverityNumber.FATAL) return 'ERROR';
  return 'CRITICAL';
}

/** Python level number for an OTel severity number. */
export function severityToLevelNumber(severity: SeverityNumber | undefined): number {
  return LEVEL_NUMBERS[severityToLevelName(severity)];
}
