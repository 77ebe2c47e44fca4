import type { MetricDefinition } from '@grpo-otel/semconv';
import type { Attributes, Counter, Gauge, Histogram, Meter, UpDownCounter } from '@opentelemetry/api';
import { ValueType } from '@opentelemetry/api';
import type { DropCounter } from '../internal/DropCounter.js';

type Sync = Counter | UpDownCounter | Histogram | Gauge;

/**
 * Largest magnitude a counter, up-down counter or histogram takes (2^53): their sums would lose
 * integer precision past it and could overflow to Infinity, which no sink should receive. Gauges
 * take any finite value.
 */
export const MAX_AGGREGATED_VALUE = Number.MAX_SAFE_INTEGER;

/**
 * Synchronous instruments created on first use from their semconv definition (name, unit,
 * description, value type and bucket advice all come from `@grpo-otel/semconv`). `record` refuses
 * non-finite values, magnitudes above {@link MAX_AGGREGATED_VALUE} on aggregating instruments and
 * negative counter increments, counting them as dropped.
 */
export class Instruments {
  private readonly cache = new Map<string, Sync>();

  constructor(
    private readonly meter: Meter,
    private readonly drops: DropCounter,
  ) {}

  record(def: MetricDefinition, value: number, attributes?: Attributes): boolean {
    if (!Number.isFinite(value) || (def.instrument !== 'gauge' && Math.abs(value) > MAX_AGGREGATED_VALUE)) {
      this.drops.record('metrics', 'invalid_value', def.name);
      return false;
    }
    const inst = this.get(def);
    switch (def.instrument) {
      case 'counter':
        if (value < 0) {
          this.drops.record('metrics', 'invalid_value', def.name);
          return false;
        }
        (inst as Counter).add(value, attributes);
        return true;
      case 'updowncounter':
        (inst as UpDownCounter).add(value, attributes);
        return true;
      case 'histogram':
        (inst as Histogram).record(value, attributes);
        return true;
      case 'gauge':
        (inst as Gauge).record(value, attributes);
        return true;
      default:
        // An observable instrument takes a callback, not a recorded value: a bug in the caller, counted.
        this.drops.record('metrics', 'invalid_value', def.name);
        return false;
    }
  }

  private get(def: MetricDefinition): Sync {
    let inst = this.cache.get(def.name);
    if (inst) return inst;
    const options = {
      description: def.description,
      unit: def.unit,
      valueType: def.valueType === 'int' ? ValueType.INT : ValueType.DOUBLE,
      ...(def.advice?.explicitBucketBoundaries
        ? { advice: { explicitBucketBoundaries: [...def.advice.explicitBucketBoundaries] } }
        : {}),
    };
    switch (def.instrument) {
      case 'counter':
        inst = this.meter.createCounter(def.name, options);
        break;
      case 'updowncounter':
        inst = this.meter.createUpDownCounter(def.name, options);
        break;
      case 'histogram':
        inst = this.meter.createHistogram(def.name, options);
        break;
      default:
        inst = this.meter.createGauge(def.name, options);
    }
    this.cache.set(def.name, inst);
    return inst;
  }
}
