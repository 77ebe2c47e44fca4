/**
 * A series of (step, value) points with strictly increasing steps, kept just far enough back to answer
 * "the value at `lookback` steps before the newest point": the newest point at a step <= newest - lookback.
 * Holds at most `lookback` + 1 points (steps are distinct integers), so memory is bounded by the window.
 */
export class StepHistory {
  private steps: number[] = [];
  private values: number[] = [];
  private head = 0;

  constructor(readonly lookback: number) {}

  /** The newest step pushed (NaN when empty). */
  get lastStep(): number {
    return this.steps.length > this.head ? this.steps[this.steps.length - 1]! : Number.NaN;
  }

  /** Appends a point; `step` must be above {@link lastStep} (the caller checks). */
  push(step: number, value: number): void {
    this.steps.push(step);
    this.values.push(value);
    // Keep one point at or before newest - lookback (the baseline), drop the ones before it.
    const limit = step - this.lookback;
    while (this.steps.length - this.head >= 2 && this.steps[this.head + 1]! <= limit) this.head++;
    if (this.head > 64 && this.head * 2 > this.steps.length) {
      this.steps = this.steps.slice(this.head);
      this.values = this.values.slice(this.head);
      this.head = 0;
    }
  }

  /** The value of the newest point at a step <= newest - lookback (NaN when there is none). */
  baseline(): number {
    if (this.steps.length === this.head) return Number.NaN;
    const limit = this.lastStep - this.lookback;
    return this.steps[this.head]! <= limit ? this.values[this.head]! : Number.NaN;
  }

  reset(): void {
    this.steps = [];
    this.values = [];
    this.head = 0;
  }
}
