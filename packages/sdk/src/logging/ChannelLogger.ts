import type { AnyValueMap, Logger } from '@opentelemetry/api-logs';
import { LEVEL_ALIASES, LEVEL_NUMBERS, LEVEL_TO_SEVERITY, type LevelName } from '../config/levels.js';
import { capturedCallTime } from '../internal/callClock.js';
import type { DropCounter } from '../internal/DropCounter.js';
import { safeString as messageText } from '../internal/describeValue.js';
import { normalizeAttributes } from '../internal/normalizeAttributes.js';
import type { StrideSampler } from '../internal/StrideSampler.js';
import type { StringSanitizer } from '../internal/StringSanitizer.js';
import type { TokenBucket } from '../internal/TokenBucket.js';
import { warnInactiveCall } from './sdkLifecycle.js';

/** Attributes of a log record: OTel's AnyValue map (strings, numbers, booleans, arrays, maps). */
export type LogAttributes = AnyValueMap;

/** What a channel logger emits through while the SDK is initialized. */
export interface ChannelBinding {
  /** Emits the channel's records (on the thread that runs the pipeline). */
  logger?: Logger;
  /**
   * Hands a record that passed the channel's level to the telemetry thread instead (which applies
   * sampling, rate limits and sanitizing there, through its own binding).
   */
  forward?: (levelno: number, message: unknown, attributes: unknown) => void;
  /** Python level number below which records are discarded (the channel's effective level). */
  minLevel: number;
  limiter?: TokenBucket;
  sampler?: StrideSampler;
  drops: Pick<DropCounter, 'record'>;
  /** Truncation and redaction of the message and string attributes (config `limits`). */
  sanitizer?: StringSanitizer;
}

const LEVEL_NAMES: readonly LevelName[] = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];

function levelNumber(level: LevelName | number | string): number {
  if (typeof level === 'number') return Number.isNaN(level) ? LEVEL_NUMBERS.INFO : level;
  if (typeof level !== 'string') return LEVEL_NUMBERS.INFO;
  const name = Object.hasOwn(LEVEL_ALIASES, level.toUpperCase())
    ? LEVEL_ALIASES[level.toUpperCase()]
    : undefined;
  return name ? LEVEL_NUMBERS[name] : LEVEL_NUMBERS.INFO;
}

function levelNameOf(levelno: number): LevelName {
  let name: LevelName = 'DEBUG';
  for (const n of LEVEL_NAMES) if (levelno >= LEVEL_NUMBERS[n]) name = n;
  return name;
}

/**
 * A channel's logger (`training`, `model_outputs`, `rewards`, `whitelist`, `metrics`, `system`, or any
 * name), with Python's method names. It stays valid across `initialize()`/`shutdown()`: while the SDK
 * is not initialized, WARNING and above go to stderr, as Python's last-resort handler does; the first
 * lower record of each channel and level before `initialize()` says on stderr that it was ignored.
 */
export class ChannelLogger {
  private binding: ChannelBinding | undefined;

  constructor(readonly name: string) {}

  /** @internal Rebinds the logger to a (new) SDK instance, or unbinds it. */
  _bind(binding: ChannelBinding | undefined): void {
    this.binding = binding;
  }

  isEnabledFor(level: LevelName | number): boolean {
    const n = levelNumber(level);
    return this.binding ? n >= this.binding.minLevel : n >= LEVEL_NUMBERS.WARNING;
  }

  debug(message: string, attributes?: LogAttributes): void {
    this.log(LEVEL_NUMBERS.DEBUG, message, attributes);
  }
  info(message: string, attributes?: LogAttributes): void {
    this.log(LEVEL_NUMBERS.INFO, message, attributes);
  }
  warning(message: string, attributes?: LogAttributes): void {
    this.log(LEVEL_NUMBERS.WARNING, message, attributes);
  }
  /** Alias of {@link warning}. */
  warn(message: string, attributes?: LogAttributes): void {
    this.log(LEVEL_NUMBERS.WARNING, message, attributes);
  }
  error(message: string, attributes?: LogAttributes): void {
    this.log(LEVEL_NUMBERS.ERROR, message, attributes);
  }
  critical(message: string, attributes?: LogAttributes): void {
    this.log(LEVEL_NUMBERS.CRITICAL, message, attributes);
  }

  /** An ERROR record with the exception's type, message and stack (OTel's `exception.*` attributes). */
  exception(message: string, error: unknown, attributes?: LogAttributes): void {
    const err = error instanceof Error ? error : undefined;
    const own = attributes !== null && typeof attributes === 'object' && !Array.isArray(attributes);
    if (attributes !== undefined && !own) this.binding?.drops.record('logs', 'invalid_value', this.name);
    this.log(LEVEL_NUMBERS.ERROR, message, {
      ...(own ? attributes : {}),
      'exception.type': err?.name ?? typeof error,
      'exception.message': err?.message ?? messageText(error),
      ...(err?.stack ? { 'exception.stacktrace': err.stack } : {}),
    });
  }

  log(level: LevelName | number | string, message: string, attributes?: LogAttributes): void {
    const levelno = levelNumber(level);
    const b = this.binding;
    if (!b) {
      if (levelno >= LEVEL_NUMBERS.WARNING) process.stderr.write(`${messageText(message)}\n`);
      else
        warnInactiveCall(`getLogger(${JSON.stringify(this.name)}).${levelNameOf(levelno).toLowerCase()}()`);
      return;
    }
    if (levelno < b.minLevel) return;
    if (b.forward) {
      b.forward(levelno, message, attributes);
      return;
    }
    if (b.sampler && !b.sampler.keep()) {
      b.drops.record('logs', 'sampled', this.name);
      return;
    }
    if (b.limiter && !b.limiter.take()) {
      b.drops.record('logs', 'rate_limited', this.name);
      return;
    }
    const levelName = levelNameOf(levelno);
    let body: string;
    if (typeof message === 'string') body = message;
    else {
      body = messageText(message);
      b.sanitizer?.note('coerced');
    }
    let attrs = attributes;
    if (attrs !== undefined && attrs !== null && (typeof attrs !== 'object' || Array.isArray(attrs))) {
      // Not a map of attributes (a string, a number, an array): nothing of it can be kept.
      b.drops.record('logs', 'invalid_value', this.name);
      attrs = undefined;
    }
    const z = b.sanitizer;
    if (z) {
      body = z.apply(body);
      if (attrs)
        attrs = normalizeAttributes(attrs, z, (n) => b.drops.record('logs', 'invalid_value', this.name, n));
    }
    const timestamp = capturedCallTime();
    b.logger?.emit({
      ...(timestamp !== undefined ? { timestamp } : {}),
      severityNumber: LEVEL_TO_SEVERITY[levelName],
      severityText: levelName,
      body,
      ...(attrs ? { attributes: attrs } : {}),
    });
  }
}
