import { attributesKey } from '../internal/attributesKey.js';
import type { EncodedGauges, GaugeValue, PointAttributes, SeriesDefinition } from './EncodedGauges.js';

/** Series numbered per worker; past this many, further series travel as plain {@link GaugeValue}s. */
export const MAX_NUMBERED_SERIES = 4096;

/**
 * The gauges of one analysis result, in a compact form for the message to the training thread: each
 * (metric, attributes) series is numbered the first time it is used and described once (in the
 * result that first uses it); values then travel as two typed arrays (series numbers and values),
 * which the training thread reads without building an object per value. The receiver keeps the
 * descriptions in order ({@link GaugeTable}). A result that is never sent (the analysis threw) must
 * not number series: `begin` takes back what the unfinished result numbered.
 */
export class GaugeEncoder {
  private readonly ids = new Map<string, number>();
  /** Keys numbered by the result being built (taken back if it is not finished). */
  private added: string[] = [];
  private newSeries: SeriesDefinition[] = [];
  private series: number[] = [];
  private values: number[] = [];
  private extra: GaugeValue[] = [];
  /** Keys of the attribute objects used so far (most are shared by several gauges and steps). */
  private readonly keys = new WeakMap<PointAttributes, string>();

  /** Starts a result. */
  begin(): void {
    for (const key of this.added) this.ids.delete(key);
    this.added = [];
    this.newSeries = [];
    this.series = [];
    this.values = [];
    this.extra = [];
  }

  add(metric: string, value: number, attributes: PointAttributes): void {
    let key = this.keys.get(attributes);
    if (key === undefined) {
      key = attributesKey(attributes);
      this.keys.set(attributes, key);
    }
    const id = `${metric}\n${key}`;
    let n = this.ids.get(id);
    if (n === undefined) {
      if (this.ids.size >= MAX_NUMBERED_SERIES) {
        this.extra.push({ metric, value, attributes, key });
        return;
      }
      n = this.ids.size;
      this.ids.set(id, n);
      this.added.push(id);
      this.newSeries.push({ metric, attributes, key });
    }
    this.series.push(n);
    this.values.push(value);
  }

  /** The result's gauges; its numbering is kept from now on. */
  finish(): EncodedGauges {
    const out: EncodedGauges = {
      newSeries: this.newSeries,
      series: Int32Array.from(this.series),
      values: Float64Array.from(this.values),
      extra: this.extra,
    };
    this.added = [];
    this.begin();
    return out;
  }
}
