import type { MetricDefinition } from '@grpo-otel/semconv';
import type {
  Attributes,
  AttributeValue,
  Counter,
  Gauge,
  Histogram,
  Meter,
  UpDownCounter,
} from '@opentelemetry/api';
import { diag, ValueType } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import { attributesKey } from '../internal/attributesKey.js';
import type { DropCounter } from '../internal/DropCounter.js';
import type { StepInstrument } from './StepBuffer.js';
import { stepInstrument } from './StepMeter.js';
import type { StepMetricSink } from './StepMetricSink.js';

/**
 * Largest magnitude a counter, up-down counter or histogram takes (2^53): their sums would lose
 * integer precision past it and could overflow to Infinity, which no sink should receive. Gauges
 * take any finite value.
 */
export const MAX_AGGREGATED_VALUE = Number.MAX_SAFE_INTEGER;

/**
 * Series per instrument aggregated here before OpenTelemetry sees them (OTel's default cardinality
 * limit); the values of further series go to the OTel instrument directly, whose limit then applies.
 */
export const MAX_PENDING_SERIES = 2000;

/** Where the values also go, synchronously, at the step they are recorded for (TensorBoard). */
export interface InstrumentsStepOptions {
  sink: StepMetricSink;
  /** The scope the sink files the instruments under (the meter's). */
  scope: InstrumentationScope;
}

type Aggregating = 'gauge' | 'counter' | 'updowncounter';

interface Instrument {
  def: MetricDefinition;
  kind: MetricDefinition['instrument'];
  otel: Counter | UpDownCounter | Histogram | Gauge;
  /** The step sink's view of it (absent without a sink). */
  step: StepInstrument | undefined;
  int: boolean;
  /** Series of a gauge or (up-down) counter since the start, by attribute key. */
  series: Map<string, Series> | undefined;
}

interface Series {
  instrument: Instrument;
  /** A copy of the attributes of the series' first value. */
  attributes: Attributes;
  /** Last value (gauges) or the sum of the increments (counters) since the last hand-over to OTel. */
  value: number;
  pending: boolean;
}

function copyAttributes(attributes: Attributes): Attributes {
  const out: Attributes = {};
  for (const k of Object.keys(attributes)) {
    const v = attributes[k];
    out[k] = Array.isArray(v) ? (v.slice() as AttributeValue) : v;
  }
  return out;
}

/**
 * Synchronous instruments created on first use from their semconv definition (name, unit,
 * description, value type and bucket advice all come from `@grpo-otel/semconv`). `record` refuses
 * non-finite values, magnitudes above {@link MAX_AGGREGATED_VALUE} on aggregating instruments and
 * negative counter increments, counting them as dropped.
 *
 * Gauges and (up-down) counters are aggregated here, as OTel's own aggregations would (last value;
 * sum of the increments), and handed to their OTel instrument once per series right before each
 * metric collection (from an observable callback of the same meter: OTel runs those before it reads
 * the synchronous instruments), so a value costs a map update instead of OTel's attribute hashing
 * per reader. What the readers receive is unchanged. Histograms record each value directly. With a
 * step sink, every value also goes to it at once, at its step (as a `StepMeter` does).
 *
 * Frozen attribute objects are keyed once (by identity): callers recording the same attribute set
 * every step pass one frozen object.
 */
export class Instruments {
  private readonly cache = new Map<string, Instrument>();
  private readonly frozenKeys = new WeakMap<Attributes, string>();
  private pending: Series[] = [];
  private readonly interned = new Map<string, Attributes>();

  constructor(
    private readonly meter: Meter,
    private readonly drops: DropCounter,
    private readonly step?: InstrumentsStepOptions,
  ) {
    // Never observed, so it never has data (no exporter sees it): its callback only hands the
    // aggregated values to OTel at the start of each collection, for every reader.
    meter
      .createObservableGauge('grpo.sdk.internal.instruments_flush', {
        description:
          'Internal: hands aggregated values to OpenTelemetry before each collection; never has data',
      })
      .addCallback(() => this.flush());
  }

  record(def: MetricDefinition, value: number, attributes?: Attributes): boolean {
    if (!Number.isFinite(value) || (def.instrument !== 'gauge' && Math.abs(value) > MAX_AGGREGATED_VALUE)) {
      this.drops.record('metrics', 'invalid_value', def.name);
      return false;
    }
    const inst = this.cache.get(def.name) ?? this.create(def);
    switch (inst.kind) {
      case 'counter':
        if (value < 0) {
          this.drops.record('metrics', 'invalid_value', def.name);
          return false;
        }
        this.aggregate(inst, value, attributes);
        return true;
      case 'updowncounter':
      case 'gauge':
        this.aggregate(inst, value, attributes);
        return true;
      case 'histogram':
        (inst.otel as Histogram).record(value, attributes);
        if (inst.step) this.step!.sink.record(inst.step, value, attributes);
        return true;
      default:
        // An observable instrument takes a callback, not a recorded value: a bug in the caller, counted.
        this.drops.record('metrics', 'invalid_value', def.name);
        return false;
    }
  }

