import { ProtobufWriter } from '@grpo-otel/protobuf';
import type { Event, HistogramProto, SummaryMetadata, SummaryValue, TensorProto } from './Event.js';
import * as fields from './internal/fields.js';

/** Appends the serialized `Event` to `w` (no framing). */
export function encodeEventInto(w: ProtobufWriter, event: Event): void {
  w.doubleField(fields.EVENT_WALL_TIME, event.wallTime);
  if (event.step !== 0) w.varintField(fields.EVENT_STEP, event.step);
  if (event.fileVersion !== undefined) w.stringField(fields.EVENT_FILE_VERSION, event.fileVersion);
  if (event.summary !== undefined) {
    const s = w.fork(fields.EVENT_SUMMARY);
    for (const v of event.summary) encodeValue(w, v);
    w.ldelim(s);
  }
}

/** The serialized `Event` (protobuf bytes, without TFRecord framing). */
export function encodeEvent(event: Event): Uint8Array {
  const w = new ProtobufWriter(256);
  encodeEventInto(w, event);
  return w.finish();
}

/** Appends one `Summary.Value` as field 1 of the enclosing `Summary`. */
export function encodeValue(w: ProtobufWriter, v: SummaryValue): void {
  const m = w.fork(fields.SUMMARY_VALUE);
  w.stringField(fields.VALUE_TAG, v.tag);
  if (v.metadata !== undefined) encodeMetadata(w, v.metadata);
  if (v.simpleValue !== undefined) w.floatField(fields.VALUE_SIMPLE_VALUE, v.simpleValue);
  else if (v.histo !== undefined) encodeHisto(w, v.histo);
  else if (v.tensor !== undefined) encodeTensor(w, fields.VALUE_TENSOR, v.tensor);
  w.ldelim(m);
}

function encodeMetadata(w: ProtobufWriter, md: SummaryMetadata): void {
  const m = w.fork(fields.VALUE_METADATA);
  if (md.pluginName !== undefined || md.pluginContent !== undefined) {
    const p = w.fork(fields.METADATA_PLUGIN_DATA);
    if (md.pluginName) w.stringField(fields.PLUGIN_DATA_PLUGIN_NAME, md.pluginName);
    if (md.pluginContent?.length) w.bytesField(fields.PLUGIN_DATA_CONTENT, md.pluginContent);
    w.ldelim(p);
  }
  if (md.displayName) w.stringField(fields.METADATA_DISPLAY_NAME, md.displayName);
  if (md.summaryDescription) w.stringField(fields.METADATA_SUMMARY_DESCRIPTION, md.summaryDescription);
  if (md.dataClass) w.varintField(fields.METADATA_DATA_CLASS, md.dataClass);
  w.ldelim(m);
}

/** Appends a `HistogramProto` as the `histo` field of the enclosing `Summary.Value`. */
export function encodeHisto(w: ProtobufWriter, h: HistogramProto): void {
  const m = w.fork(fields.VALUE_HISTO);
  w.doubleField(fields.HISTO_MIN, h.min);
  w.doubleField(fields.HISTO_MAX, h.max);
  w.doubleField(fields.HISTO_NUM, h.num);
  w.doubleField(fields.HISTO_SUM, h.sum);
  w.doubleField(fields.HISTO_SUM_SQUARES, h.sumSquares);
  w.packedDoubles(fields.HISTO_BUCKET_LIMIT, h.bucketLimit);
  w.packedDoubles(fields.HISTO_BUCKET, h.bucket);
  w.ldelim(m);
}

/** Appends a `TensorProto` as field `field` of the enclosing message. */
export function encodeTensor(w: ProtobufWriter, field: number, t: TensorProto): void {
  const m = w.fork(field);
  w.varintField(fields.TENSOR_DTYPE, t.dtype);
  const s = w.fork(fields.TENSOR_SHAPE);
  for (const size of t.shape) {
    const d = w.fork(fields.SHAPE_DIM);
    w.varintField(fields.DIM_SIZE, size);
    w.ldelim(d);
  }
  w.ldelim(s);
  if (t.tensorContent !== undefined) w.bytesField(fields.TENSOR_CONTENT, t.tensorContent);
  if (t.floatVal !== undefined) w.packedFloats(fields.TENSOR_FLOAT_VAL, t.floatVal);
  if (t.doubleVal !== undefined) w.packedDoubles(fields.TENSOR_DOUBLE_VAL, t.doubleVal);
  if (t.intVal !== undefined) w.packedVarints(fields.TENSOR_INT_VAL, t.intVal);
  if (t.int64Val !== undefined) w.packedVarints(fields.TENSOR_INT64_VAL, t.int64Val);
  if (t.boolVal !== undefined) w.packedVarints(fields.TENSOR_BOOL_VAL, t.boolVal.map(Number));
  if (t.stringVal !== undefined) for (const s of t.stringVal) w.bytesField(fields.TENSOR_STRING_VAL, s);
  w.ldelim(m);
}
