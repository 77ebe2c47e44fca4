import { type BucketCounts, mergeBucketCounts } from '@grpo-otel/metrics';
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
export type { BucketCounts };

/**
 * A series across steps, kept by the sink for as long as it runs: its key, the attributes its points
 * carry at every step, and what it carries from one step to the next.
 */
export interface SeriesState {
  readonly key: string;
  /**
   * A frozen copy of the first attributes of the series that its key tells exactly (see
   * {@link keyTellsAttributes}), which the points of every such attributes object carry, so an
   * exporter can keep what it derives from them (e.g. a tag) across steps. Points recorded with
   * attributes the key does not tell (NaN, say, whose key is null's) carry their own.
   */
  shared: Attributes | undefined;
  /** The last step written (-Infinity before the first). */
  lastWritten: number;
  /** Up-down counters: the level. */
  level: number;
  /** Observable counters: the last reading (for the delta). */
  lastObserved: number;
}

interface Series {
  state: SeriesState;
  instrument: StepInstrument;
  attributes: Attributes;
  /** Last value (gauges, levels) or sum (counters). */
  value: number;
  /** True when set by a record of the step (an observation taken at the step's end does not replace it). */
  recorded: boolean;
  histogram?: BucketCounts;
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

/** A new series state for `key`. */
export function newSeriesState(key: string): SeriesState {
  return { key, shared: undefined, lastWritten: Number.NEGATIVE_INFINITY, level: 0, lastObserved: 0 };
}

/**
 * The attributes a point of `state` recorded with `attributes` carries: the series' shared frozen
 * copy when the key tells these attributes exactly (the copy made from the first such), else
 * `attributes` themselves.
 */
export function pointAttributes(state: SeriesState, attributes: Attributes, exact: boolean): Attributes {
  if (!exact) return attributes;
  state.shared ??= frozenCopy(attributes);
  return state.shared;
}

/**
 * Whether the series key of `attributes` ({@link seriesKey}) tells its contents exactly: two such
 * objects with one key hold the same values, as far as `String()` tells (what TensorBoard tags are
 * made of). True for a plain object of keys and strings with no separator character, booleans,
 * finite numbers but -0 (JSON writes them as `String` does), null or undefined, and arrays of those;
 * not for NaN or Infinity (JSON writes null), -0 (0's key), other objects, or an object with another
 * prototype.
 */
export function keyTellsAttributes(attributes: Attributes): boolean {
  // metricTag also reads inherited keys (`k in attributes`); seriesKey only own ones.
  if (Object.getPrototypeOf(attributes) !== Object.prototype) return false;
  for (const k in attributes) {
    if (!Object.hasOwn(attributes, k)) continue;
    if (hasSeparator(k)) return false;
    const v: unknown = attributes[k];
    if (Array.isArray(v)) {
      for (const x of v) if (!fixedScalar(x)) return false;
    } else if (!fixedScalar(v)) return false;
  }
  return true;
}

function fixedScalar(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
      return !hasSeparator(v);
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'boolean':
    case 'undefined':
      return true;
    default:
      return v === null;
  }
}

function hasSeparator(s: string): boolean {
  return s.includes('\u0000') || s.includes('\u0001');
}

function frozenCopy(attributes: Attributes): Attributes {
  const copy: Attributes = {};
  for (const k of Object.keys(attributes)) {
    const v = attributes[k];
    copy[k] = Array.isArray(v) ? (Object.freeze([...v]) as typeof v) : v;
  }
  return Object.freeze(copy);
}

/** The key of a scope (name, version, schema URL), kept per scope object. */
const scopeKeys = new WeakMap<InstrumentationScope, string>();

function scopeKeyOf(scope: InstrumentationScope): string {
  let key = scopeKeys.get(scope);
  if (key === undefined) {
    key = `${scope.name}\u0000${scope.version ?? ''}\u0000${scope.schemaUrl ?? ''}`;
    scopeKeys.set(scope, key);
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
  private readonly series = new Map<SeriesState, Series>();
  /** Observables were read into this step (once, when the step ended). */
  observed = false;
  /** The bounded wait for the step's analysis results has passed (or they all arrived). */
  waited = false;
  waiting = false;

  get size(): number {
    return this.series.size;
  }

  /** A value recorded for the step: the last one wins for gauges and levels, counters add up. */
  record(instrument: StepInstrument, state: SeriesState, attributes: Attributes, value: number): void {
    const s = this.series.get(state);
    if (instrument.kind === 'histogram') {
      const b = instrument.boundaries ?? DEFAULT_HISTOGRAM_BOUNDARIES;
      const h = s?.histogram ?? this.newHistogram(instrument, state, attributes, b).histogram!;
      h.counts[bucketIndex(h.boundaries, value)]!++;
      h.count++;
      h.sum += value;
      if (value < h.min) h.min = value;
      if (value > h.max) h.max = value;
      return;
    }
    if (!s) {
      this.series.set(state, {
        state,
        instrument,
        attributes,
        value,
        recorded: true,
      });
    } else if (instrument.kind === 'counter' || instrument.kind === 'observable_counter') {
      s.value += value;
    } else {
      s.value = value;
      s.recorded = true;
    }
  }

  /** A value observed when the step ended: kept unless the step recorded that series itself. */
  observe(instrument: StepInstrument, state: SeriesState, attributes: Attributes, value: number): void {
    const s = this.series.get(state);
    if (!s) {
      this.series.set(state, {
        state,
        instrument,
        attributes,
        value,
        recorded: false,
      });
    } else if (!s.recorded) s.value = value;
  }

  /** Adds bucket counts computed elsewhere; boundaries that differ from the series' replace it. */
  addBuckets(instrument: StepInstrument, state: SeriesState, attributes: Attributes, b: BucketCounts): void {
    if (b.count === 0) return;
    const h = this.series.get(state)?.histogram;
    const merged = mergeBucketCounts(h, b);
    if (merged !== h) {
      this.series.set(state, { state, instrument, attributes, value: 0, recorded: true, histogram: merged });
    }
  }

  /**
   * The step's points grouped by scope and instrument, in the order they were first recorded; only
   * series not written at `step` or later (`lastWritten < step`). Returns the points and the series
   * they hold; the others are counted in `dropped`.
   */
  toScopeMetrics(
    time: [number, number],
    step: number,
  ): { scopeMetrics: ScopeMetrics[]; series: SeriesState[]; dropped: number } {
    const scopes = new Map<string, { scope: ScopeMetrics; metrics: Map<string, MetricData> }>();
    const scopeMetrics: ScopeMetrics[] = [];
    const kept: SeriesState[] = [];
    let dropped = 0;
    for (const s of this.series.values()) {
      if (!(s.state.lastWritten < step)) {
        dropped++;
        continue;
      }
      kept.push(s.state);
      const inst = s.instrument;
      const scopeKey = scopeKeyOf(inst.scope);
      let sc = scopes.get(scopeKey);
      if (!sc) {
        sc = { scope: { scope: inst.scope, metrics: [] }, metrics: new Map() };
        scopes.set(scopeKey, sc);
        scopeMetrics.push(sc.scope);
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
    return { scopeMetrics, series: kept, dropped };
  }

  private newHistogram(
    instrument: StepInstrument,
    state: SeriesState,
    attributes: Attributes,
    boundaries: readonly number[],
  ): Series {
    const s: Series = {
      state,
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
    this.series.set(state, s);
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
