import { compensatedSum } from './internal/finite.js';

/**
 * The values of the last `steps` training steps: a point recorded at step s is in the window while
 * s > newest - steps. So "a moving average over 100 steps" means 100 training steps whether a value
 * arrives every step or every 50 (then the window holds 2 points). O(1) amortised push and mean.
 *
 * - Steps must increase: a point at the newest step replaces that step's value (the step's latest
 *   word wins), a point at an earlier step is refused (`push` returns false) and counted in `refused`.
 * - Non-finite values and steps that are not non-negative safe integers are refused and counted.
 * - The mean is a running compensated sum, recomputed exactly each time `steps` points have left, so
 *   rounding cannot accumulate over a long run. An empty window reports NaN.
 */
export class StepWindow {
  readonly steps: number;
  private stepOf: number[] = [];
  private valueOf: number[] = [];
  private head = 0;
  private sum = 0;
  private comp = 0;
  private evicted = 0;
  private nRefused = 0;

  constructor(steps = 100) {
    if (!Number.isInteger(steps) || steps < 1) {
      throw new RangeError(`StepWindow: steps must be a positive integer, got ${steps}`);
    }
    this.steps = steps;
  }

  /** Records `value` at `step`; false (and counted in `refused`) for a bad value or an earlier step. */
  push(step: number, value: number): boolean {
    if (!Number.isFinite(value) || !Number.isSafeInteger(step) || step < 0) {
      this.nRefused++;
      return false;
    }
    const n = this.stepOf.length;
    if (n > this.head) {
      const newest = this.stepOf[n - 1]!;
      if (step < newest) {
        this.nRefused++;
        return false;
      }
      if (step === newest) {
        this.add(-this.valueOf[n - 1]!);
        this.valueOf[n - 1] = value;
        this.add(value);
        return true;
      }
    }
    this.stepOf.push(step);
    this.valueOf.push(value);
    this.add(value);
    const limit = step - this.steps;
    while (this.head < this.stepOf.length && this.stepOf[this.head]! <= limit) {
      this.add(-this.valueOf[this.head]!);
      this.head++;
      this.evicted++;
    }
    if (this.evicted >= this.steps) this.recompute();
    return true;
  }

  /** Neumaier's compensated addition. */
  private add(x: number): void {
    const t = this.sum + x;
    this.comp += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }

  private recompute(): void {
    this.stepOf = this.stepOf.slice(this.head);
    this.valueOf = this.valueOf.slice(this.head);
    this.head = 0;
    this.evicted = 0;
    this.sum = compensatedSum(this.valueOf);
    this.comp = 0;
  }

  /** Points in the window. */
  get count(): number {
    return this.stepOf.length - this.head;
  }

  /** The newest step recorded (NaN when empty). */
  get lastStep(): number {
    return this.count === 0 ? Number.NaN : this.stepOf[this.stepOf.length - 1]!;
  }

  /** Mean of the window's points: the moving average over the last `steps` steps. */
  get mean(): number {
    const n = this.count;
    return n === 0 ? Number.NaN : (this.sum + this.comp) / n;
  }

  /** Pushes refused so far (bad values, earlier steps). */
  get refused(): number {
    return this.nRefused;
  }

  /** The window's points, oldest first (copies). */
  points(): { steps: number[]; values: number[] } {
    return { steps: this.stepOf.slice(this.head), values: this.valueOf.slice(this.head) };
  }
}
