import { DataClass, DataType, type HistogramProto, type SummaryValue, type TensorProto } from './Event.js';

/** Plugin names, as TensorBoard's plugins register them. */
export const PLUGIN_SCALARS = 'scalars';
export const PLUGIN_HISTOGRAMS = 'histograms';
export const PLUGIN_TEXT = 'text';
export const PLUGIN_CUSTOM_SCALARS = 'custom_scalars';
export const PLUGIN_HPARAMS = 'hparams';

/**
 * How scalars are written: `simple_value` (the compact legacy field every TensorBoard reads) or
 * `tensor` (a rank-0 DT_FLOAT tensor with plugin `scalars`, the TF2 form). Both hold a 32-bit float.
 */
export type ScalarForm = 'simple_value' | 'tensor';

/** A scalar value; TensorBoard stores it as a 32-bit float. */
export function scalarSummary(tag: string, value: number, form: ScalarForm = 'simple_value'): SummaryValue {
  if (form === 'simple_value') return { tag, simpleValue: value };
  return {
    tag,
    metadata: { pluginName: PLUGIN_SCALARS, dataClass: DataClass.SCALAR },
    tensor: { dtype: DataType.DT_FLOAT, shape: [], floatVal: [value] },
  };
}

/** A histogram (HistogramProto in the `histo` field; TensorBoard's histogram plugin converts it). */
export function histogramSummary(tag: string, histo: HistogramProto): SummaryValue {
  return { tag, histo };
}

/** A text summary: markdown in a rank-0 DT_STRING tensor with plugin `text`. */
export function textSummary(tag: string, markdown: string): SummaryValue {
  return {
    tag,
    metadata: { pluginName: PLUGIN_TEXT, dataClass: DataClass.TENSOR },
    tensor: stringTensor(Buffer.from(markdown, 'utf8')),
  };
}

/** A rank-0 DT_STRING tensor holding `bytes`. */
export function stringTensor(bytes: Uint8Array): TensorProto {
  return { dtype: DataType.DT_STRING, shape: [], stringVal: [bytes] };
}
