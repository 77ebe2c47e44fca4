import { StepHistory } from './internal/StepHistory.js';
import { type Smoothing, smoother } from './internal/smoother.js';

export interface PlateauDetectorOptions {
  /** Training steps over which the improvement is measured (default 100). */
  window?: number;
  /** The smallest improvement over `window` updates that counts as progress (default 0.01, in the value's units). */
  minDelta?: number;
  /** Consecutive updates (steps with a value) without progress before the plateau fires (default 1). */
  patience?: number;
  /** 'ema' (default), 'sma' or 'none'. */
  smoothing?: Smoothing;
  /** EMA span (alpha = 2 / (span + 1)) or SMA length (default 10). */
  smoothingWindow?: number;
  /** 'max' (default): higher is better (rewards, accuracy); 'min': lower is better. */
  mode?: 'max' | 'min';
}

/** The detector's answer to one update. */
export interface PlateauUpdate {
  /** The step passed to `update` (if any). */
  step?: number;
  /** The smoothed value after this update (NaN before the first finite value). */
  smoothed: number;
  /**
   * Improvement of the smoothed value over the last `window` steps, s_t - s_b, where b is the latest
   * step with a value at or before t - window ('min' mode: s_b - s_t); NaN until such a step exists.
   */
  improvement: number;
  /** True while in a plateau (from the update that fired until progress resumes). */
  plateau: boolean;
  /** True only on the update where the plateau fires (once per plateau). */
  fired: boolean;
}

/**
 * Reward plateau detection, for early stopping or checkpointing.
 *
 * Each finite value updates the smoothed series s (EMA or SMA over `smoothingWindow` updates) at its
 * training step t. Once a value exists at a step b <= t - window (the latest such step),
 * improvement_t = s_t - s_b. So the window counts training steps, whether a value comes every step or
 * every 50 (with values every step, b = t - window). An update "stalls" when improvement_t <
 * `minDelta`; after `patience` consecutive stalled updates the plateau fires (`fired` true on that update
 * only). It stays in plateau (no further firing) until an update with improvement_t >= minDelta, which
 * re-arms it. Without a step, each finite value is the step after the previous one (0, 1, 2, ...).
 * Non-finite values, and steps that do not increase, are skipped (counted in `skipped`) and change
 * nothing.
 * Noise around `minDelta` can re-arm the detector and fire it again a few updates later; a `patience`
 * above 1 or a longer `smoothingWindow` prevents that flapping.
 */
export class PlateauDetector {
  readonly window: number;
  readonly minDelta: number;
  readonly patience: number;
  private readonly sign: number;
  private readonly smooth: (x: number) => number;
  private readonly history: StepHistory;
  private updates = 0;
  private stalled = 0;
  private inPlateau = false;
  private last = Number.NaN;
  private nSkipped = 0;
  private nFired = 0;

  constructor(options?: PlateauDetectorOptions) {
    this.window = options?.window ?? 100;
    this.minDelta = options?.minDelta ?? 0.01;
    this.patience = options?.patience ?? 1;
    if (!Number.isInteger(this.window) || this.window < 1) {
      throw new RangeError(`PlateauDetector: window must be a positive integer, got ${this.window}`);
    }
    if (!Number.isFinite(this.minDelta))
      throw new RangeError(`PlateauDetector: minDelta must be finite, got ${this.minDelta}`);
    if (!Number.isInteger(this.patience) || this.patience < 1) {
      throw new RangeError(`PlateauDetector: patience must be a positive integer, got ${this.patience}`);
    }
    this.sign = (options?.mode ?? 'max') === 'min' ? -1 : 1;
    this.smooth = smoother(options?.smoothing ?? 'ema', options?.smoothingWindow ?? 10, 'PlateauDetector');
    this.history = new StepHistory(this.window);
  }

  /** Feeds one value (e.g. the step's mean reward) at training step `step`, which is echoed back. */
  update(value: number, step?: number): PlateauUpdate {
    const at = step ?? this.updates;
    if (!Number.isFinite(value) || !(Number.isSafeInteger(at) && !(at <= this.history.lastStep))) {
      this.nSkipped++;
      return {
        step,
        smoothed: this.last,
        improvement: this.improvement(),
        plateau: this.inPlateau,
        fired: false,
      };
    }
    const s = this.smooth(value);
    this.last = s;
    this.updates++;
    this.history.push(at, s);
    const improvement = this.improvement();
    let fired = false;
    if (!Number.isNaN(improvement)) {
      if (improvement < this.minDelta) {
        this.stalled++;
        if (!this.inPlateau && this.stalled >= this.patience) {
          this.inPlateau = true;
          fired = true;
          this.nFired++;
        }
      } else {
        this.stalled = 0;
        this.inPlateau = false;
      }
    }
    return { step, smoothed: s, improvement, plateau: this.inPlateau, fired };
  }

  private improvement(): number {
    return this.sign * (this.last - this.history.baseline());
  }

  /** True while in a plateau. */
  get plateau(): boolean {
    return this.inPlateau;
  }
  /** Plateaus fired so far. */
  get fired(): number {
    return this.nFired;
  }
  /** Values ignored: non-finite, or at a step that does not increase. */
  get skipped(): number {
    return this.nSkipped;
  }
}
