import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';

function stringify(args: unknown[]): string {
  return args
    .map((a) => {
      if (a instanceof Error)
        return `${a.name}: ${a.message} ${String((a as { code?: unknown }).code ?? '')}`;
      return typeof a === 'string' ? a : JSON.stringify(a);
    })
    .join(' ');
}

const LEVELS = {
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
} as const;

/**
 * Routes OpenTelemetry's `diag` (`level` and above, default WARN) into an array until `stop()` is
 * called. Each entry is `<level> <arguments>`, errors as `name: message code`.
 */
export function captureDiag(level: keyof typeof LEVELS = 'warn'): { messages: string[]; stop(): void } {
  const messages: string[] = [];
  const collect =
    (name: string) =>
    (...args: unknown[]) => {
      messages.push(`${name} ${stringify(args)}`);
    };
  const logger: DiagLogger = {
    error: collect('error'),
    warn: collect('warn'),
    info: collect('info'),
    debug: collect('debug'),
    verbose: collect('verbose'),
  };
  diag.setLogger(logger, { logLevel: LEVELS[level], suppressOverrideMessage: true });
  return { messages, stop: () => diag.disable() };
}
