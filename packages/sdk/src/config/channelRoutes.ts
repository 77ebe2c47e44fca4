import { LEVEL_NUMBERS, type LevelName } from './levels.js';
import type { ResolvedConfig } from './ResolvedConfig.js';

/** The name of the OTLP sink added to every channel when OTLP logs are enabled without an `otlp` handler. */
export const IMPLICIT_OTLP_HANDLER = '<otlp>';

export interface ChannelRoute {
  channel: string;
  /** The level the channel emits from (its own, or root's when NOTSET). */
  effectiveLevel: LevelName;
  /** Handlers its records reach, in order, without duplicates. */
  handlers: string[];
}

/**
 * Where each channel's records go, by Python's rules: a logger's own handlers, then root's handlers
 * while `propagate` is true (a handler reached twice receives the record once); a logger whose level is
 * NOTSET uses root's level. Channels not in the file (e.g. `system` in the seed) behave like a logger
 * with no settings: root's level and handlers.
 */
export function channelRoutes(config: ResolvedConfig, extraChannels: readonly string[] = []): ChannelRoute[] {
  const implicit = config.otlp.logs ? [IMPLICIT_OTLP_HANDLER] : [];
  const dedupe = (names: string[]) => [...new Set(names)];
  const rootLevel = config.root.level;
  const out: ChannelRoute[] = [
    { channel: 'root', effectiveLevel: rootLevel, handlers: dedupe([...config.root.handlers, ...implicit]) },
  ];
  for (const ch of config.channels.values()) {
    out.push({
      channel: ch.name,
      effectiveLevel: ch.level === 'NOTSET' ? rootLevel : ch.level,
      handlers: dedupe([...ch.handlers, ...(ch.propagate ? config.root.handlers : []), ...implicit]),
    });
  }
  for (const name of extraChannels) {
    if (name === 'root' || config.channels.has(name)) continue;
    out.push({
      channel: name,
      effectiveLevel: rootLevel,
      handlers: dedupe([...config.root.handlers, ...implicit]),
    });
  }
  return out;
}

/** Python level number of a level name (NOTSET = 0: everything passes). */
export function levelThreshold(level: LevelName): number {
  return LEVEL_NUMBERS[level];
}
