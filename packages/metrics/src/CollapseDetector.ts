import { StepHistory } from './internal/StepHistory.js';
import { type Smoothing, smoother } from './internal/smoother.js';

export interface CollapseDetectorOptions {
  /** Collapse when the (smoothed) value falls below this (e.g. an entropy or distinct-n floor). */
  threshold?: number;
  /**
   * Collapse when the (smoothed) value fell by more than this fraction over `window` steps:
   * (v_b - v_t) / v_b > maxDrop (e.g. 0.5 = lost half), b the latest step with a value at or before
   * t - window. Needs v_b > 0.
   */
  maxDrop?: number;
  /** Training steps over which the drop is measured (default 50). */
  window?: number;
  /** 'none' (default), 'ema' or 'sma'. */
  smoothing?: Smoothing;
  /** EMA span or SMA length (default 10). */
  smoothingWindow?: number;
}

export interface CollapseUpdate {
  step?: number;
  /** The (smoothed) value after this update. */
  value: number;
  /** Relative drop over the window, (v_b - v_t) / v_b; NaN until defined. */
  drop: number;
  /** True while collapsed. */
  collapsed: boolean;
  /** True only on the update where a collapse fires (once per episode). */
  fired: boolean;
  /** Why it is collapsed: below the threshold (checked first) or falling too fast. */
  reason?: 'below-threshold' | 'falling';
}

/**
 * Mode-collapse detection on a health series such as token entropy or distinct-n.
 *
 * An update at training step t is in collapse when the (optionally smoothed) value v_t < `threshold`, or
 * when drop_t = (v_b - v_t) / v_b > `maxDrop`, b the latest step with a value at or before t - window
 * (only once such a step exists and v_b > 0). The first such update fires (`fired`); the detector stays
 * collapsed, without firing again, until an update meets neither condition, which re-arms it. Windows
 * count training steps; without a step, each finite value is the step after the previous one.
 * Non-finite values and steps that do not increase are skipped and counted. With neither `threshold`
 * nor `maxDrop` it never fires.
 */
export class CollapseDetector {
  readonly threshold: number | undefined;
  readonly maxDrop: number | undefined;
  readonly window: number;
  private readonly smooth: (x: number) => number;
  private readonly history: StepHistory;
  private updates = 0;
  private isCollapsed = false;
  private last = Number.NaN;
  private nSkipped = 0;
  private nFired = 0;

  constructor(options?: CollapseDetectorOptions) {
    this.threshold = options?.threshold;
    this.maxDrop = options?.maxDrop;
    this.window = options?.window ?? 50;
    if (!Number.isInteger(this.window) || this.window < 1) {
      throw new RangeError(`CollapseDetector: window must be a positive integer, got ${this.window}`);
    }
    this.smooth = smoother(options?.smoothing ?? 'none', options?.smoothingWindow ?? 10, 'CollapseDetector');
    this.history = new StepHistory(this.window);
  }

  /** Feeds one value (e.g. the step's token entropy) at training step `step`, which is echoed back. */
  update(value: number, step?: number): CollapseUpdate {
    const at = step ?? this.updates;
    if (!Number.isFinite(value) || !(Number.isSafeInteger(at) && !(at <= this.history.lastStep))) {
      this.nSkipped++;
      return { step, value: this.last, drop: this.drop(), collapsed: this.isCollapsed, fired: false };
    }
    const v = this.smooth(value);
    this.last = v;
    this.updates++;
    this.history.push(at, v);
    const drop = this.drop();
    let reason: CollapseUpdate['reason'];
    if (this.threshold !== undefined && v < this.threshold) reason = 'below-threshold';
    else if (this.maxDrop !== undefined && drop > this.maxDrop) reason = 'falling';
    let fired = false;
    if (reason !== undefined) {
      if (!this.isCollapsed) {
        fired = true;
        this.nFired++;
      }
      this.isCollapsed = true;
    } else {
      this.isCollapsed = false;
    }
    const out: CollapseUpdate = { step, value: v, drop, collapsed: this.isCollapsed, fired };
    if (reason !== undefined) out.reason = reason;
    return out;
  }

  private drop(): number {
    const old = this.history.baseline();
    return old > 0 ? (old - this.last) / old : Number.NaN;
  }

  get collapsed(): boolean {
    return this.isCollapsed;
  }
  get fired(): number {
    return this.nFired;
  }
  get skipped(): number {
    return this.nSkipped;
  }
}
