import type { Attributes } from '@opentelemetry/api';
import { metricTag, type OmitAttribute } from '../metricTag.js';

/** A tag, and the last collection that used it (a tag is used once per collection). */
export interface TagSlot {
  readonly tag: string;
  epoch: number;
}

const neverOmit: OmitAttribute = () => false;

/**
 * The tags of a collection's points, with one rule: a point gets its series' tag (`metricTag`)
 * unless a point of the same collection already took it; then the tag with no attribute omitted,
 * then that tag with `/<n>` (n >= 2). Tags are kept per series, keyed by the point's attributes
 * object (weakly) and metric name, so a producer that hands the same attributes object for a series
 * at every collection pays for its tag once; each slot is made by `newSlot`, so a user can keep
 * what it derives from the tag in it. An attributes object must not be mutated after it was
 * exported (OpenTelemetry's data points never are).
 */
export class MetricTags<S extends TagSlot> {
  private readonly slotsByAttributes = new WeakMap<Attributes, Map<string, S>>();
  private readonly slotsByTag = new Map<string, S>();
  private epoch = 0;

  constructor(
    private readonly omit: OmitAttribute,
    private readonly newSlot: (tag: string) => S,
  ) {}

  /** Starts a collection: every tag is free again. */
  startCollection(): void {
    this.epoch++;
  }

  /** The tag of a point of the current collection, marked used by it. */
  take(name: string, attributes: Attributes): S {
    const epoch = this.epoch;
    let byName = this.slotsByAttributes.get(attributes);
    if (byName === undefined) {
      byName = new Map();
      this.slotsByAttributes.set(attributes, byName);
    }
    let slot = byName.get(name);
    if (slot === undefined) {
      slot = this.slot(metricTag(name, attributes, this.omit));
      byName.set(name, slot);
    }
    if (slot.epoch === epoch) {
      const full = metricTag(name, attributes, neverOmit);
      slot = this.slot(full);
      for (let n = 2; slot.epoch === epoch; n++) slot = this.slot(`${full}/${n}`);
    }
    slot.epoch = epoch;
    return slot;
  }

  private slot(tag: string): S {
    let slot = this.slotsByTag.get(tag);
    if (slot === undefined) {
      slot = this.newSlot(tag);
      this.slotsByTag.set(tag, slot);
    }
    return slot;
  }
}
