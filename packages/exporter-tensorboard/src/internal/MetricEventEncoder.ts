import { ProtobufWriter } from '@grpo-otel/protobuf';
import type { Attributes } from '@opentelemetry/api';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { HistogramProto } from '../Event.js';
import { encodeHisto, encodeValue } from '../encodeEvent.js';
import type { OmitAttribute } from '../metricTag.js';
import { type ScalarForm, scalarSummary } from '../summaries.js';
import { EVENT_STEP, EVENT_SUMMARY, EVENT_WALL_TIME, SUMMARY_VALUE, VALUE_TAG } from './fields.js';
import { forEachMetricPoint, type MetricPointVisitor } from './forEachMetricPoint.js';
import { MetricTags, type TagSlot } from './MetricTags.js';

/** One tag, and its `Summary.Value` bytes that do not depend on the value. */
interface EncodedTag extends TagSlot {
  /** A scalar value's bytes up to its float (the float is the value's last 4 bytes in both forms). */
  scalarPrefix: Uint8Array | undefined;
  /** The tag field (`tag: "..."`), for histograms. */
  tagField: Uint8Array | undefined;
}

/**
 * Encodes a metric collection as one TensorBoard `Event`, the bytes being exactly those of
 * `encodeEvent({ wallTime, step, summary: metricsToSummaries(metrics, options) })` (the same walk of
 * the collection and the same tags), but without building the summaries: each series' tag and its
 * encoded `Summary.Value` prefix are computed once and kept (see `MetricTags`). A producer that
 * hands the same attributes object for a series at every collection (the SDK's step sink does)
 * pays for tags once.
 */
export class MetricEventEncoder {
  private readonly w = new ProtobufWriter(8192);
  private readonly tags: MetricTags<EncodedTag>;
  private readonly visitor: MetricPointVisitor;
  private values = 0;

  constructor(omit: OmitAttribute, form: ScalarForm) {
    this.tags = new MetricTags(omit, (tag) => ({
      tag,
      epoch: 0,
      scalarPrefix: undefined,
      tagField: undefined,
    }));
    this.visitor = {
      scalar: (name: string, attributes: Attributes, value: number) => {
        const slot = this.tags.take(name, attributes);
        slot.scalarPrefix ??= scalarPrefix(slot.tag, form);
        this.w.raw(slot.scalarPrefix);
        this.w.float(value);
        this.values++;
      },
      histogram: (name: string, attributes: Attributes, h: HistogramProto) => {
        const slot = this.tags.take(name, attributes);
        const w = this.w;
        const m = w.fork(SUMMARY_VALUE);
        slot.tagField ??= tagField(slot.tag);
        w.raw(slot.tagField);
        encodeHisto(w, h);
        w.ldelim(m);
        this.values++;
      },
    };
  }

  /** The serialized event, or undefined when the collection holds no value. A view: valid until the next call. */
  encode(metrics: ResourceMetrics, step: number, wallTime: number): Uint8Array | undefined {
    const w = this.w;
    w.reset();
    w.doubleField(EVENT_WALL_TIME, wallTime);
    if (step !== 0) w.varintField(EVENT_STEP, step);
    const summary = w.fork(EVENT_SUMMARY);
    this.values = 0;
    this.tags.startCollection();
    forEachMetricPoint(metrics, this.visitor);
    if (this.values === 0) return undefined;
    w.ldelim(summary);
    return w.view();
  }
}

function scalarPrefix(tag: string, form: ScalarForm): Uint8Array {
  const w = new ProtobufWriter(64 + tag.length * 3);
  encodeValue(w, scalarSummary(tag, 0, form));
  const bytes = w.finish();
  return bytes.subarray(0, bytes.length - 4);
}

function tagField(tag: string): Uint8Array {
  const w = new ProtobufWriter(16 + tag.length * 3);
  w.stringField(VALUE_TAG, tag);
  return w.finish();
}
