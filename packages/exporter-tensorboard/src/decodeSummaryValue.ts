import { DataType, type HistogramProto, type SummaryValue, type TensorProto } from './Event.js';
import { PLUGIN_HISTOGRAMS, PLUGIN_SCALARS, PLUGIN_TEXT } from './summaries.js';

/** A summary value as what it means: scalar, histogram, text, or another plugin's tensor. */
export type DecodedValue =
  | { kind: 'scalar'; tag: string; value: number }
  | { kind: 'histogram'; tag: string; histogram: HistogramProto }
  | { kind: 'text'; tag: string; text: string }
  | { kind: 'tensor'; tag: string; plugin: string; tensor: TensorProto }
  | { kind: 'other'; tag: string };

/**
 * Interprets a summary value. `pluginOf` gives the plugin of a tag seen earlier in the run (writers
 * often put the metadata on a tag's first value only). Scalars come from simple_value or a one-element
 * float/double/int tensor of plugin `scalars`; histograms from histo or a k×3 (left, right, count)
 * tensor of plugin `histograms`; text from the strings of a DT_STRING tensor of plugin `text`.
 */
export function decodeSummaryValue(
  v: SummaryValue,
  pluginOf?: (tag: string) => string | undefined,
): DecodedValue {
  const tag = v.tag;
  if (v.simpleValue !== undefined) return { kind: 'scalar', tag, value: v.simpleValue };
  if (v.histo !== undefined) return { kind: 'histogram', tag, histogram: v.histo };
  const t = v.tensor;
  if (t === undefined) return { kind: 'other', tag };
  const plugin = v.metadata?.pluginName ?? pluginOf?.(tag) ?? '';
  if (plugin === PLUGIN_SCALARS) {
    const value = numbers(t)[0];
    if (value !== undefined) return { kind: 'scalar', tag, value };
  } else if (plugin === PLUGIN_TEXT && t.dtype === DataType.DT_STRING) {
    const text = (t.stringVal ?? []).map((b) => Buffer.from(b).toString('utf8')).join('\n');
    return { kind: 'text', tag, text };
  } else if (plugin === PLUGIN_HISTOGRAMS) {
    const h = tensorHistogram(t);
    if (h) return { kind: 'histogram', tag, histogram: h };
  }
  return { kind: 'tensor', tag, plugin, tensor: t };
}

/** The numbers of a numeric tensor (from its *_val field or tensor_content). */
export function numbers(t: TensorProto): number[] {
  if (t.floatVal?.length) return t.floatVal;
  if (t.doubleVal?.length) return t.doubleVal;
  if (t.intVal?.length) return t.intVal;
  if (t.int64Val?.length) return t.int64Val;
  const c = t.tensorContent;
  if (!c?.length) return [];
  const view = new DataView(c.buffer, c.byteOffset, c.byteLength);
  const out: number[] = [];
  if (t.dtype === DataType.DT_FLOAT)
    for (let i = 0; i + 4 <= c.length; i += 4) out.push(view.getFloat32(i, true));
  else if (t.dtype === DataType.DT_DOUBLE)
    for (let i = 0; i + 8 <= c.length; i += 8) out.push(view.getFloat64(i, true));
  else if (t.dtype === DataType.DT_INT32)
    for (let i = 0; i + 4 <= c.length; i += 4) out.push(view.getInt32(i, true));
  else if (t.dtype === DataType.DT_INT64)
    for (let i = 0; i + 8 <= c.length; i += 8) out.push(Number(view.getBigInt64(i, true)));
  return out;
}

function tensorHistogram(t: TensorProto): HistogramProto | undefined {
  const v = numbers(t);
  if (t.shape.length !== 2 || t.shape[1] !== 3 || v.length !== t.shape[0]! * 3) return undefined;
  const k = t.shape[0]!;
  const bucketLimit: number[] = [];
  const bucket: number[] = [];
  let num = 0;
  for (let i = 0; i < k; i++) {
    bucketLimit.push(v[i * 3 + 1]!);
    bucket.push(v[i * 3 + 2]!);
    num += v[i * 3 + 2]!;
  }
  return {
    min: k > 0 ? v[0]! : 0,
    max: k > 0 ? v[(k - 1) * 3 + 1]! : 0,
    num,
    sum: Number.NaN,
    sumSquares: Number.NaN,
    bucketLimit,
    bucket,
  };
}
