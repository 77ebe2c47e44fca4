import { basename, dirname, extname, join } from 'node:path';
import type { HandlerConfig, ResourceConfig } from './ResolvedConfig.js';

/** `dir/train.log` -> `dir/train.rank3.log` (`dir/train` -> `dir/train.rank3`). */
export function rankSuffixedPath(filename: string, rank: number): string {
  const ext = extname(filename);
  const stem = basename(filename, ext);
  return join(dirname(filename), `${stem}.rank${rank}${ext}`);
}

/**
 * Applies each local sink's `ranks:` to this process's rank, in place. Single-process runs (world size
 * absent or 1) keep every sink as configured. In a distributed run, `zero` leaves the sink to rank 0 alone
 * (`onThisRank: false` elsewhere) and `all` gives each rank its own file (`name.rank<k>.ext`) or
 * TensorBoard run (`<run id>/rank<k>`), so no two processes ever append to the same file.
 * A distributed run without a rank counts as rank 0.
 */
export function placeHandlersOnRank(handlers: Map<string, HandlerConfig>, resource: ResourceConfig): void {
  const world = resource.worldSize ?? 1;
  if (world <= 1) return;
  const rank = resource.rank ?? 0;
  for (const [name, h] of handlers) {
    if (h.type !== 'file' && h.type !== 'csv' && h.type !== 'tensorboard' && h.type !== 'traces') continue;
    if (h.ranks === 'zero') {
      handlers.set(name, { ...h, onThisRank: rank === 0 });
    } else if (h.type === 'tensorboard') {
      handlers.set(name, { ...h, rankRun: `rank${rank}` });
    } else {
      handlers.set(name, { ...h, filename: rankSuffixedPath(h.filename, rank) });
    }
  }
}
