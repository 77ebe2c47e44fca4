/**
 * Averages per-step metrics between two logging steps, as trainers do for their logged values (TRL
 * averages over `logging_steps`): `add` each step, `flush` at a logging step.
 */
export class MetricWindow {
  private readonly sums = new Map<string, number>();
  private readonly counts = new Map<string, number>();

  /** Adds one step's values; non-finite values are left out of their mean. */
  add(values: Readonly<Record<string, number>>): void {
    for (const [key, v] of Object.entries(values)) {
      if (!Number.isFinite(v)) continue;
      this.sums.set(key, (this.sums.get(key) ?? 0) + v);
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
  }

  /** Steps added since the last flush (of the most frequent key). */
  get size(): number {
    let n = 0;
    for (const c of this.counts.values()) n = Math.max(n, c);
    return n;
  }

  /** The mean of each key since the last flush, in first-seen order; then starts over. */
  flush(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, sum] of this.sums) out[key] = sum / (this.counts.get(key) ?? 1);
    this.sums.clear();
    this.counts.clear();
    return out;
  }
}
