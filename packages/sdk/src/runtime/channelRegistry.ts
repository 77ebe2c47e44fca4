import { ChannelLogger } from '../logging/ChannelLogger.js';
import { setSdkLifecycle, warnInactiveCall } from '../logging/sdkLifecycle.js';
import type { GrpoTelemetry } from './GrpoTelemetry.js';

/**
 * The process-wide channel loggers and the active SDK instance. Loggers are created once per name
 * and rebound when the SDK is (re)initialized or shut down, so a logger obtained before
 * `initialize()` starts routing as soon as it runs (as with Python's logging).
 */
const loggers = new Map<string, ChannelLogger>();
let active: GrpoTelemetry | undefined;

/**
 * The active SDK instance, for an API call about to use it: when there is none because
 * `initialize()` has not run yet, the call is named in a warning (once per call).
 */
export function activeTelemetry(): GrpoTelemetry | undefined {
  if (active === undefined) warnInactiveCall();
  return active;
}

/** The active SDK instance, without a word when there is none (for lifecycle calls and queries). */
export function currentTelemetry(): GrpoTelemetry | undefined {
  return active;
}

export function setActiveTelemetry(t: GrpoTelemetry | undefined): void {
  if (t) setSdkLifecycle('active');
  else if (active) setSdkLifecycle('shutdown');
  active = t;
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
    active?.bind(l);
  }
  return l;
}
