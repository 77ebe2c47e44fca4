/** Attribute values on the points an analysis produces. */
export type PointAttributes = Record<string, string | number | boolean>;

/** A gauge value to record on the semconv instrument named `metric`. */
export interface GaugeValue {
  metric: string;
  value: number;
  attributes?: PointAttributes;
  /** `attributesKey(attributes)`, computed by the worker so the training thread need not key the set. */
  key?: string;
}

/** A gauge series (metric and attributes) numbered by the worker, described in the first result using it. */
export interface SeriesDefinition {
  metric: string;
  attributes: PointAttributes;
  /** `attributesKey(attributes)`. */
  key: string;
}

/** The gauges of a result (see GaugeEncoder): value i is of the series numbered `series[i]`. */
export interface EncodedGauges {
  /** Series numbered by this result, in number order (after those of the earlier results). */
  newSeries: SeriesDefinition[];
  series: Int32Array;
  values: Float64Array;
  /** Gauges of series past the numbering limit. */
  extra: GaugeValue[];
}
