import type { Attributes, ValueType } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';

/** How a step aggregates an instrument's values (OTel's default aggregation for its kind). */
export type StepInstrumentKind =
  | 'counter'
  | 'updowncounter'
  | 'histogram'
  | 'gauge'
  | 'observable_counter'
  | 'observable_updowncounter'
  | 'observable_gauge';

/** An instrument as the step sink sees it: its identity, descriptor and aggregation. */
export interface StepInstrument {
  /** Scope and name: instruments of one name in one scope share their series (as in OTel). */
  readonly id: string;
  readonly scope: InstrumentationScope;
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly valueType: ValueType;
  readonly kind: StepInstrumentKind;
  /** Explicit bucket boundaries (histograms). */
  readonly boundaries?: readonly number[];
}

/** A histogram computed elsewhere (e.g. by the analysis worker), in OTel's explicit-bucket layout. */
export interface BucketCounts {
  boundaries: readonly number[];
  counts: readonly number[];
  count: number;
  sum: number;
  min: number;
  max: number;
}

interface Series {
  instrument: StepInstrument;
  attributes: Attributes;
  /** Last value (gauges, levels) or sum (counters). */
  value: number;
  /** True when set by a record of the step (an observation taken at the step's end does not replace it). */
  recorded: boolean;
  histogram?: {
    boundaries: number[];
    counts: number[];
    count: number;
    sum: number;
    min: number;
    max: number;
  };
}

/** OTel's default histogram boundaries (used when an instrument has no bucket advice). */
export const DEFAULT_HISTOGRAM_BOUNDARIES: readonly number[] = [
  0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000,
];

/** The key of a series: the instrument's id and its attributes (keys sorted; strings as is, the rest as JSON). */
export function seriesKey(instrument: StepInstrument, attributes: Attributes): string {
  const keys = Object.keys(attributes);
  if (keys.length === 0) return instrument.id;
  if (keys.length > 1) keys.sort();
  let key = instrument.id;
  for (const k of keys) {
    const v = attributes[k];
    key += typeof v === 'string' ? `\u0000${k}\u0001s${v}` : `\u0000${k}\u0001j${JSON.stringify(v)}`;
  }
  return key;
}

