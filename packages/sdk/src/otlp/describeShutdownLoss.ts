import type { ShutdownLoss } from './ExportQueue.js';

const ORDER = ['logs', 'metrics', 'traces'] as const;
const UNITS: Readonly<Record<(typeof ORDER)[number], [string, string]>> = {
  logs: ['log', 'logs'],
  metrics: ['metric point', 'metric points'],
  traces: ['span', 'spans'],
};

/**
 * What shutdown could not deliver, one line per destination:
 * `grpo-otel: shutdown: 12 logs, 30 metric points, 5 spans not delivered to http://host:4318 within 10 s: ECONNREFUSED`.
 */
export function describeShutdownLoss(losses: readonly ShutdownLoss[], deadlineMs: number): string[] {
  const byDestination = new Map<string, ShutdownLoss[]>();
  for (const l of losses) {
    const key = l.destination ?? l.name;
    byDestination.set(key, [...(byDestination.get(key) ?? []), l]);
  }
  const lines: string[] = [];
  for (const [destination, list] of byDestination) {
    const counts: string[] = [];
    for (const signal of ORDER) {
      const n = list.filter((l) => l.signal === signal).reduce((sum, l) => sum + l.records, 0);
      if (n > 0) counts.push(`${n} ${UNITS[signal][n === 1 ? 0 : 1]}`);
    }
    const causes = [
      ...new Set(ORDER.flatMap((signal) => list.filter((l) => l.signal === signal).map((l) => l.cause))),
    ].join(', ');
    lines.push(
      `grpo-otel: shutdown: ${counts.join(', ')} not delivered to ${destination} within ${formatSeconds(deadlineMs)}: ${causes} (counted in grpo.sdk.record.dropped)`,
    );
  }
  return lines;
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
