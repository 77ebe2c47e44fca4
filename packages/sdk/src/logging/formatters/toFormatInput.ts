import { SeverityNumber } from '@opentelemetry/api-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { LEVEL_ALIASES, LEVEL_NUMBERS, severityToLevelName } from '../../config/levels.js';
import type { FormatInput } from './FormatInput.js';
import { safeJsonStringify } from './JsonFormatter.js';

/** OTel's short severity names (TRACE, DEBUG2, WARN4, ...): the base name's SeverityNumber. */
const OTEL_SHORT_NAMES: Readonly<Record<string, SeverityNumber>> = {
  TRACE: SeverityNumber.TRACE,
  DEBUG: SeverityNumber.DEBUG,
  INFO: SeverityNumber.INFO,
  WARN: SeverityNumber.WARN,
  ERROR: SeverityNumber.ERROR,
  FATAL: SeverityNumber.FATAL,
};

const EMPTY_ATTRIBUTES: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * The formatter's view of an OTel log record: logger name from the instrumentation scope, Python
 * level from the severity number (or, without one, from the severity text), the body as text (a
 * non-string body as JSON), and exception details from the `exception.*` attributes. Never throws.
 */
export function toFormatInput(record: ReadableLogRecord): FormatInput {
  const { levelname, levelno } = level(record.severityNumber, record.severityText);
  const attributes = (record.attributes ?? EMPTY_ATTRIBUTES) as Readonly<Record<string, unknown>>;
  const input: FormatInput = {
    timeMs: hrTimeToMs(record.hrTime),
    name: record.instrumentationScope?.name ?? '',
    levelname,
    levelno,
    message: messageText(record.body),
    attributes,
  };
  const exception = exceptionOf(attributes);
  if (exception) input.exception = exception;
  return input;
}

function hrTimeToMs(hrTime: readonly [number, number] | undefined): number {
  if (!hrTime) return Date.now();
  const ms = hrTime[0] * 1000 + hrTime[1] / 1e6;
  return Number.isFinite(ms) ? ms : Date.now();
}

function level(
  severityNumber: SeverityNumber | undefined,
  severityText: string | undefined,
): { levelname: string; levelno: number } {
  if (typeof severityNumber === 'number' && severityNumber > 0) {
    const name = severityToLevelName(severityNumber);
    return { levelname: name, levelno: LEVEL_NUMBERS[name] };
  }
  if (typeof severityText === 'string' && severityText !== '') {
    const upper = severityText.trim().toUpperCase();
    const alias = LEVEL_ALIASES[upper];
    if (alias) return { levelname: alias, levelno: LEVEL_NUMBERS[alias] };
    const short = OTEL_SHORT_NAMES[upper.replace(/[1-4]$/, '')];
    if (short !== undefined) {
      const name = severityToLevelName(short);
      return { levelname: name, levelno: LEVEL_NUMBERS[name] };
    }
    // A level Python does not know: keep its text, like a custom logging level name.
    return { levelname: severityText, levelno: 0 };
  }
  return { levelname: 'NOTSET', levelno: 0 };
}

function messageText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body === undefined) return '';
  return safeJsonStringify(body) ?? '';
}

function exceptionOf(attributes: Readonly<Record<string, unknown>>): FormatInput['exception'] | undefined {
  const type = textOf(attributes['exception.type']);
  const message = textOf(attributes['exception.message']);
  const stacktrace = textOf(attributes['exception.stacktrace']);
  if (type === undefined && message === undefined && stacktrace === undefined) return undefined;
  const out: NonNullable<FormatInput['exception']> = {};
  if (type !== undefined) out.type = type;
  if (message !== undefined) out.message = message;
  if (stacktrace !== undefined) out.stacktrace = stacktrace;
  return out;
}

function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : safeJsonStringify(value);
}
