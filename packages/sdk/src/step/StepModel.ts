/**
 * Which training step a value belongs to: the one rule every call of the SDK uses.
 *
 * 1. A step the call names (`logRewardMetrics(step, ...)`, `logReward(..., { step })`) wins.
 * 2. Otherwise the step the trainer is in:
 *    - the step of the last `beginStep(step)`, once the trainer has called it (a step scope: exact
 *      whatever the order of the calls inside the step);
 *    - else the step after the last one reported by `logTrainingProgress(step)` (TRL's order: the
 *      step's lines and values during the step, its report at its end), 0 before the first report;
 *      and at least the highest step a call has named (`logRewardMetrics(7, ...)` during step 7
 *      puts the step's later lines at 7, even before its first report).
 *
 * `logTrainingProgress` without a step reports the current step (and so ends it, without a scope).
 */
export class StepModel {
  private scope: number | undefined;
  private reported: number | undefined;
  private named = 0;
  private highestSeen: number | undefined;

  /** The step a value without a step of its own belongs to. */
  get current(): number {
    if (this.scope !== undefined) return this.scope;
    return Math.max(this.reported === undefined ? 0 : this.reported + 1, this.named);
  }

  /**
   * The last step the trainer was really in: the scope, else the last reported or named step (0
   * before any). Without a scope, `current` is the step after a report, which may never come.
   */
  get lastActive(): number {
    if (this.scope !== undefined) return this.scope;
    return Math.max(this.reported ?? 0, this.named);
  }

  /** The highest step the trainer has been in or reported (undefined before any). */
  get highest(): number | undefined {
    return this.highestSeen;
  }

  /** Whether the trainer declares its steps (`beginStep`). */
  get scoped(): boolean {
    return this.scope !== undefined;
  }

  /** The trainer is now in `step`. Returns the previous current step. */
  begin(step: number): number {
    const previous = this.current;
    this.scope = step;
    this.note(step);
    return previous;
  }

  /** `logTrainingProgress(step)`: the step's report. Without a scope, the trainer is then in step + 1. */
  report(step: number): void {
    if (this.reported === undefined || step > this.reported) this.reported = step;
    this.note(step);
  }

  /** A call named `step` for its values (the trainer is in that step at least). */
  name(step: number): void {
    if (step > this.named) this.named = step;
  }

  private note(step: number): void {
    if (this.highestSeen === undefined || step > this.highestSeen) this.highestSeen = step;
  }
}
