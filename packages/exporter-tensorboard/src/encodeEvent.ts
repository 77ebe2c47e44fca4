import type { Event, HistogramProto, SummaryMetadata, SummaryValue, TensorProto } from './Event.js';
import {
  DIM_SIZE,
  EVENT_FILE_VERSION,
  EVENT_STEP,
  EVENT_SUMMARY,
  EVENT_WALL_TIME,
  HISTO_BUCKET,
  HISTO_BUCKET_LIMIT,
  HISTO_MAX,
  HISTO_MIN,
  HISTO_NUM,
  HISTO_SUM,
  HISTO_SUM_SQUARES,
  METADATA_DATA_CLASS,
  METADATA_DISPLAY_NAME,
  METADATA_PLUGIN_DATA,
  METADATA_SUMMARY_DESCRIPTION,
  PLUGIN_DATA_CONTENT,
  PLUGIN_DATA_PLUGIN_NAME,
  SHAPE_DIM,
  SUMMARY_VALUE,
  TENSOR_BOOL_VAL,
  TENSOR_CONTENT,
  TENSOR_DOUBLE_VAL,
  TENSOR_DTYPE,
  TENSOR_FLOAT_VAL,
  TENSOR_INT_VAL,
  TENSOR_INT64_VAL,
  TENSOR_SHAPE,
  TENSOR_STRING_VAL,
  VALUE_HISTO,
  VALUE_METADATA,
  VALUE_SIMPLE_VALUE,
  VALUE_TAG,
  VALUE_TENSOR,
} from './internal/fields.js';
import { ProtoWriter } from './internal/ProtoWriter.js';

/** Appends the serialized `Event` to `w` (no framing). */
export function encodeEventInto(w: ProtoWriter, event: Event): void {
  w.doubleField(EVENT_WALL_TIME, event.wallTime);
  if (event.step !== 0) w.varintField(EVENT_STEP, event.step);
  if (event.fileVersion !== undefined) w.stringField(EVENT_FILE_VERSION, event.fileVersion);
  if (event.summary !== undefined) {
    const s = w.fork(EVENT_SUMMARY);
    for (const v of event.summary) encodeValue(w, v);
    w.ldelim(s);
  }
}

/** The serialized `Event` (protobuf bytes, without TFRecord framing). */
export function encodeEvent(event: Event): Uint8Array {
  const w = new ProtoWriter(256);
  encodeEventInto(w, event);
  return w.finish();
}

/** Appends one `Summary.Value` as field 1 of the enclosing `Summary`. */
export function encodeValue(w: ProtoWriter, v: SummaryValue): void {
  const m = w.fork(SUMMARY_VALUE);
  w.stringField(VALUE_TAG, v.tag);
  if (v.metadata !== undefined) encodeMetadata(w, v.metadata);
  if (v.simpleValue !== undefined) w.floatField(VALUE_SIMPLE_VALUE, v.simpleValue);
  else if (v.histo !== undefined) encodeHisto(w, v.histo);
  else if (v.tensor !== undefined) encodeTensor(w, VALUE_TENSOR, v.tensor);
  w.ldelim(m);
}

function encodeMetadata(w: ProtoWriter, md: SummaryMetadata): void {
  const m = w.fork(VALUE_METADATA);
  if (md.pluginName !== undefined || md.pluginContent !== undefined) {
    const p = w.fork(METADATA_PLUGIN_DATA);
    if (md.pluginName) w.stringField(PLUGIN_DATA_PLUGIN_NAME, md.pluginName);
    if (md.pluginContent?.length) w.bytesField(PLUGIN_DATA_CONTENT, md.pluginContent);
    w.ldelim(p);
  }
  if (md.displayName) w.stringField(METADATA_DISPLAY_NAME, md.displayName);
  if (md.summaryDescription) w.stringField(METADATA_SUMMARY_DESCRIPTION, md.summaryDescription);
  if (md.dataClass) w.varintField(METADATA_DATA_CLASS, md.dataClass);
  w.ldelim(m);
}

/** Appends a `HistogramProto` as the `histo` field of the enclosing `Summary.Value`. */
export function encodeHisto(w: ProtoWriter, h: HistogramProto): void {
  const m = w.fork(VALUE_HISTO);
  w.doubleField(HISTO_MIN, h.min);
  w.doubleField(HISTO_MAX, h.max);
  w.doubleField(HISTO_NUM, h.num);
  w.doubleField(HISTO_SUM, h.sum);
  w.doubleField(HISTO_SUM_SQUARES, h.sumSquares);
  w.packedDoubles(HISTO_BUCKET_LIMIT, h.bucketLimit);
  w.packedDoubles(HISTO_BUCKET, h.bucket);
  w.ldelim(m);
}

/** Appends a `TensorProto` as field `field` of the enclosing message. */
export function encodeTensor(w: ProtoWriter, field: number, t: TensorProto): void {
  const m = w.fork(field);
  w.varintField(TENSOR_DTYPE, t.dtype);
  const s = w.fork(TENSOR_SHAPE);
  for (const size of t.shape) {
    const d = w.fork(SHAPE_DIM);
    w.varintField(DIM_SIZE, size);
    w.ldelim(d);
  }
  w.ldelim(s);
  if (t.tensorContent !== undefined) w.bytesField(TENSOR_CONTENT, t.tensorContent);
  if (t.floatVal !== undefined) w.packedFloats(TENSOR_FLOAT_VAL, t.floatVal);
  if (t.doubleVal !== undefined) w.packedDoubles(TENSOR_DOUBLE_VAL, t.doubleVal);
  if (t.intVal !== undefined) w.packedVarints(TENSOR_INT_VAL, t.intVal);
  if (t.int64Val !== undefined) w.packedVarints(TENSOR_INT64_VAL, t.int64Val);
  if (t.boolVal !== undefined) w.packedVarints(TENSOR_BOOL_VAL, t.boolVal.map(Number));
  if (t.stringVal !== undefined) for (const s of t.stringVal) w.bytesField(TENSOR_STRING_VAL, s);
  w.ldelim(m);
}
