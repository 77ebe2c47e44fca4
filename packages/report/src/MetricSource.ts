import { metricTag } from '@grpo-otel/exporter-tensorboard';
import { lookupKnownName, metricDefinition } from '@grpo-otel/semconv';
import type { HistogramPoint, RunContents, ScalarPoint } from './RunFolder.js';

/** A scalar series of one metric in one run. */
export interface MetricSeries {
  run: string;
  tag: string;
  /** The tag's attribute components after the metric name (`grpo.kl/k3` → `['k3']`). */
  attrs: string[];
  points: { step: number; value: number }[];
}

export interface HistogramSeries {
  run: string;
  tag: string;
  attrs: string[];
  points: HistogramPoint[];
}

/**
 * The run folder's series by semconv metric name. Tags written by other trainers under names
 * semconv maps (TRL `train/rewards/<f>/mean`, `train/kl`, verl `actor/entropy`, ...) are read as
 * the semconv metric too, scaled as semconv says, unless the run has the semconv tag itself.
 */
export class MetricSource {
  private readonly scalarIndex = new Map<string, MetricSeries[]>();
  private readonly histogramIndex = new Map<string, HistogramSeries[]>();
  readonly runCount: number;

  constructor(runs: readonly RunContents[]) {
    this.runCount = runs.length;
    for (const r of runs) {
      const own = new Set<string>();
      for (const [tag, points] of r.scalars) {
        const name = tag.split('/')[0]!;
        if (!metricDefinition(name)) continue;
        own.add(tag);
        this.addScalar(name, { run: r.run, tag, attrs: attrsOf(tag), points: plain(points) });
      }
      for (const [tag, points] of r.scalars) {
        if (own.has(tag) || metricDefinition(tag.split('/')[0]!)) continue;
        const known = lookupKnownName(tag);
        if (!known || known.cumulative) continue;
        const ours = metricTag(known.metric.name, known.attributes);
        if (own.has(ours)) continue;
        own.add(ours);
        this.addScalar(known.metric.name, {
          run: r.run,
          tag,
          attrs: attrsOf(ours),
          points: points.map((p) => ({ step: p.step, value: p.value * known.scale })),
        });
      }
      for (const [tag, points] of r.histograms) {
        const name = tag.split('/')[0]!;
        if (!metricDefinition(name)) continue;
        const list = this.histogramIndex.get(name) ?? [];
        list.push({ run: r.run, tag, attrs: attrsOf(tag), points });
        this.histogramIndex.set(name, list);
      }
    }
  }

  /** Scalar series of a metric over all runs (run order, then tag order). */
  scalars(metric: string): MetricSeries[] {
    return this.scalarIndex.get(metric) ?? [];
  }

  histograms(metric: string): HistogramSeries[] {
    return this.histogramIndex.get(metric) ?? [];
  }

  /** `label`, prefixed with the run when the folder holds more than one. */
  label(run: string, label: string): string {
    return this.runCount > 1 ? `${run}: ${label}` : label;
  }

  private addScalar(name: string, s: MetricSeries): void {
    const list = this.scalarIndex.get(name) ?? [];
    list.push(s);
    this.scalarIndex.set(name, list);
  }
}

function attrsOf(tag: string): string[] {
  return tag.split('/').slice(1);
}

function plain(points: readonly ScalarPoint[]): { step: number; value: number }[] {
  return points.map((p) => ({ step: p.step, value: p.value }));
}
