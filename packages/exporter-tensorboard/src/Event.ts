// The parts of TensorBoard's Event, Summary, HistogramProto and TensorProto messages this package
// writes and reads (tensorboard/compat/proto/{event,summary,histogram,tensor,tensor_shape,types}.proto),
// as plain objects with camelCase field names.

/** `tensorboard.DataType` values used here (types.proto). */
export const DataType = {
  DT_FLOAT: 1,
  DT_DOUBLE: 2,
  DT_INT32: 3,
  DT_STRING: 7,
  DT_INT64: 9,
  DT_BOOL: 10,
} as const;

/** `tensorboard.DataClass` (summary.proto): how TensorBoard's data providers classify a time series. */
export const DataClass = {
  UNKNOWN: 0,
  SCALAR: 1,
  TENSOR: 2,
  BLOB_SEQUENCE: 3,
} as const;

/** One record of an event file. Exactly one of `fileVersion` and `summary` is set. */
export interface Event {
  /** Seconds since the Unix epoch (a double). */
  wallTime: number;
  /** The training step (int64). */
  step: number;
  /** Set in the first record of every file: `brain.Event:2`. */
  fileVersion?: string;
  /** `Summary.value`: the tagged values recorded at this step. */
  summary?: SummaryValue[];
}

/** `Summary.Value`: one tagged value. Exactly one of simpleValue, histo, tensor is set. */
export interface SummaryValue {
  tag: string;
  metadata?: SummaryMetadata;
  /** A 32-bit float scalar (the legacy form every TensorBoard reads as a scalar). */
  simpleValue?: number;
  histo?: HistogramProto;
  tensor?: TensorProto;
}

/** `SummaryMetadata`, with its `plugin_data` flattened into pluginName/pluginContent. */
export interface SummaryMetadata {
  pluginName?: string;
  /** The plugin's own serialized data (`plugin_data.content`). */
  pluginContent?: Uint8Array;
  displayName?: string;
  summaryDescription?: string;
  /** One of {@link DataClass}. */
  dataClass?: number;
}

/**
 * `HistogramProto`: bucket i counts the values between bucket_limit[i-1] (or min, for i = 0) and
 * bucket_limit[i].
 */
export interface HistogramProto {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: ArrayLike<number>;
  bucket: ArrayLike<number>;
}

/** `TensorProto`: dtype, shape (dimension sizes; `[]` is a scalar) and the values of one *_val field. */
export interface TensorProto {
  /** One of {@link DataType}. */
  dtype: number;
  shape: number[];
  floatVal?: number[];
  doubleVal?: number[];
  intVal?: number[];
  int64Val?: number[];
  boolVal?: boolean[];
  stringVal?: Uint8Array[];
  /** Raw little-endian values (an alternative to the *_val fields). */
  tensorContent?: Uint8Array;
}
