import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  BigValueColorMode,
  BigValueGraphMode,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  HeatmapCellLayout,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  StackingConfigBuilder,
  StackingMode,
  TooltipDisplayMode,
  VisibilityMode,
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  type DataSourceRef,
  type DynamicConfigValue,
  FieldColorBuilder,
  FieldColorModeId,
  MappingType,
  type Panel,
  type Threshold,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  type ValueMapping,
} from '@grafana/grafana-foundation-sdk/dashboard';
import {
  HeatmapColorMode,
  HeatmapColorOptionsBuilder,
  PanelBuilder as HeatmapPanelBuilder,
  RowsHeatmapOptionsBuilder,
  YAxisConfigBuilder,
} from '@grafana/grafana-foundation-sdk/heatmap';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StateTimelinePanelBuilder } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as TablePanelBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import type { MetricDefinition } from '@grpo-otel/semconv';
import { VAR } from './promql.js';

/** Every panel and target reads from the Prometheus data source chosen in the `datasource` variable. */
export const PROMETHEUS: DataSourceRef = { type: 'prometheus', uid: `\${${VAR.datasource}}` };

/** One PromQL query of a panel. */
export interface Query {
  expr: string;
  /** Legend template, e.g. `{{grpo_reward_function}}` (build it with `legend()` from promql.ts). */
  legend?: string;
}

/** What every panel kind accepts. */
export interface PanelOptions {
  title: string;
  /** Shown in the panel's info tooltip. Use {@link describe} to take it from semconv. */
  description?: string;
  /** Grafana unit id (`s`, `bytes`, `percentunit`, `short`, `suffix: tok/s`, ...). */
  unit?: string;
  min?: number;
  max?: number;
  decimals?: number;
  /** Width in grid columns (24 is the full width). Default 12. */
  width?: number;
  /** Height in grid rows. Default 8. */
  height?: number;
  /** Repeat the panel for each selected value of this variable (name without `$`). */
  repeat?: string;
  /** Text shown when the queries return nothing (e.g. "0" for counters that only exist once non-zero). */
  noValue?: string;
  queries: readonly Query[];
}

/** A semconv metric's description and note, for a panel's info tooltip. */
export function describe(...defs: Pick<MetricDefinition, 'name' | 'description' | 'note'>[]): string {
  return defs
    .map((d) => {
      const text = d.note ? `${d.description} ${d.note}` : d.description;
      return defs.length > 1 ? `\`${d.name}\`: ${text}` : text;
    })
    .join('\n\n');
}

function targets(queries: readonly Query[], format?: PromQueryFormat, instant = false): DataqueryBuilder[] {
  if (queries.length === 0) throw new Error('a panel needs at least one query');
  return queries.map((q, i) => {
    const t = new DataqueryBuilder()
      .datasource(PROMETHEUS)
      .refId(String.fromCharCode(65 + i))
      .expr(q.expr);
    if (q.legend !== undefined) t.legendFormat(q.legend);
    if (format !== undefined) t.format(format);
    if (instant) t.instant();
    else t.range();
    return t;
  });
}

interface CommonBuilder {
  title(title: string): this;
  description(description: string): this;
  datasource(datasource: DataSourceRef): this;
  unit(unit: string): this;
  min(min: number): this;
  max(max: number): this;
  decimals(decimals: number): this;
  span(span: number): this;
  height(height: number): this;
  noValue(noValue: string): this;
  repeat(repeat: string): this;
  repeatDirection(direction: 'h' | 'v'): this;
  maxPerRow(maxPerRow: number): this;
}

function common<B extends CommonBuilder>(b: B, o: PanelOptions): B {
  b.title(o.title)
    .datasource(PROMETHEUS)
    .span(o.width ?? 12)
    .height(o.height ?? 8);
  if (o.description !== undefined) b.description(o.description);
  if (o.unit !== undefined) b.unit(o.unit);
  if (o.min !== undefined) b.min(o.min);
  if (o.max !== undefined) b.max(o.max);
  if (o.decimals !== undefined) b.decimals(o.decimals);
  if (o.noValue !== undefined) b.noValue(o.noValue);
  if (o.repeat !== undefined) {
    b.repeat(o.repeat)
      .repeatDirection('h')
      .maxPerRow(Math.max(1, Math.floor(24 / (o.width ?? 12))));
  }
  return b;
}

function thresholds(steps: readonly Threshold[]): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([...steps]);
}

/** Threshold steps: the base colour, then `[value, colour]` pairs in increasing order. */
export function steps(base: string, ...rest: [number, string][]): Threshold[] {
  return [{ value: null, color: base }, ...rest.map(([value, color]) => ({ value, color }))];
}

/** Field config for some series of a panel, chosen by legend name or by a regex over legend names. */
export type SeriesOverride = ({ name: string } | { regex: string }) & { properties: DynamicConfigValue[] };

export interface TimeSeriesOptions extends PanelOptions {
  /** Fill the area between two series (by legend name): `[upper, lower]`, e.g. a min..max band. */
  bands?: readonly (readonly [string, string])[];
  /** Per-series overrides: by legend name, or by a regex over legend names. */
  overrides?: readonly SeriesOverride[];
  stack?: boolean;
  /** Draw threshold lines (and colour the area beyond them). */
  thresholds?: readonly Threshold[];
  /** Legend as a table with these calculations, e.g. ['lastNotNull', 'max']. */
  legendCalcs?: string[];
}

