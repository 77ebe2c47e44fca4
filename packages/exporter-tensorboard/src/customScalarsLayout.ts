import { ProtobufWriter } from '@grpo-otel/protobuf';
import { DataClass, type SummaryValue } from './Event.js';
import { PLUGIN_CUSTOM_SCALARS, stringTensor } from './summaries.js';

/** The tag TensorBoard's custom scalars plugin reads its layout from (at any step; we use 0). */
export const CUSTOM_SCALARS_CONFIG_TAG = 'custom_scalars__config__';

/** `tensorboard.Layout` (plugins/custom_scalar/layout.proto). */
export interface CustomScalarsLayout {
  categories: readonly CustomScalarsCategory[];
}

export interface CustomScalarsCategory {
  title: string;
  charts: readonly CustomScalarsChart[];
  /** Collapsed when TensorBoard opens. */
  closed?: boolean;
}

/**
 * A chart: `multiline` draws every scalar tag matching any of its regular expressions (Python `re`,
 * matched from the start of the tag) as one line; `margin` draws a value with a lower/upper band.
 */
export type CustomScalarsChart =
  | { title: string; multiline: readonly string[] }
  | { title: string; margin: readonly { value: string; lower: string; upper: string }[] };

// Field numbers from layout.proto.
// Layout.version (1) stays 0, proto3's default, so it is not written.
const LAYOUT_CATEGORY = 2;
const CATEGORY_TITLE = 1;
const CATEGORY_CHART = 2;
const CATEGORY_CLOSED = 3;
const CHART_TITLE = 1;
const CHART_MULTILINE = 2;
const CHART_MARGIN = 3;
const MULTILINE_TAG = 1;
const MARGIN_SERIES = 1;
const SERIES_VALUE = 1;
const SERIES_LOWER = 2;
const SERIES_UPPER = 3;

/** The serialized `Layout` proto. */
export function encodeCustomScalarsLayout(layout: CustomScalarsLayout): Uint8Array {
  const w = new ProtobufWriter(1024);
  for (const c of layout.categories) {
    const cm = w.fork(LAYOUT_CATEGORY);
    w.stringField(CATEGORY_TITLE, c.title);
    for (const chart of c.charts) {
      const ch = w.fork(CATEGORY_CHART);
      w.stringField(CHART_TITLE, chart.title);
      if ('multiline' in chart) {
        const m = w.fork(CHART_MULTILINE);
        for (const t of chart.multiline) w.stringField(MULTILINE_TAG, t);
        w.ldelim(m);
      } else {
        const m = w.fork(CHART_MARGIN);
        for (const s of chart.margin) {
          const sm = w.fork(MARGIN_SERIES);
          w.stringField(SERIES_VALUE, s.value);
          w.stringField(SERIES_LOWER, s.lower);
          w.stringField(SERIES_UPPER, s.upper);
          w.ldelim(sm);
        }
        w.ldelim(m);
      }
      w.ldelim(ch);
    }
    if (c.closed) w.boolField(CATEGORY_CLOSED, true);
    w.ldelim(cm);
  }
  return w.finish();
}

/** The layout as the summary value TensorBoard's custom scalars plugin looks for (write it at step 0). */
export function customScalarsSummary(layout: CustomScalarsLayout): SummaryValue {
  return {
    tag: CUSTOM_SCALARS_CONFIG_TAG,
    metadata: { pluginName: PLUGIN_CUSTOM_SCALARS, dataClass: DataClass.TENSOR },
    tensor: stringTensor(encodeCustomScalarsLayout(layout)),
  };
}
