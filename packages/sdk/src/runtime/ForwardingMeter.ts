import type {
  Attributes,
  BatchObservableCallback,
  Counter,
  Gauge,
  Histogram,
  Meter,
  MetricOptions,
  Observable,
  ObservableCallback,
  ObservableCounter,
  ObservableGauge,
  ObservableUpDownCounter,
  UpDownCounter,
} from '@opentelemetry/api';

/** The instrument kinds `getMeter()` offers. */
export type ForwardedInstrumentKind =
  | 'counter'
  | 'updowncounter'
  | 'histogram'
  | 'gauge'
  | 'observablecounter'
  | 'observableupdowncounter'
  | 'observablegauge';

/** What crosses the ring of an instrument's options (no functions). */
export interface ForwardedMetricOptions {
  description?: string;
  unit?: string;
  valueType?: number;
  advice?: { explicitBucketBoundaries?: number[] };
}

function plainOptions(o: MetricOptions | undefined): ForwardedMetricOptions {
  if (!o) return {};
  const boundaries = o.advice?.explicitBucketBoundaries;
  return {
    ...(o.description !== undefined ? { description: o.description } : {}),
    ...(o.unit !== undefined ? { unit: o.unit } : {}),
    ...(o.valueType !== undefined ? { valueType: o.valueType } : {}),
    ...(boundaries ? { advice: { explicitBucketBoundaries: [...boundaries] } } : {}),
  };
}

/** Where a ForwardingMeter sends a measurement, and a reading of its observables. */
export interface MeasurementSink {
  measure(
    kind: ForwardedInstrumentKind,
    name: string,
    options: ForwardedMetricOptions,
    value: number,
    attributes: Attributes | undefined,
  ): void;
  observe(
    kind: ForwardedInstrumentKind,
    name: string,
    options: ForwardedMetricOptions,
    observations: [number, Attributes | undefined][],
  ): void;
}

class ForwardedObservable implements Observable {
  readonly callbacks = new Set<ObservableCallback>();
  constructor(
    readonly kind: ForwardedInstrumentKind,
    readonly name: string,
    readonly options: ForwardedMetricOptions,
  ) {}
  addCallback(callback: ObservableCallback): void {
    this.callbacks.add(callback);
  }
  removeCallback(callback: ObservableCallback): void {
    this.callbacks.delete(callback);
  }
}

/**
 * `getMeter()` with a telemetry thread: synchronous instruments hand each measurement to the thread
 * (which records it on the SDK's meter, at the trainer's step); observable instruments are read here,
 * on the training thread (their callbacks are yours), each time a step begins or is reported and
 * before a flush, and the readings are handed over as the instrument's current values.
 */
export class ForwardingMeter implements Meter {
  private readonly observables: ForwardedObservable[] = [];
  private readonly batches: { callback: BatchObservableCallback; observables: Observable[] }[] = [];

  constructor(private readonly sink: MeasurementSink) {}

  private sync(kind: ForwardedInstrumentKind, name: string, options?: MetricOptions) {
    const sink = this.sink;
    const plain = plainOptions(options);
    return (value: number, attributes?: Attributes) => sink.measure(kind, name, plain, value, attributes);
  }

  createCounter<A extends Attributes = Attributes>(name: string, options?: MetricOptions): Counter<A> {
    return { add: this.sync('counter', name, options) };
  }
  createUpDownCounter<A extends Attributes = Attributes>(
    name: string,
    options?: MetricOptions,
  ): UpDownCounter<A> {
    return { add: this.sync('updowncounter', name, options) };
  }
  createHistogram<A extends Attributes = Attributes>(name: string, options?: MetricOptions): Histogram<A> {
    return { record: this.sync('histogram', name, options) };
  }
  createGauge<A extends Attributes = Attributes>(name: string, options?: MetricOptions): Gauge<A> {
    return { record: this.sync('gauge', name, options) };
  }

  private observable(
    kind: ForwardedInstrumentKind,
    name: string,
    options?: MetricOptions,
  ): ForwardedObservable {
    const o = new ForwardedObservable(kind, name, plainOptions(options));
    this.observables.push(o);
    return o;
  }
  createObservableGauge<A extends Attributes = Attributes>(
    name: string,
    options?: MetricOptions,
  ): ObservableGauge<A> {
    return this.observable('observablegauge', name, options);
  }
  createObservableCounter<A extends Attributes = Attributes>(
    name: string,
    options?: MetricOptions,
  ): ObservableCounter<A> {
    return this.observable('observablecounter', name, options);
  }
  createObservableUpDownCounter<A extends Attributes = Attributes>(
    name: string,
    options?: MetricOptions,
  ): ObservableUpDownCounter<A> {
    return this.observable('observableupdowncounter', name, options);
  }
  addBatchObservableCallback(callback: BatchObservableCallback, observables: Observable[]): void {
    this.batches.push({ callback, observables });
  }
  removeBatchObservableCallback(callback: BatchObservableCallback, observables: Observable[]): void {
    const i = this.batches.findIndex((b) => b.callback === callback && b.observables === observables);
    if (i >= 0) this.batches.splice(i, 1);
  }

  /** Reads every observable now and hands the readings over. A callback that throws is skipped. */
  collect(onError: (err: unknown) => void): void {
    if (this.observables.length === 0) return;
    const readings = new Map<ForwardedObservable, [number, Attributes | undefined][]>();
    const observe = (o: Observable, value: number, attributes?: Attributes) => {
      if (!(o instanceof ForwardedObservable)) return;
      const list = readings.get(o) ?? [];
      list.push([value, attributes]);
      readings.set(o, list);
    };
    for (const o of this.observables) {
      for (const cb of o.callbacks) {
        try {
          const r = cb({ observe: (value, attributes) => observe(o, value, attributes) });
          if (r instanceof Promise) r.catch(onError);
        } catch (err) {
          onError(err);
        }
      }
    }
    for (const b of this.batches) {
      try {
        const r = b.callback({ observe: (o, value, attributes) => observe(o, value, attributes) });
        if (r instanceof Promise) r.catch(onError);
      } catch (err) {
        onError(err);
      }
    }
    for (const [o, list] of readings) this.sink.observe(o.kind, o.name, o.options, list);
  }
}
