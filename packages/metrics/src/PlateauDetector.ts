import { History, type Smoothing, smoother } from './internal/smoother.js';

export interface PlateauDetectorOptions {
  /** Updates over which the improvement is measured (default 100). */
  window?: number;
  /** The smallest improvement over `window` updates that counts as progress (default 0.01, in the value's units). */
  minDelta?: number;
  /** Consecutive updates without progress before the plateau fires (default 1). */
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
   * Improvement of the smoothed value over the last `window` updates, s_t - s_{t-window} ('min' mode:
   * s_{t-window} - s_t); NaN until `window` + 1 smoothed values exist.
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
 * Each finite value updates the smoothed series s (EMA or SMA over `smoothingWindow`). Once `window` + 1
 * smoothed values exist, improvement_t = s_t - s_{t-window}. An update "stalls" when improvement_t <
 * `minDelta`; after `patience` consecutive stalled updates the plateau fires (`fired` true on that update
 * only). It stays in plateau (no further firing) until an update with improvement_t >= minDelta, which
 * re-arms it. Windows count updates (calls with a finite value), not training steps: call it at a fixed
 * logging frequency. Non-finite values are skipped (counted in `skipped`) and change nothing.
 * Noise around `minDelta` can re-arm the detector and fire it again a few updates later; a `patience`
 * above 1 or a longer `smoothingWindow` prevents that flapping.
 */
export class PlateauDetector {
  readonly window: number;
  readonly minDelta: number;
  readonly patience: number;
  private readonly sign: number;
  private readonly smooth: (x: number) => number;
  private readonly history: History;
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
    this.history = new History(this.window + 1);
  }

  /** Feeds one value (e.g. the step's mean reward); `step` is echoed back. */
  update(value: number, step?: number): PlateauUpdate {
    if (!Number.isFinite(value)) {
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
    this.history.push(s);
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
    return this.sign * (this.history.back(0) - this.history.back(this.window));
  }

  /** True while in a plateau. */
  get plateau(): boolean {
    return this.inPlateau;
  }
  /** Plateaus fired so far. */
  get fired(): number {
    return this.nFired;
  }
  /** Non-finite values ignored. */
  get skipped(): number {
    return this.nSkipped;
  }
}
