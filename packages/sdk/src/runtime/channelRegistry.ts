import { ChannelLogger } from '../ChannelLogger.js';
import type { GrpoTelemetry } from './GrpoTelemetry.js';

/**
 * The process-wide channel loggers and the active SDK instance. Loggers are created once per name
 * and rebound when the SDK is (re)initialized or shut down, so a logger obtained before
 * `initialize()` starts routing as soon as it runs (as with Python's logging).
 */
const loggers = new Map<string, ChannelLogger>();
let active: GrpoTelemetry | undefined;

export function activeTelemetry(): GrpoTelemetry | undefined {
  return active;
}

export function setActiveTelemetry(t: GrpoTelemetry | undefined): void {
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
