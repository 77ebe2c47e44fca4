import { writeSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { type DiagLogger, DiagLogLevel } from '@opentelemetry/api';

/** OTel's diag method names, most severe first, with their levels. */
const METHODS = [
  ['error', DiagLogLevel.ERROR],
  ['warn', DiagLogLevel.WARN],
  ['info', DiagLogLevel.INFO],
  ['debug', DiagLogLevel.DEBUG],
  ['verbose', DiagLogLevel.VERBOSE],
] as const;

export type DiagMethod = (typeof METHODS)[number][0];

/** Causes remembered for "once per cause"; past this many, new causes are no longer printed. */
const MAX_CAUSES = 1000;

/**
 * Where a diagnostic goes besides stderr (the root channel): returns true when that destination
 * already writes it to stderr, so that it is not printed twice.
 */
export type DiagForward = (level: DiagMethod, line: string) => boolean;

export interface SdkDiagLoggerOptions {
  /** Writes one line (default: process.stderr). */
  write?: (line: string) => void;
}

/** One line: the message and its arguments (errors by name, code and message), line breaks escaped. */
export function formatDiag(message: unknown, args: readonly unknown[]): string {
  const parts = [typeof message === 'string' ? message : describe(message)];
  for (const a of args) parts.push(describe(a));
  const text = parts.filter((p) => p !== '').join(' ');
  const line = text.replace(/\r?\n\s*/g, ' | ');
  return line.startsWith('grpo-otel') ? line : `grpo-otel: OpenTelemetry: ${line}`;
}

function describe(a: unknown): string {
  if (a instanceof Error) {
    const code = (a as { code?: unknown }).code;
    return `(${a.name}${code !== undefined ? ` ${String(code)}` : ''}: ${a.message})`;
  }
  if (typeof a === 'string') return a;
  if (a === undefined) return '';
  try {
    return JSON.stringify(a) ?? String(a);
  } catch {
    return String(a);
  }
}

/**
 * The SDK's `diag` logger: what OpenTelemetry and the SDK report at `level` and above, one line each on
 * stderr, each cause once (a cause is the message with its numbers left out, so "dropped 3" and
 * "dropped 7" are one cause). Warnings and errors stay visible without any setup, as Python's
 * `logging.lastResort` does. A forward (the root channel) may take them too; a diagnostic raised
 * while one is being forwarded goes to stderr only, so a failing destination cannot loop.
 */
export class SdkDiagLogger implements DiagLogger {
  level: DiagLogLevel = DiagLogLevel.WARN;
  forward: DiagForward | undefined;
  private readonly seen = new Set<string>();
  private forwarding = false;
  private readonly write: (line: string) => void;

  readonly error: DiagLogger['error'];
  readonly warn: DiagLogger['warn'];
  readonly info: DiagLogger['info'];
  readonly debug: DiagLogger['debug'];
  readonly verbose: DiagLogger['verbose'];

  constructor(options: SdkDiagLoggerOptions = {}) {
    // On a telemetry thread, stderr is a pipe the main thread drains only when its loop turns.
    this.write =
      options.write ??
      (isMainThread ? (line) => process.stderr.write(`${line}\n`) : (line) => writeSync(2, `${line}\n`));
    const [error, warn, info, debug, verbose] = METHODS.map(
      ([name, level]) =>
        (message: string, ...args: unknown[]) =>
          this.report(name, level, message, args),
    );
    this.error = error!;
    this.warn = warn!;
    this.info = info!;
    this.debug = debug!;
    this.verbose = verbose!;
  }

  /** Whether a diagnostic of this level is printed at all. */
  enabled(level: DiagLogLevel): boolean {
    return this.level !== DiagLogLevel.NONE && level <= this.level;
  }

  private report(name: DiagMethod, level: DiagLogLevel, message: unknown, args: unknown[]): void {
    if (!this.enabled(level)) return;
    // OTel tells the logger being replaced where the new one comes from: the user taking over.
    if (typeof message === 'string' && message.startsWith('Current logger will be overwritten')) return;
    const line = formatDiag(message, args);
    const cause = `${name} ${line.replace(/\d+(\.\d+)?/g, '#')}`;
    if (this.seen.has(cause)) return;
    if (this.seen.size >= MAX_CAUSES) return;
    this.seen.add(cause);
    let echoed = false;
    if (this.forward && !this.forwarding) {
      this.forwarding = true;
      try {
        echoed = this.forward(name, line);
      } catch {
        echoed = false;
      } finally {
        this.forwarding = false;
      }
    }
    if (!echoed) {
      try {
        this.write(line);
      } catch {
        // stderr closed: nothing left to tell
      }
    }
  }
}
