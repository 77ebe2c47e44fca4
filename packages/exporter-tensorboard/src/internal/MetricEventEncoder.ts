import type { Attributes } from '@opentelemetry/api';
import { DataPointType, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { HistogramProto } from '../Event.js';
import { encodeHisto, encodeValue } from '../encodeEvent.js';
import { histogramFromExplicitBuckets } from '../histogramFromExplicitBuckets.js';
import { histogramFromExponentialBuckets } from '../histogramFromExponentialBuckets.js';
import { metricTag, type OmitAttribute } from '../metricTag.js';
import { type ScalarForm, scalarSummary } from '../summaries.js';
import { EVENT_STEP, EVENT_SUMMARY, EVENT_WALL_TIME, SUMMARY_VALUE, VALUE_TAG } from './fields.js';
import { ProtoWriter } from './ProtoWriter.js';

/** One tag, and its `Summary.Value` bytes that do not depend on the value. */
interface TagSlot {
  readonly tag: string;
  /** The last encoding that used the tag (a tag is used once per event). */
  epoch: number;
  /** A scalar value's bytes up to its float (the float is the value's last 4 bytes in both forms). */
  scalarPrefix: Uint8Array | undefined;
  /** The tag field (`tag: "..."`), for histograms. */
  tagField: Uint8Array | undefined;
}

const neverOmit: OmitAttribute = () => false;

/**
 * Encodes a metric collection as one TensorBoard `Event`, the bytes being exactly those of
 * `encodeEvent({ wallTime, step, summary: metricsToSummaries(metrics, options) })`, but without
 * building the summaries: each point's tag (`metricTag`, with the same resolution of two points
 * mapping to one tag) and its encoded `Summary.Value` prefix are computed once per series and kept,
 * keyed by the point's attributes object (weakly) and metric name. A producer that hands the same
 * attributes object for a series at every collection (the SDK's step sink does) pays for tags once.
 * Tags are a pure function of the attributes' contents: an attributes object must not be mutated
 * after it was exported (OpenTelemetry's data points never are).
 */
export class MetricEventEncoder {
  private readonly w = new ProtoWriter(8192);
  private readonly slotsByAttributes = new WeakMap<Attributes, Map<string, TagSlot>>();
  private readonly slotsByTag = new Map<string, TagSlot>();
  private epoch = 0;

  constructor(
    private readonly omit: OmitAttribute,
    private readonly form: ScalarForm,
  ) {}

  /** The serialized event, or undefined when the collection holds no value. A view: valid until the next call. */
  encode(metrics: ResourceMetrics, step: number, wallTime: number): Uint8Array | undefined {
    const epoch = ++this.epoch;
    const w = this.w;
    w.reset();
    w.doubleField(EVENT_WALL_TIME, wallTime);
    if (step !== 0) w.varintField(EVENT_STEP, step);
    const summary = w.fork(EVENT_SUMMARY);
    let values = 0;
    for (const scope of metrics.scopeMetrics) {
      for (const metric of scope.metrics) {
        const name = metric.descriptor.name;
        switch (metric.dataPointType) {
          case DataPointType.GAUGE:
          case DataPointType.SUM:
            for (const p of metric.dataPoints) {
              const slot = this.take(name, p.attributes, epoch);
              slot.scalarPrefix ??= this.scalarPrefix(slot.tag);
              w.raw(slot.scalarPrefix);
              w.float(p.value);
              values++;
            }
            break;
          case DataPointType.HISTOGRAM:
            for (const p of metric.dataPoints) {
              const h = histogramFromExplicitBuckets(p.value);
              if (!h) continue;
              this.histogram(this.take(name, p.attributes, epoch), h);
              values++;
            }
            break;
          case DataPointType.EXPONENTIAL_HISTOGRAM:
            for (const p of metric.dataPoints) {
              const h = histogramFromExponentialBuckets(p.value);
              if (!h) continue;
              this.histogram(this.take(name, p.attributes, epoch), h);
              values++;
            }
            break;
        }
      }
    }
    if (values === 0) return undefined;
    w.ldelim(summary);
    return w.view();
  }

  private histogram(slot: TagSlot, h: HistogramProto): void {
    const w = this.w;
    const m = w.fork(SUMMARY_VALUE);
    slot.tagField ??= tagField(slot.tag);
    w.raw(slot.tagField);
    encodeHisto(w, h);
    w.ldelim(m);
  }

  /**
   * The tag of a point, marked used by this event: its series' tag unless a point of this event
   * already took it; then the tag with no attribute omitted, then that tag with `/<n>` (n >= 2).
   */
  private take(name: string, attributes: Attributes, epoch: number): TagSlot {
    let byName = this.slotsByAttributes.get(attributes);
    if (byName === undefined) {
      byName = new Map();
      this.slotsByAttributes.set(attributes, byName);
    }
    let slot = byName.get(name);
    if (slot === undefined) {
      slot = this.slot(metricTag(name, attributes, this.omit));
      byName.set(name, slot);
    }
    if (slot.epoch === epoch) {
      const full = metricTag(name, attributes, neverOmit);
      slot = this.slot(full);
      for (let n = 2; slot.epoch === epoch; n++) slot = this.slot(`${full}/${n}`);
    }
    slot.epoch = epoch;
    return slot;
  }

  private slot(tag: string): TagSlot {
    let slot = this.slotsByTag.get(tag);
    if (slot === undefined) {
      slot = { tag, epoch: 0, scalarPrefix: undefined, tagField: undefined };
      this.slotsByTag.set(tag, slot);
    }
    return slot;
  }

  private scalarPrefix(tag: string): Uint8Array {
    const w = new ProtoWriter(64 + tag.length * 3);
    encodeValue(w, scalarSummary(tag, 0, this.form));
    const bytes = w.finish();
    return bytes.subarray(0, bytes.length - 4);
  }
}

function tagField(tag: string): Uint8Array {
  const w = new ProtoWriter(16 + tag.length * 3);
  w.stringField(VALUE_TAG, tag);
  return w.finish();
}
