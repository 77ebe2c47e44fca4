import { ProtoReader, WIRE } from '@grpo-otel/protobuf';
import type { Event, HistogramProto, SummaryMetadata, SummaryValue, TensorProto } from './Event.js';
import * as fields from './internal/fields.js';

/**
 * Decodes a serialized `Event` (the data of one TFRecord). Fields this package does not model
 * (graphs, session logs, images, ...) are skipped; an event with none of ours has neither
 * fileVersion nor summary. Throws a `ProtoDecodeError` on malformed protobuf.
 */
export function decodeEvent(data: Uint8Array): Event {
  const r = new ProtoReader(data);
  const event: Event = { wallTime: 0, step: 0 };
  while (!r.done()) {
    const [field, wire] = r.key();
    if (field === fields.EVENT_WALL_TIME && wire === WIRE.FIXED64) event.wallTime = r.double();
    else if (field === fields.EVENT_STEP && wire === WIRE.VARINT) event.step = r.int64();
    else if (field === fields.EVENT_FILE_VERSION && wire === WIRE.LEN) event.fileVersion = r.string();
    else if (field === fields.EVENT_SUMMARY && wire === WIRE.LEN) {
      const s = r.message();
      const values: SummaryValue[] = event.summary ?? [];
      while (!s.done()) {
        const [f, w] = s.key();
        if (f === fields.SUMMARY_VALUE && w === WIRE.LEN) values.push(decodeValue(s.message()));
        else s.skip(w);
      }
      event.summary = values;
    } else r.skip(wire);
  }
  return event;
}

function decodeValue(r: ProtoReader): SummaryValue {
  const v: SummaryValue = { tag: '' };
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === fields.VALUE_TAG && w === WIRE.LEN) v.tag = r.string();
    else if (f === fields.VALUE_SIMPLE_VALUE && w === WIRE.FIXED32) v.simpleValue = r.float();
    else if (f === fields.VALUE_HISTO && w === WIRE.LEN) v.histo = decodeHisto(r.message());
    else if (f === fields.VALUE_TENSOR && w === WIRE.LEN) v.tensor = decodeTensor(r.message());
    else if (f === fields.VALUE_METADATA && w === WIRE.LEN) v.metadata = decodeMetadata(r.message());
    else r.skip(w);
  }
  return v;
}

function decodeMetadata(r: ProtoReader): SummaryMetadata {
  const md: SummaryMetadata = {};
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === fields.METADATA_PLUGIN_DATA && w === WIRE.LEN) {
      const p = r.message();
      while (!p.done()) {
        const [pf, pw] = p.key();
        if (pf === fields.PLUGIN_DATA_PLUGIN_NAME && pw === WIRE.LEN) md.pluginName = p.string();
        else if (pf === fields.PLUGIN_DATA_CONTENT && pw === WIRE.LEN) md.pluginContent = p.bytes();
        else p.skip(pw);
      }
    } else if (f === fields.METADATA_DISPLAY_NAME && w === WIRE.LEN) md.displayName = r.string();
    else if (f === fields.METADATA_SUMMARY_DESCRIPTION && w === WIRE.LEN) md.summaryDescription = r.string();
    else if (f === fields.METADATA_DATA_CLASS && w === WIRE.VARINT) md.dataClass = r.int64();
    else r.skip(w);
  }
  return md;
}

const readDouble = (r: ProtoReader): number => r.double();
const readFloat = (r: ProtoReader): number => r.float();
const readVarint = (r: ProtoReader): number => r.int64();

function decodeHisto(r: ProtoReader): HistogramProto {
  const h = {
    min: 0,
    max: 0,
    num: 0,
    sum: 0,
    sumSquares: 0,
    bucketLimit: [] as number[],
    bucket: [] as number[],
  };
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === fields.HISTO_MIN && w === WIRE.FIXED64) h.min = r.double();
    else if (f === fields.HISTO_MAX && w === WIRE.FIXED64) h.max = r.double();
    else if (f === fields.HISTO_NUM && w === WIRE.FIXED64) h.num = r.double();
    else if (f === fields.HISTO_SUM && w === WIRE.FIXED64) h.sum = r.double();
    else if (f === fields.HISTO_SUM_SQUARES && w === WIRE.FIXED64) h.sumSquares = r.double();
    else if (f === fields.HISTO_BUCKET_LIMIT) r.repeated(w, WIRE.FIXED64, readDouble, h.bucketLimit);
    else if (f === fields.HISTO_BUCKET) r.repeated(w, WIRE.FIXED64, readDouble, h.bucket);
    else r.skip(w);
  }
  return h;
}

function decodeTensor(r: ProtoReader): TensorProto {
  const t: TensorProto = { dtype: 0, shape: [] };
  const floats: number[] = [];
  const doubles: number[] = [];
  const ints: number[] = [];
  const int64s: number[] = [];
  const bools: number[] = [];
  const strings: Uint8Array[] = [];
  const seen = new Set<number>();
  while (!r.done()) {
    const [f, w] = r.key();
    seen.add(f);
    if (f === fields.TENSOR_DTYPE && w === WIRE.VARINT) t.dtype = r.int64();
    else if (f === fields.TENSOR_SHAPE && w === WIRE.LEN) t.shape = decodeShape(r.message());
    else if (f === fields.TENSOR_CONTENT && w === WIRE.LEN) t.tensorContent = r.bytes();
    else if (f === fields.TENSOR_FLOAT_VAL) r.repeated(w, WIRE.FIXED32, readFloat, floats);
    else if (f === fields.TENSOR_DOUBLE_VAL) r.repeated(w, WIRE.FIXED64, readDouble, doubles);
    else if (f === fields.TENSOR_INT_VAL) r.repeated(w, WIRE.VARINT, readVarint, ints);
    else if (f === fields.TENSOR_INT64_VAL) r.repeated(w, WIRE.VARINT, readVarint, int64s);
    else if (f === fields.TENSOR_BOOL_VAL) r.repeated(w, WIRE.VARINT, readVarint, bools);
    else if (f === fields.TENSOR_STRING_VAL && w === WIRE.LEN) strings.push(r.bytes());
    else r.skip(w);
  }
  if (seen.has(fields.TENSOR_FLOAT_VAL)) t.floatVal = floats;
  if (seen.has(fields.TENSOR_DOUBLE_VAL)) t.doubleVal = doubles;
  if (seen.has(fields.TENSOR_INT_VAL)) t.intVal = ints;
  if (seen.has(fields.TENSOR_INT64_VAL)) t.int64Val = int64s;
  if (seen.has(fields.TENSOR_BOOL_VAL)) t.boolVal = bools.map((n) => n !== 0);
  if (seen.has(fields.TENSOR_STRING_VAL)) t.stringVal = strings;
  return t;
}

function decodeShape(r: ProtoReader): number[] {
  const dims: number[] = [];
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === fields.SHAPE_DIM && w === WIRE.LEN) {
      const d = r.message();
      let size = 0;
      while (!d.done()) {
        const [df, dw] = d.key();
        if (df === fields.DIM_SIZE && dw === WIRE.VARINT) size = d.int64();
        else d.skip(dw);
      }
      dims.push(size);
    } else r.skip(w);
  }
  return dims;
}
