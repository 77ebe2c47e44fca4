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

/**
 * Routes OpenTelemetry's `diag` (WARN and above) into an array until `stop()` is called.
 * Each entry is `<level> <arguments>`, errors as `name: message code`.
 */
export function captureDiag(level: DiagLogLevel = DiagLogLevel.WARN): { messages: string[]; stop(): void } {
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
  diag.setLogger(logger, { logLevel: level, suppressOverrideMessage: true });
  return { messages, stop: () => diag.disable() };
}
