import { diag } from '@opentelemetry/api';

export interface ExitHookTarget {
  /** Async flush and shutdown of everything. */
  shutdown(): Promise<void>;
  /** Async flush of everything, leaving the SDK running. */
  forceFlush(): Promise<void>;
  /** Synchronous last-chance flush of local sinks, before a signal is re-raised. */
  flushSync(): void;
  /** For the 'exit' event: count what can no longer be sent, then flush local sinks synchronously. */
  exitSync(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Flushes on SIGINT, SIGTERM, normal exit (`beforeExit`) and `process.exit()` (`exit`, synchronous
 * sinks only), without keeping the process alive and without taking over the application's signal
 * handling: when the application has its own listener for a signal we only flush and leave the
 * decision to it (it may well keep running); when it has none, we flush and then re-raise the signal
 * so the process ends as it would have without us (killed by that signal).
 * On a signal we flush rather than shut down: records logged while the flush runs are queued and then
 * written synchronously right before the signal is re-raised, so nothing logged before the process
 * dies is lost.
 * An uncaught exception or an unhandled rejection (Node's default `--unhandled-rejections=throw`)
 * ends the process through the same 'exit' event: the local sinks are drained synchronously there,
 * and Node's own behaviour is kept (it prints the error and exits with code 1); nothing here
 * listens for 'uncaughtException', which would swallow the error.
 * Returns a function that removes the hooks.
 */
export function installExitHooks(
  target: ExitHookTarget,
  options: { signalTimeoutMs?: number } = {},
): () => void {
  const timeoutMs = options.signalTimeoutMs ?? 5000;
  let flushingForSignal = false;

  const onBeforeExit = () => {
    void target.shutdown();
  };
  const onExit = () => {
    try {
      target.exitSync();
    } catch (err) {
      diag.error('grpo-otel: flush at exit failed', err);
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    const appHandlesIt = process.listenerCount(signal) > 1;
    if (flushingForSignal) {
      // A second Ctrl-C while flushing: stop waiting, keep what can be written synchronously.
      if (!appHandlesIt) {
        target.flushSync();
        reraise(signal);
      }
      return;
    }
    flushingForSignal = true;
    const timer = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    void Promise.race([target.forceFlush(), timer])
      .catch((err) => diag.error('grpo-otel: flush on signal failed', err))
      .finally(() => {
        flushingForSignal = false;
        target.flushSync();
        if (!appHandlesIt) reraise(signal);
      });
  };
  const reraise = (signal: NodeJS.Signals) => {
    remove();
    process.kill(process.pid, signal);
  };

  process.on('beforeExit', onBeforeExit);
  process.on('exit', onExit);
  for (const s of SIGNALS) process.on(s, onSignal);
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    process.removeListener('beforeExit', onBeforeExit);
    process.removeListener('exit', onExit);
    for (const s of SIGNALS) process.removeListener(s, onSignal);
  };
  return remove;
}
