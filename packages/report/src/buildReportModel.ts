import { basename } from 'node:path';
import { METRICS, REWARD_FUNCTION_TOTAL } from '@grpo-otel/semconv';
import { CHART_SPECS, type ChartSpec, type SeriesDraft } from './chartSpecs.js';
import { type CompletionTableOptions, completionTables, evenlySpaced } from './completionTables.js';
import { MetricSource } from './MetricSource.js';
import type { Chart, ChartSeries, MissingChart, ReportModel, SummaryItem } from './ReportModel.js';
import type { RunFolder } from './RunFolder.js';
import { signalMarks } from './signalMarks.js';

export interface BuildReportOptions extends CompletionTableOptions {
  /** Page title (default: `GRPO training report: <run>`). */
  title?: string;
  /**
   * Most steps drawn per chart (default 2000): longer runs are thinned to evenly spaced steps,
   * keeping every step of sparse series (validation runs) and every plateau/collapse step.
   */
  maxPoints?: number;
  /** The time stamped on the report (default: now). */
  now?: Date;
}

/**
 * Everything the report shows, from what {@link readRunFolder} read: the charts of
 * {@link CHART_SPECS} that have data (the others listed as missing, with the metrics they need),
 * the plateau and collapse marks, the completions tables and headline figures. Pure: no I/O.
 */
export function buildReportModel(folder: RunFolder, options: BuildReportOptions = {}): ReportModel {
  const src = new MetricSource(folder.runs);
  const signals = signalMarks(folder.runs);
  const keepSteps = new Set(signals.map((s) => s.step));
  const charts: Chart[] = [];
  const missingCharts: MissingChart[] = [];
  for (const spec of CHART_SPECS) {
    const chart = alignChart(spec, spec.series(src), options.maxPoints ?? 2000, keepSteps);
    if (chart.points > 0) charts.push(chart);
    else missingCharts.push({ title: spec.title, metrics: spec.metrics });
  }
  const steps = charts.flatMap((c) => (c.steps.length ? [c.steps[0]!, c.steps[c.steps.length - 1]!] : []));
  const firstStep = steps.length ? Math.min(...steps) : undefined;
  const lastStep = steps.length ? Math.max(...steps) : undefined;
  const runs = folder.runs.map((r) => r.run);
  const title =
    options.title ??
    `GRPO training report: ${runs.map((r) => (r === '.' ? basename(folder.folder) : basename(r))).join(', ')}`;
  return {
    title,
    generatedAt: (options.now ?? new Date()).toISOString(),
    folder: folder.folder,
    runs,
    ...(firstStep !== undefined ? { firstStep } : {}),
    ...(lastStep !== undefined ? { lastStep } : {}),
    summary: summarize(src, signals.length, firstStep, lastStep),
    charts,
    missingCharts,
    signals,
    tables: completionTables(folder.runs, folder.csvTables, options),
    eventFiles: folder.eventFiles,
    csvFiles: folder.csvTables.flatMap((t) => t.files),
    warnings: folder.warnings,
  };
}

/** Aligns a chart's series on one ascending list of steps (null where a series has no value). */
function alignChart(
  spec: ChartSpec,
  drafts: SeriesDraft[],
  maxPoints: number,
  keepSteps: Set<number>,
): Chart {
  const clean = drafts
    .map((d) => ({
      ...d,
      points: d.points.filter((p) => Number.isFinite(p.value) && Number.isFinite(p.step)),
    }))
    .filter((d) => d.points.length > 0);
  const all = new Set<number>();
  for (const d of clean) for (const p of d.points) all.add(p.step);
  let steps = [...all].sort((a, b) => a - b);
  if (steps.length > maxPoints) {
    const keep = new Set(evenlySpaced(steps.length, maxPoints).map((i) => steps[i]!));
    for (const d of clean) if (d.points.length <= maxPoints / 4) for (const p of d.points) keep.add(p.step);
    for (const s of keepSteps) if (all.has(s)) keep.add(s);
    steps = steps.filter((s) => keep.has(s));
  }
  const colors = new Map<string, number>();
  const series: ChartSeries[] = clean.map((d) => {
    if (!colors.has(d.group)) colors.set(d.group, colors.size);
    const byStep = new Map(d.points.map((p) => [p.step, p.value]));
    return {
      label: d.label,
      values: steps.map((s) => byStep.get(s) ?? null),
      color: colors.get(d.group)!,
      style: d.style ?? 'line',
      ...(d.y2 ? { y2: true } : {}),
    };
  });
  const bands: [number, number][] = [];
  clean.forEach((d, i) => {
    if (d.bandTo === undefined) return;
    const upper = clean.findIndex((x) => x.label === d.bandTo);
    if (upper >= 0) {
      bands.push([upper, i]);
      series[i]!.color = series[upper]!.color;
    }
  });
  return {
    id: spec.id,
    title: spec.title,
    description: spec.description,
    yLabel: spec.yLabel,
    ...(spec.y2Label && series.some((s) => s.y2) ? { y2Label: spec.y2Label } : {}),
    ...(spec.unitRange ? { unitRange: true } : {}),
    steps,
    series,
    bands,
    points: series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0),
    sources: [...new Set(clean.map((d) => d.source))],
  };
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}

/** Mean of the first and of the last tenth (at least one point) of a series. */
function firstLast(points: { value: number }[]): [number, number] | undefined {
  const v = points.map((p) => p.value).filter(Number.isFinite);
  if (v.length === 0) return undefined;
  const k = Math.max(1, Math.floor(v.length / 10));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return [mean(v.slice(0, k)), mean(v.slice(-k))];
}

function summarize(src: MetricSource, signals: number, first?: number, last?: number): SummaryItem[] {
  const out: SummaryItem[] = [];
  if (first !== undefined && last !== undefined) out.push({ label: 'Steps', value: `${first} – ${last}` });
  const trend = (label: string, series: { points: { value: number }[] } | undefined, detail: string) => {
    const fl = series && firstLast(series.points);
    if (fl) out.push({ label, value: `${fmt(fl[0])} → ${fmt(fl[1])}`, detail });
  };
  const means = src.scalars(METRICS.rewardMean.name).filter((s) => s.attrs.length === 1);
  const total =
    means.find((s) => s.attrs[0] === REWARD_FUNCTION_TOTAL) ?? (means.length === 1 ? means[0] : undefined);
  trend(
    total?.attrs[0] === REWARD_FUNCTION_TOTAL ? 'Total reward' : `Reward (${total?.attrs[0] ?? ''})`,
    total,
    'mean over the first and the last tenth of the steps',
  );
  trend(
    'Training accuracy',
    src.scalars(METRICS.taskAccuracy.name).find((s) => s.attrs.length === 0),
    'mean over the first and the last tenth of the steps',
  );
  const val = src.scalars(METRICS.validationAccuracy.name)[0];
  if (val && val.points.length > 0) {
    const a = val.points[0]!;
    const b = val.points[val.points.length - 1]!;
    out.push({
      label: 'Validation accuracy',
      value: `${fmt(a.value)} → ${fmt(b.value)}`,
      detail: `step ${a.step} → step ${b.step}${val.attrs.length ? ` (${val.attrs.join('/')})` : ''}`,
    });
  }
  trend(
    'Entropy',
    src.scalars(METRICS.policyEntropy.name)[0],
    'nats; mean over the first and the last tenth of the steps',
  );
  out.push({ label: 'Plateaus and collapses', value: String(signals), detail: 'detector activations' });
  return out;
}
