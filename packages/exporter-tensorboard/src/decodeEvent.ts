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
import { ProtoReader, WIRE } from './internal/ProtoReader.js';

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
    if (field === EVENT_WALL_TIME && wire === WIRE.FIXED64) event.wallTime = r.double();
    else if (field === EVENT_STEP && wire === WIRE.VARINT) event.step = r.int64();
    else if (field === EVENT_FILE_VERSION && wire === WIRE.LEN) event.fileVersion = r.string();
    else if (field === EVENT_SUMMARY && wire === WIRE.LEN) {
      const s = r.message();
      const values: SummaryValue[] = event.summary ?? [];
      while (!s.done()) {
        const [f, w] = s.key();
        if (f === SUMMARY_VALUE && w === WIRE.LEN) values.push(decodeValue(s.message()));
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
    if (f === VALUE_TAG && w === WIRE.LEN) v.tag = r.string();
    else if (f === VALUE_SIMPLE_VALUE && w === WIRE.FIXED32) v.simpleValue = r.float();
    else if (f === VALUE_HISTO && w === WIRE.LEN) v.histo = decodeHisto(r.message());
    else if (f === VALUE_TENSOR && w === WIRE.LEN) v.tensor = decodeTensor(r.message());
    else if (f === VALUE_METADATA && w === WIRE.LEN) v.metadata = decodeMetadata(r.message());
    else r.skip(w);
  }
  return v;
}

function decodeMetadata(r: ProtoReader): SummaryMetadata {
  const md: SummaryMetadata = {};
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === METADATA_PLUGIN_DATA && w === WIRE.LEN) {
      const p = r.message();
      while (!p.done()) {
        const [pf, pw] = p.key();
        if (pf === PLUGIN_DATA_PLUGIN_NAME && pw === WIRE.LEN) md.pluginName = p.string();
        else if (pf === PLUGIN_DATA_CONTENT && pw === WIRE.LEN) md.pluginContent = p.bytes();
        else p.skip(pw);
      }
    } else if (f === METADATA_DISPLAY_NAME && w === WIRE.LEN) md.displayName = r.string();
    else if (f === METADATA_SUMMARY_DESCRIPTION && w === WIRE.LEN) md.summaryDescription = r.string();
    else if (f === METADATA_DATA_CLASS && w === WIRE.VARINT) md.dataClass = r.int64();
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
    if (f === HISTO_MIN && w === WIRE.FIXED64) h.min = r.double();
    else if (f === HISTO_MAX && w === WIRE.FIXED64) h.max = r.double();
    else if (f === HISTO_NUM && w === WIRE.FIXED64) h.num = r.double();
    else if (f === HISTO_SUM && w === WIRE.FIXED64) h.sum = r.double();
    else if (f === HISTO_SUM_SQUARES && w === WIRE.FIXED64) h.sumSquares = r.double();
    else if (f === HISTO_BUCKET_LIMIT) r.repeated(w, WIRE.FIXED64, readDouble, h.bucketLimit);
    else if (f === HISTO_BUCKET) r.repeated(w, WIRE.FIXED64, readDouble, h.bucket);
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
    if (f === TENSOR_DTYPE && w === WIRE.VARINT) t.dtype = r.int64();
    else if (f === TENSOR_SHAPE && w === WIRE.LEN) t.shape = decodeShape(r.message());
    else if (f === TENSOR_CONTENT && w === WIRE.LEN) t.tensorContent = r.bytes();
    else if (f === TENSOR_FLOAT_VAL) r.repeated(w, WIRE.FIXED32, readFloat, floats);
    else if (f === TENSOR_DOUBLE_VAL) r.repeated(w, WIRE.FIXED64, readDouble, doubles);
    else if (f === TENSOR_INT_VAL) r.repeated(w, WIRE.VARINT, readVarint, ints);
    else if (f === TENSOR_INT64_VAL) r.repeated(w, WIRE.VARINT, readVarint, int64s);
    else if (f === TENSOR_BOOL_VAL) r.repeated(w, WIRE.VARINT, readVarint, bools);
    else if (f === TENSOR_STRING_VAL && w === WIRE.LEN) strings.push(r.bytes());
    else r.skip(w);
  }
  if (seen.has(TENSOR_FLOAT_VAL)) t.floatVal = floats;
  if (seen.has(TENSOR_DOUBLE_VAL)) t.doubleVal = doubles;
  if (seen.has(TENSOR_INT_VAL)) t.intVal = ints;
  if (seen.has(TENSOR_INT64_VAL)) t.int64Val = int64s;
  if (seen.has(TENSOR_BOOL_VAL)) t.boolVal = bools.map((n) => n !== 0);
  if (seen.has(TENSOR_STRING_VAL)) t.stringVal = strings;
  return t;
}

function decodeShape(r: ProtoReader): number[] {
  const dims: number[] = [];
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === SHAPE_DIM && w === WIRE.LEN) {
      const d = r.message();
      let size = 0;
      while (!d.done()) {
        const [df, dw] = d.key();
        if (df === DIM_SIZE && dw === WIRE.VARINT) size = d.int64();
        else d.skip(dw);
      }
      dims.push(size);
    } else r.skip(w);
  }
  return dims;
}