  /** Hands the values aggregated since the last call to the OTel instruments (run before each collection). */
  flush(): void {
    const pending = this.pending;
    if (pending.length === 0) return;
    this.pending = [];
    for (let i = 0; i < pending.length; i++) {
      const s = pending[i]!;
      s.pending = false;
      this.write(s.instrument, s.value, s.attributes);
    }
  }

  /**
   * The one frozen attribute object of the set whose {@link attributesKey} is `key` (computed by the
   * caller, e.g. off the training thread): recording with it skips keying the set. `attributes`
   * itself once {@link MAX_PENDING_SERIES} sets are kept.
   */
  intern(key: string, attributes: Attributes): Attributes {
    const known = this.interned.get(key);
    if (known !== undefined) return known;
    if (this.interned.size >= MAX_PENDING_SERIES) return attributes;
    const frozen = Object.freeze(copyAttributes(attributes));
    this.frozenKeys.set(frozen, key);
    this.interned.set(key, frozen);
    return frozen;
  }

  /** Series aggregated and not yet handed to OTel (for tests). */
  get pendingSeries(): number {
    return this.pending.length;
  }

  private aggregate(inst: Instrument, value: number, attributes: Attributes | undefined): void {
    if (inst.step) this.step!.sink.record(inst.step, value, attributes);
    let v = value;
    if (inst.int && !Number.isInteger(v)) {
      // As OTel's instrument does with each value it is given.
      diag.warn(
        `INT value type cannot accept a floating-point value for ${inst.def.name}, ignoring the fractional digits.`,
      );
      v = Math.trunc(v);
    }
    const key = attributes === undefined ? '' : this.keyOf(attributes);
    const series = inst.series!;
    let s = series.get(key);
    if (s === undefined) {
      if (series.size >= MAX_PENDING_SERIES) {
        this.write(inst, v, attributes);
        return;
      }
      s = {
        instrument: inst,
        attributes: attributes ? copyAttributes(attributes) : {},
        value: 0,
        pending: false,
      };
      series.set(key, s);
    }
    if (!s.pending) {
      s.pending = true;
      s.value = v;
      this.pending.push(s);
    } else if (inst.kind === 'gauge') s.value = v;
    else s.value += v;
  }

  private write(inst: Instrument, value: number, attributes: Attributes | undefined): void {
    if (inst.kind === 'gauge') (inst.otel as Gauge).record(value, attributes);
    else (inst.otel as Counter).add(value, attributes);
  }

  private keyOf(attributes: Attributes): string {
    if (!Object.isFrozen(attributes)) return attributesKey(attributes);
    let key = this.frozenKeys.get(attributes);
    if (key === undefined) {
      key = attributesKey(attributes);
      this.frozenKeys.set(attributes, key);
    }
    return key;
  }

  private create(def: MetricDefinition): Instrument {
    const options = {
      description: def.description,
      unit: def.unit,
      valueType: def.valueType === 'int' ? ValueType.INT : ValueType.DOUBLE,
      ...(def.advice?.explicitBucketBoundaries
        ? { advice: { explicitBucketBoundaries: [...def.advice.explicitBucketBoundaries] } }
        : {}),
    };
    let otel: Instrument['otel'];
    let kind: Aggregating | 'histogram';
    switch (def.instrument) {
      case 'counter':
        otel = this.meter.createCounter(def.name, options);
        kind = 'counter';
        break;
      case 'updowncounter':
        otel = this.meter.createUpDownCounter(def.name, options);
        kind = 'updowncounter';
        break;
      case 'histogram':
        otel = this.meter.createHistogram(def.name, options);
        kind = 'histogram';
        break;
      default:
        otel = this.meter.createGauge(def.name, options);
        kind = 'gauge';
    }
    const inst: Instrument = {
      def,
      // An observable definition recorded here is refused in `record` (as before: created as a gauge).
      kind: def.instrument === kind ? kind : def.instrument,
      otel,
      step: this.step ? stepInstrument(this.step.scope, kind, def.name, options) : undefined,
      int: options.valueType === ValueType.INT,
      series: kind === 'histogram' ? undefined : new Map(),
    };
    this.cache.set(def.name, inst);
    return inst;
  }
}
