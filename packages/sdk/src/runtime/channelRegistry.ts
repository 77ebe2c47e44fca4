import type { Tracer } from '@opentelemetry/api';
import type { ResolvedConfig } from '../config/ResolvedConfig.js';
import type { DropCounter } from '../internal/DropCounter.js';
import { ChannelLogger } from '../logging/ChannelLogger.js';
import { setSdkLifecycle, warnInactiveCall } from '../logging/sdkLifecycle.js';
import type { GrpoTelemetry } from './GrpoTelemetry.js';
import type { TelemetryThread } from './TelemetryThread.js';

/**
 * What the calls that run on the caller's thread (spans, validation passes, config queries) need:
 * the SDK itself, or, with a telemetry thread, the training thread's end of it.
 */
export interface CallerSide {
  readonly config: ResolvedConfig;
  readonly tracer: Tracer;
  readonly drops: Pick<DropCounter, 'record'>;
  readonly isShutdown: boolean;
  logger(name: string): ChannelLogger;
  bind(logger: ChannelLogger): void;
}

/**
 * The process-wide channel loggers and the active SDK instance. Loggers are created once per name
 * and rebound when the SDK is (re)initialized or shut down, so a logger obtained before
 * `initialize()` starts routing as soon as it runs (as with Python's logging).
 */
const loggers = new Map<string, ChannelLogger>();
let active: GrpoTelemetry | undefined;
let thread: TelemetryThread | undefined;

/**
 * The active SDK instance, for an API call about to use it: when there is none because
 * `initialize()` has not run yet, the call is named in a warning (once per call). With a telemetry
 * thread, the instance lives there: on the training thread this is undefined (calls are forwarded).
 */
export function activeTelemetry(): GrpoTelemetry | undefined {
  if (active === undefined && thread === undefined) warnInactiveCall();
  return active;
}

/** The active SDK instance, without a word when there is none (for lifecycle calls and queries). */
export function currentTelemetry(): GrpoTelemetry | undefined {
  return active;
}

/** The training thread's end of the active telemetry thread, if one runs. */
export function currentThread(): TelemetryThread | undefined {
  return thread;
}

/** What the caller's thread holds of the active SDK (see {@link CallerSide}); warns like {@link activeTelemetry}. */
export function callerSide(): CallerSide | undefined {
  const side = active ?? thread;
  if (side === undefined) warnInactiveCall();
  return side;
}

/** {@link callerSide} without a word when there is none. */
export function currentSide(): CallerSide | undefined {
  return active ?? thread;
}

export function setActiveTelemetry(t: GrpoTelemetry | TelemetryThread | undefined): void {
  if (t) setSdkLifecycle('active');
  else if (active || thread) setSdkLifecycle('shutdown');
  if (t === undefined) {
    active = undefined;
    thread = undefined;
  } else if ('loggerProvider' in t) {
    active = t;
    thread = undefined;
  } else {
    thread = t;
    active = undefined;
  }
  for (const l of loggers.values()) {
    if (t) t.bind(l);
    else l._bind(undefined);
  }
}

export function channelLogger(name: string): ChannelLogger {
  let l = loggers.get(name);
  if (!l) {
    l = new ChannelLogger(name);
    loggers.set(name, l);
    (active ?? thread)?.bind(l);
  }
  return l;
}
