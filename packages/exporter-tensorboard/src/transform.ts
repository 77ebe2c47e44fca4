// Pure transforms from OpenTelemetry data to TensorBoard summaries: no files, no clocks.

import { ATTR_GRPO_CHANNEL, ATTR_GRPO_STEP } from '@grpo-otel/semconv';
import type { HrTime } from '@opentelemetry/api';
import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { SummaryValue } from './Event.js';
import { forEachMetricPoint } from './internal/forEachMetricPoint.js';
import { MetricTags, type TagSlot } from './internal/MetricTags.js';
import { escapeMarkdown } from './markdown.js';
import { defaultOmitAttribute, type OmitAttribute, sanitizeTagComponent } from './metricTag.js';
import { histogramSummary, type ScalarForm, scalarSummary } from './summaries.js';

export interface MetricsToSummariesOptions {
  omitAttribute?: OmitAttribute;
  scalarForm?: ScalarForm;
}

/**
 * Every data point of a collection as a summary value: gauges and sums as scalars, explicit and
 * exponential histograms as histograms (empty ones are skipped), tagged by `metricTag`. When two
 * points map to one tag, the later one gets the tag with no attribute omitted, then a `/<n>` suffix.
 * Non-finite scalars are kept: TensorBoard draws NaN and ±Inf. (The metric exporter writes the same
 * event without building these summaries: internal/MetricEventEncoder.ts.)
 */
export function metricsToSummaries(
  metrics: ResourceMetrics,
  options: MetricsToSummariesOptions = {},
): SummaryValue[] {
  const form = options.scalarForm ?? 'simple_value';
  const tags = new MetricTags<TagSlot>(options.omitAttribute ?? defaultOmitAttribute, (tag) => ({
    tag,
    epoch: 0,
  }));
  tags.startCollection();
  const out: SummaryValue[] = [];
  forEachMetricPoint(metrics, {
    scalar: (name, attributes, value) =>
      out.push(scalarSummary(tags.take(name, attributes).tag, value, form)),
    histogram: (name, attributes, h) => out.push(histogramSummary(tags.take(name, attributes).tag, h)),
  });
  return out;
}

/** Tag prefix of log text summaries: `logs/<channel>`. */
export const LOG_TAG_PREFIX = 'logs';

/** The channel of a log record: its `grpo.channel` attribute, else its logger (scope) name. */
export function logChannel(record: ReadableLogRecord): string {
  const attr = record.attributes?.[ATTR_GRPO_CHANNEL];
  if (typeof attr === 'string' && attr !== '') return attr;
  return record.instrumentationScope?.name || 'root';
}

/** The text tag of a channel: `logs/<channel>` (the channel sanitized as one tag component). */
export function logTag(channel: string): string {
  return `${LOG_TAG_PREFIX}/${sanitizeTagComponent(channel)}`;
}

/** The step a log record belongs to: its `grpo.step` attribute when a non-negative integer. */
export function logRecordStep(record: ReadableLogRecord): number | undefined {
  const s = record.attributes?.[ATTR_GRPO_STEP];
  const n = typeof s === 'string' && s.trim() !== '' ? Number(s) : s;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

export interface RenderLogRecordOptions {
  /** Longest message (and attribute value) written, in characters; the rest is cut. Default 4000. */
  maxChars?: number;
}

const HIDDEN_ATTRIBUTES = new Set([ATTR_GRPO_STEP, ATTR_GRPO_CHANNEL, 'exception.stacktrace']);

/**
 * One log record as one markdown paragraph: `` `time` **LEVEL** message``, then its attributes
 * (`key: value`, except grpo.step and grpo.channel) on a second line. Everything is escaped with
 * `escapeMarkdown`, so a message cannot inject HTML or markdown structure.
 */
export function renderLogRecord(record: ReadableLogRecord, options: RenderLogRecordOptions = {}): string {
  const max = options.maxChars ?? 4000;
  const cut = (s: string): string => (s.length > max ? `${s.slice(0, max)}…` : s);
  const level =
    record.severityText || (record.severityNumber !== undefined ? `SEV${record.severityNumber}` : 'LOG');
  const time = isoTime(record.hrTime);
  let line = `\`${time}\` **${escapeMarkdown(level)}** ${escapeMarkdown(cut(anyToString(record.body)))}`;
  const attrs: string[] = [];
  for (const [k, v] of Object.entries(record.attributes ?? {})) {
    if (HIDDEN_ATTRIBUTES.has(k) || v === undefined) continue;
    attrs.push(`*${escapeMarkdown(k)}*: ${escapeMarkdown(cut(anyToString(v as AnyValue)))}`);
  }
  if (attrs.length > 0) line += `<br>${attrs.join(' · ')}`;
  return line;
}

function isoTime(t: HrTime | undefined): string {
  if (!t) return '-';
  const d = new Date(t[0] * 1000 + Math.floor(t[1] / 1e6));
  return Number.isNaN(d.getTime()) ? '-' : d.toISOString();
}

function anyToString(v: AnyValue): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  try {
    return JSON.stringify(v as AnyValueMap, (_k, x: unknown) =>
      x instanceof Uint8Array ? `<${x.length} bytes>` : x,
    );
  } catch {
    return String(v);
  }
}
