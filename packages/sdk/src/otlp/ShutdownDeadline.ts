/**
 * One deadline for the shutdown of several export queues (logs, metrics, spans), so that they drain in
 * parallel and stop together: `await shutdown()` then takes about one export timeout with the receiver
 * unreachable, not one per signal. The first queue (or the SDK) to start it sets it; the others read it.
 */
export class ShutdownDeadline {
  private at: number | undefined;

  /** Starts the deadline `ms` from now unless it has started already; returns it (epoch milliseconds). */
  start(ms: number): number {
    this.at ??= Date.now() + Math.max(0, ms);
    return this.at;
  }

  /** Whether shutdown has begun: a flush then leaves the delivery to the shutdown's drain. */
  get started(): boolean {
    return this.at !== undefined;
  }

  /** Milliseconds left (0 once passed; Infinity before it starts). */
  remaining(): number {
    return this.at === undefined ? Number.POSITIVE_INFINITY : Math.max(0, this.at - Date.now());
  }

  /** Resolves with `p`'s value, or with undefined when the deadline passes first. Never rejects. */
  async race<T>(p: Promise<T>): Promise<T | undefined> {
    const left = this.remaining();
    if (left === Number.POSITIVE_INFINITY) return p.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<undefined>((r) => {
      // Kept alive (not unref'd): a trainer awaiting shutdown() must not exit in the middle of it.
      timer = setTimeout(() => r(undefined), left);
    });
    try {
      return await Promise.race([p.catch(() => undefined), expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}