/** First bucket whose upper bound is >= value (OTel's explicit buckets are (lower, upper]). */
function bucketIndex(boundaries: readonly number[], value: number): number {
  let lo = 0;
  let hi = boundaries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (boundaries[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The values of one training step, aggregated per series as OTel's default aggregations do (gauges:
 * last value; counters: sum of the step's increments; up-down counters: the level; histograms:
 * explicit buckets with min, max, count and sum), turned into the `ScopeMetrics` a push exporter takes.
 */
export class StepBuffer {
  private readonly series = new Map<string, Series>();
  /** Observables were read into this step (once, when the step ended). */
  observed = false;
  /** The bounded wait for the step's analysis results has passed (or they all arrived). */
  waited = false;
  waiting = false;

  get size(): number {
    return this.series.size;
  }

  /** A value recorded for the step: the last one wins for gauges and levels, counters add up. */
  record(instrument: StepInstrument, key: string, attributes: Attributes, value: number): void {
    const s = this.series.get(key);
    if (instrument.kind === 'histogram') {
      const b = instrument.boundaries ?? DEFAULT_HISTOGRAM_BOUNDARIES;
      const h = s?.histogram ?? this.newHistogram(instrument, key, attributes, b).histogram!;
      h.counts[bucketIndex(h.boundaries, value)]!++;
      h.count++;
      h.sum += value;
      if (value < h.min) h.min = value;
      if (value > h.max) h.max = value;
      return;
    }
    if (!s) {
      this.series.set(key, { instrument, attributes, value, recorded: true });
    } else if (instrument.kind === 'counter' || instrument.kind === 'observable_counter') {
      s.value += value;
    } else {
      s.value = value;
      s.recorded = true;
    }
  }

  /** A value observed when the step ended: kept unless the step recorded that series itself. */
  observe(instrument: StepInstrument, key: string, attributes: Attributes, value: number): void {
    const s = this.series.get(key);
    if (!s) this.series.set(key, { instrument, attributes, value, recorded: false });
    else if (!s.recorded) s.value = value;
  }

  /** Adds bucket counts computed elsewhere; boundaries that differ from the series' replace it. */
  addBuckets(instrument: StepInstrument, key: string, attributes: Attributes, b: BucketCounts): void {
    if (b.count === 0) return;
    const s = this.series.get(key);
    const h = s?.histogram;
    if (
      !h ||
      h.boundaries.length !== b.boundaries.length ||
      h.boundaries.some((x, i) => x !== b.boundaries[i])
    ) {
      this.series.set(key, {
        instrument,
        attributes,
        value: 0,
        recorded: true,
        histogram: {
          boundaries: [...b.boundaries],
          counts: [...b.counts],
          count: b.count,
          sum: b.sum,
          min: b.min,
          max: b.max,
        },
      });
      return;
    }
    for (let i = 0; i < h.counts.length; i++) h.counts[i]! += b.counts[i] ?? 0;
    h.count += b.count;
    h.sum += b.sum;
    h.min = Math.min(h.min, b.min);
    h.max = Math.max(h.max, b.max);
  }

  /**
   * The step's points grouped by scope and instrument, in the order they were first recorded; only
   * series `keep(key)` accepts. Returns the points and the keys of the series they hold.
   */
  toScopeMetrics(
    time: [number, number],
    keep: (key: string) => boolean,
  ): { scopeMetrics: ScopeMetrics[]; keys: string[]; dropped: number } {
    const scopes = new Map<string, { scope: ScopeMetrics; metrics: Map<string, MetricData> }>();
    const keys: string[] = [];
    let dropped = 0;
    for (const [key, s] of this.series) {
      if (!keep(key)) {
        dropped++;
        continue;
      }
      keys.push(key);
      const inst = s.instrument;
      const scopeKey = `${inst.scope.name}\u0000${inst.scope.version ?? ''}\u0000${inst.scope.schemaUrl ?? ''}`;
      let sc = scopes.get(scopeKey);
      if (!sc) {
        sc = { scope: { scope: inst.scope, metrics: [] }, metrics: new Map() };
        scopes.set(scopeKey, sc);
      }
      let m = sc.metrics.get(inst.name);
      if (!m) {
        m = newMetric(inst);
        sc.metrics.set(inst.name, m);
        sc.scope.metrics.push(m);
      }
      if (m.dataPointType === DataPointType.HISTOGRAM) {
        const h = s.histogram;
        if (!h) continue;
        m.dataPoints.push({
          startTime: time,
          endTime: time,
          attributes: s.attributes,
          value: {
            buckets: { boundaries: h.boundaries, counts: h.counts },
            count: h.count,
            sum: h.sum,
            min: h.min,
            max: h.max,
          },
        });
      } else {
        (
          m.dataPoints as {
            startTime: [number, number];
            endTime: [number, number];
            attributes: Attributes;
            value: number;
          }[]
        ).push({ startTime: time, endTime: time, attributes: s.attributes, value: s.value });
      }
    }
    return { scopeMetrics: [...scopes.values()].map((s) => s.scope), keys, dropped };
  }

  private newHistogram(
    instrument: StepInstrument,
    key: string,
    attributes: Attributes,
    boundaries: readonly number[],
  ): Series {
    const s: Series = {
      instrument,
      attributes,
      value: 0,
      recorded: true,
      histogram: {
        boundaries: [...boundaries],
        counts: new Array<number>(boundaries.length + 1).fill(0),
        count: 0,
        sum: 0,
        min: Number.POSITIVE_INFINITY,
        max: Number.NEGATIVE_INFINITY,
      },
    };
    this.series.set(key, s);
    return s;
  }
}

function newMetric(inst: StepInstrument): MetricData {
  const descriptor = {
    name: inst.name,
    description: inst.description,
    unit: inst.unit,
    valueType: inst.valueType,
  };
  switch (inst.kind) {
    case 'histogram':
      return {
        descriptor,
        aggregationTemporality: AggregationTemporality.DELTA,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: [],
      };
    case 'gauge':
    case 'observable_gauge':
      return {
        descriptor,
        aggregationTemporality: AggregationTemporality.DELTA,
        dataPointType: DataPointType.GAUGE,
        dataPoints: [],
      };
    case 'counter':
    case 'observable_counter':
      return {
        descriptor,
        aggregationTemporality: AggregationTemporality.DELTA,
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        dataPoints: [],
      };
    default:
      return {
        descriptor,
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.SUM,
        isMonotonic: false,
        dataPoints: [],
      };
  }
}