/** A time series panel. */
export function timeSeries(o: TimeSeriesOptions): cog.Builder<Panel> {
  const b = common(new TimeseriesPanelBuilder(), o)
    .withTarget(targets(o.queries)[0]!)
    .lineWidth(1)
    .fillOpacity(0)
    .spanNulls(true)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(o.legendCalcs ? LegendDisplayMode.Table : LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom)
        .calcs(o.legendCalcs ?? []),
    )
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi));
  for (const t of targets(o.queries).slice(1)) b.withTarget(t);
  if (o.stack) {
    b.stacking(new StackingConfigBuilder().mode(StackingMode.Normal)).fillOpacity(40);
  }
  if (o.thresholds) {
    b.thresholds(thresholds(o.thresholds)).thresholdsStyle(
      new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.LineAndArea),
    );
  }
  for (const [upper, lower] of o.bands ?? []) {
    b.overrideByName(upper, [
      { id: 'custom.fillBelowTo', value: lower },
      { id: 'custom.fillOpacity', value: 15 },
      { id: 'custom.lineWidth', value: 0 },
    ]);
    b.overrideByName(lower, [{ id: 'custom.lineWidth', value: 0 }]);
  }
  for (const ov of o.overrides ?? []) {
    if ('name' in ov) b.overrideByName(ov.name, ov.properties);
    else b.overrideByRegexp(ov.regex, ov.properties);
  }
  return b;
}

export interface StatOptions extends PanelOptions {
  thresholds?: readonly Threshold[];
  /** Value mappings, e.g. 1 -> "active". */
  mappings?: ValueMapping[];
  /** Show a sparkline under the value (default true). */
  sparkline?: boolean;
}

/** A single-value panel showing the last value of each series. */
export function stat(o: StatOptions): cog.Builder<Panel> {
  const b = common(new StatPanelBuilder(), o)
    .graphMode(o.sparkline === false ? BigValueGraphMode.None : BigValueGraphMode.Area)
    .colorMode(o.thresholds ? BigValueColorMode.Background : BigValueColorMode.Value)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  for (const t of targets(o.queries)) b.withTarget(t);
  b.thresholds(thresholds(o.thresholds ?? steps('blue')));
  b.colorScheme(new FieldColorBuilder().mode(FieldColorModeId.Thresholds));
  if (o.mappings) b.mappings(o.mappings);
  return b;
}

export interface HeatmapOptions extends PanelOptions {
  /** Unit of the bucket bounds (the y axis). */
  yUnit?: string;
}

/**
 * A heatmap of a Prometheus histogram: the query returns bucket counts per `le` (format `heatmap`), so
 * Grafana draws the buckets as they are instead of re-bucketing values.
 */
export function heatmap(o: HeatmapOptions): cog.Builder<Panel> {
  const b = common(new HeatmapPanelBuilder(), o)
    .calculate(false)
    .rowsFrame(new RowsHeatmapOptionsBuilder().layout(HeatmapCellLayout.Le))
    .color(new HeatmapColorOptionsBuilder().mode(HeatmapColorMode.Scheme).scheme('Oranges').steps(64))
    .yAxis(new YAxisConfigBuilder().unit(o.yUnit ?? 'short'))
    .showLegend();
  for (const t of targets(o.queries, PromQueryFormat.Heatmap)) b.withTarget(t);
  return b;
}

export interface StateTimelineOptions extends PanelOptions {
  thresholds?: readonly Threshold[];
  mappings?: ValueMapping[];
}

/** Discrete states over time, one row per series (signals, alert states). */
export function stateTimeline(o: StateTimelineOptions): cog.Builder<Panel> {
  const b = common(new StateTimelinePanelBuilder(), o)
    .showValue(VisibilityMode.Never)
    .mergeValues(true)
    .rowHeight(0.8)
    .fillOpacity(80)
    .legend(new VizLegendOptionsBuilder().showLegend(false));
  for (const t of targets(o.queries)) b.withTarget(t);
  b.thresholds(thresholds(o.thresholds ?? steps('green', [1, 'red'])));
  b.colorScheme(new FieldColorBuilder().mode(FieldColorModeId.Thresholds));
  if (o.mappings) b.mappings(o.mappings);
  return b;
}

/** A table of the instant result of its queries, one row per series with its labels. */
export function table(o: PanelOptions): cog.Builder<Panel> {
  const b = common(new TablePanelBuilder(), o);
  for (const t of targets(o.queries, PromQueryFormat.Table, true)) b.withTarget(t);
  return b;
}

/** Maps numbers to text (and a colour), e.g. `valueText({ 0: ['ok', 'green'], 1: ['active', 'red'] })`. */
export function valueText(map: Record<number, readonly [string, string]>): ValueMapping[] {
  const options: Record<string, { text: string; color: string; index: number }> = {};
  Object.entries(map).forEach(([value, [text, color]], index) => {
    options[value] = { text, color, index };
  });
  return [{ type: MappingType.ValueToText, options }];
}
