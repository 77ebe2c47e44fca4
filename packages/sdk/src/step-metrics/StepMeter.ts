import {
  type Attributes,
  type BatchObservableCallback,
  type Context,
  type Counter,
  type Gauge,
  type Histogram,
  type Meter,
  type MeterOptions,
  type MeterProvider,
  type MetricOptions,
  type Observable,
  type ObservableCallback,
  type ObservableCounter,
  type ObservableGauge,
  type ObservableUpDownCounter,
  type UpDownCounter,
  ValueType,
} from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { StepInstrument, StepInstrumentKind } from './StepBuffer.js';
import type { StepMetricSink } from './StepMetricSink.js';

/** The step sink's view of an instrument created with `name` and `options` in `scope`. */
export function stepInstrument(
  scope: InstrumentationScope,
  kind: StepInstrumentKind,
  name: string,
  options: MetricOptions = {},
): StepInstrument {
  const boundaries = options.advice?.explicitBucketBoundaries;
  return {
    id: `${scope.name}\u0000${scope.version ?? ''}\u0000${scope.schemaUrl ?? ''}\u0000${name}`,
    scope,
    name,
    description: options.description ?? '',
    unit: options.unit ?? '',
    valueType: options.valueType ?? ValueType.DOUBLE,
    kind,
    ...(kind === 'histogram' && boundaries
      ? { boundaries: [...boundaries].filter((b) => Number.isFinite(b)).sort((a, b) => a - b) }
      : {}),
  };
}

/**
 * An OpenTelemetry `Meter` whose instruments also feed a {@link StepMetricSink}: each measurement goes
 * to the OTel instrument (OTLP, Prometheus: unchanged) and, synchronously, to the sink at its step.
 * Observable instruments are the OTel ones themselves (so batch callbacks keep working); their
 * callbacks are also registered with the sink, which reads them when a step ends.
 */
export class StepMeter implements Meter {
  constructor(
    private readonly meter: Meter,
    private readonly scope: InstrumentationScope,
    private readonly sink: StepMetricSink,
  ) {}

  createCounter<A extends Attributes = Attributes>(name: string, options?: MetricOptions): Counter<A> {
    const inner = this.meter.createCounter<A>(name, options);
    const inst = stepInstrument(this.scope, 'counter', name, options);
    const sink = this.sink;
    return {
      add(value: number, attributes?: A, context?: Context) {
        inner.add(value, attributes, context);
        sink.record(inst, value, attributes);
      },
    };
  }

  createUpDownCounter<A extends Attributes = Attributes>(
    name: string,
    options?: MetricOptions,
  ): UpDownCounter<A> {
    const inner = this.meter.createUpDownCounter<A>(name, options);
    const inst = stepInstrument(this.scope, 'updowncounter', name, options);
    const sink = this.sink;
    return {
      add(value: number, attributes?: A, context?: Context) {
        inner.add(value, attributes, context);
        sink.record(inst, value, attributes);
      },
    };
  }

  createHistogram<A extends Attributes = Attributes>(name: string, options?: MetricOptions): Histogram<A> {
    const inner = this.meter.createHistogram<A>(name, options);
    const inst = stepInstrument(this.scope, 'histogram', name, options);
    const sink = this.sink;
    return {
      record(value: number, attributes?: A, context?: Context) {
        inner.record(value, attributes, context);
        sink.record(inst, value, attributes);
      },
    };
  }

  createGauge<A extends Attributes = Attributes>(name: string, options?: MetricOptions): Gauge<A> {
    const inner = this.meter.createGauge<A>(name, options);
    const inst = stepInstrument(this.scope, 'gauge', name, options);
    const sink = this.sink;
    return {
      record(value: number, attributes?: A, context?: Context) {
        inner.record(value, attributes, context);
        sink.record(inst, value, attributes);
      },
    };
  }

  createObservableGauge<A extends Attributes = Attributes>(
    name: string,
    options?: MetricOptions,
  ): ObservableGauge<A> {
    return this.observable(
      this.meter.createObservableGauge<A>(name, options),
      'observable_gauge',
      name,
      options,
    );
  }

  createObservableCounter<A extends Attributes = Attributes>(
    name: string,
    options?: MetricOptions,
  ): ObservableCounter<A> {
    return this.observable(
      this.meter.createObservableCounter<A>(name, options),
      'observable_counter',
      name,
      options,
    );
  }

  createObservableUpDownCounter<A extends Attributes = Attributes>(
    name: string,
    options?: MetricOptions,
  ): ObservableUpDownCounter<A> {
    return this.observable(
      this.meter.createObservableUpDownCounter<A>(name, options),
      'observable_updowncounter',
      name,
      options,
    );
  }

  addBatchObservableCallback<A extends Attributes = Attributes>(
    callback: BatchObservableCallback<A>,
    observables: Observable<A>[],
  ): void {
    this.meter.addBatchObservableCallback(callback, observables);
    const known = new Map<Observable, StepInstrument>();
    for (const o of observables) {
      const inst = OBSERVED.get(o);
      if (inst) known.set(o, inst);
    }
    this.sink.addBatchObserver(callback as BatchObservableCallback, known);
  }

  removeBatchObservableCallback<A extends Attributes = Attributes>(
    callback: BatchObservableCallback<A>,
    observables: Observable<A>[],
  ): void {
    this.meter.removeBatchObservableCallback(callback, observables);
    this.sink.removeObserver(callback as BatchObservableCallback);
  }

  /**
   * The OTel observable itself (OTel's batch callbacks accept only its own instruments), with
   * `addCallback`/`removeCallback` extended to register the callback with the sink too.
   */
  private observable<O extends Observable<A>, A extends Attributes>(
    inner: O,
    kind: StepInstrumentKind,
    name: string,
    options?: MetricOptions,
  ): O {
    const inst = stepInstrument(this.scope, kind, name, options);
    OBSERVED.set(inner, inst);
    const add = inner.addCallback.bind(inner);
    const remove = inner.removeCallback.bind(inner);
    const sink = this.sink;
    inner.addCallback = (cb: ObservableCallback<A>) => {
      add(cb);
      sink.addObserver(inst, cb as ObservableCallback);
    };
    inner.removeCallback = (cb: ObservableCallback<A>) => {
      remove(cb);
      sink.removeObserver(cb as ObservableCallback, inst);
    };
    return inner;
  }
}

/** The sink's instrument of each observable a StepMeter created. */
const OBSERVED = new WeakMap<Observable, StepInstrument>();

/** A `MeterProvider` whose meters are {@link StepMeter}s over `provider`'s (for the OTel global). */
export class StepMeterProvider implements MeterProvider {
  constructor(
    private readonly provider: MeterProvider,
    private readonly sink: StepMetricSink,
  ) {}

  getMeter(name: string, version?: string, options?: MeterOptions): Meter {
    const scope: InstrumentationScope = {
      name,
      ...(version !== undefined ? { version } : {}),
      ...(options?.schemaUrl !== undefined ? { schemaUrl: options.schemaUrl } : {}),
    };
    return new StepMeter(this.provider.getMeter(name, version, options), scope, this.sink);
  }
}
