import { LEVEL_NUMBERS, type LevelName } from '../config/levels.js';
import type { DiagForward, DiagMethod } from '../internal/SdkDiagLogger.js';
import { channelLogger, currentTelemetry, currentThread } from './channelRegistry.js';

const LEVEL_OF: Readonly<Record<DiagMethod, LevelName>> = {
  error: 'ERROR',
  warn: 'WARNING',
  info: 'INFO',
  debug: 'DEBUG',
  verbose: 'DEBUG',
};

/**
 * Sends an SDK diagnostic to the root channel's handlers (the log file, CSV, ... of the embedded
 * default), at its level, while the SDK runs. Returns true when one of those handlers is a console on
 * stderr that takes this level, which then prints it (stderr gets each diagnostic once). During and
 * after shutdown nothing is forwarded: the sinks are closing, and a record to a closed OTLP queue
 * would count as one more drop.
 */
export const forwardDiagToRoot: DiagForward = (method, line) => {
  const t = currentTelemetry() ?? currentThread();
  if (!t || t.isShutdown) return false;
  const level = LEVEL_OF[method];
  const root = channelLogger('root');
  const levelno = LEVEL_NUMBERS[level];
  if (!root.isEnabledFor(levelno)) return false;
  const handlers = t.handlersOf('root').map((name) => t.config.handlers.get(name));
  // Where nothing would show it (no handler, or only null ones), the record is not made at all.
  if (!handlers.some((h) => h !== undefined && h.type !== 'null')) return false;
  root.log(level, line);
  return handlers.some(
    (h) => h?.type === 'console' && h.stream === 'stderr' && LEVEL_NUMBERS[h.level] <= levelno,
  );
};
