import type { MetricDefinition } from '@grpo-otel/semconv';
import { metricDefinition } from '@grpo-otel/semconv';
import type { Attributes } from '@opentelemetry/api';
import type { EncodedGauges, GaugeValue, SeriesDefinition } from './EncodedGauges.js';

/** A numbered series as the training thread uses it: its definition and attributes, resolved once. */
interface Entry extends SeriesDefinition {
  def?: MetricDefinition | null;
  /** The attributes to record with (e.g. an interned frozen object); set on first use. */
  recordAttributes?: Attributes;
}

/**
 * The training thread's side of {@link GaugeEncoder}: the series the worker numbered, in order. Every
 * result's new series must be added (`receive`), in the order the worker sent them, even for results
 * that are otherwise ignored.
 */
export class GaugeTable {
  private readonly entries: Entry[] = [];

  get size(): number {
    return this.entries.length;
  }

  receive(gauges: EncodedGauges): void {
    for (const s of gauges.newSeries) this.entries.push({ ...s });
  }

  /**
   * Calls `record` with each gauge of `gauges` (metric definition, value, attributes; gauges of
   * metrics semconv does not know are skipped). `attributesFor` turns a series' key and attributes
   * into the object recorded with (once per series).
   */
  forEach(
    gauges: EncodedGauges,
    attributesFor: (key: string, attributes: Attributes) => Attributes,
    record: (def: MetricDefinition, value: number, attributes: Attributes) => void,
  ): number {
    let unknown = 0;
    const { series, values } = gauges;
    for (let i = 0; i < series.length; i++) {
      const e = this.entries[series[i]!];
      if (e === undefined) {
        unknown++;
        continue;
      }
      if (e.def === undefined) {
        e.def = metricDefinition(e.metric) ?? null;
        e.recordAttributes = attributesFor(e.key, e.attributes);
      }
      if (e.def) record(e.def, values[i]!, e.recordAttributes!);
    }
    for (const g of gauges.extra) recordExtra(g, attributesFor, record);
    return unknown;
  }
}

function recordExtra(
  g: GaugeValue,
  attributesFor: (key: string, attributes: Attributes) => Attributes,
  record: (def: MetricDefinition, value: number, attributes: Attributes) => void,
): void {
  const def = metricDefinition(g.metric);
  if (!def) return;
  record(
    def,
    g.value,
    g.key !== undefined && g.attributes ? attributesFor(g.key, g.attributes) : (g.attributes ?? {}),
  );
}
