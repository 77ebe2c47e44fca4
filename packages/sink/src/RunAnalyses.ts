import {
  type AnalysisResult,
  type AnalysisSettings,
  Analyzer,
  GaugeTable,
  type SignalEvent,
} from '@grpo-otel/sdk/otel';
import {
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_SIGNAL_KIND,
  ATTR_GRPO_SIGNAL_VALUE,
  ATTR_GRPO_STEP,
  EVENT_GRPO_SIGNAL_TRIGGERED,
  METRICS,
  type MetricDefinition,
  metricDefinition,
} from '@grpo-otel/semconv';
import { type Attributes, type HrTime, ValueType } from '@opentelemetry/api';
import { type AnyValueMap, SeverityNumber } from '@opentelemetry/api-logs';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { type StepBatch, stepBatchJobs } from './parseStepBatch.js';

/** Scope name of what the sink's analyses produce (metrics; log records use their channel's name). */
export const SINK_SCOPE_NAME = '@grpo-otel/sink';
/**
 * Scope attribute marking what the sink produced: sent back through the collector, it reaches the
 * sink again, which leaves it out (it wrote it already).
 */
export const SINK_ORIGIN_ATTRIBUTE = 'grpo.sink.analysis';

/** What one analysed step gives: metrics at the step and log records (summary lines, signals). */
export interface StepAnalysisOutput {
  step: number;
  metrics: ResourceMetrics;
  records: ReadableLogRecord[];
  /** The signals that fired at this step. */
  fired: SignalEvent[];
  /** Points left out because the trainer records their metric itself. */
  leftToTrainer: number;
}

const NONE: ReadonlySet<string> = new Set();

const SUMMARY_CHANNEL = 'metrics';

/**
 * The analyses of one run: an SDK `Analyzer` (the analysis worker's code: reward statistics, group
 * advantages, moving averages, correlations, lengths, format, correctness, entropy, KL, diversity,
 * plateau and collapse detectors) fed with each `grpo.step.batch`, its results turned into OTel
 * metric data (gauges and histograms under their semconv names, `grpo.signal.active` and the
 * cumulative `grpo.signal.activations`) and log records (a summary line on the `metrics` channel, and
 * a `grpo.signal.triggered` event for each signal that fired), as the SDK records them.
 */
export class RunAnalyses {
  private readonly analyzer: Analyzer;
  private readonly table = new GaugeTable();
  private readonly activations = new Map<string, { attributes: Attributes; count: number }>();
  private readonly startTime: HrTime;
  /** Completion tokens of every batch so far, for the efficiency ratios (`grpo.efficiency.*`). */
  private tokens = 0;

  constructor(
    settings: AnalysisSettings,
    private readonly resource: Resource,
  ) {
    this.analyzer = new Analyzer(settings);
    this.startTime = hrNow();
  }

  /**
   * Analyses one step's batch. The metrics the trainer records itself (`trainerMetrics`, and the
   * batch's `grpo.batch.reported_metrics`) are left out of the output: each series has one source, the
   * trainer's (its value, its weights), and TensorBoard and Prometheus get it once.
   */
  analyze(batch: StepBatch, trainerMetrics: ReadonlySet<string> = NONE): StepAnalysisOutput {
    const reported = batch.reportedMetrics?.length ? new Set(batch.reportedMetrics) : NONE;
    const theTrainers = (name: string) => trainerMetrics.has(name) || reported.has(name);
    let leftToTrainer = 0;
    const jobs = stepBatchJobs(batch);
    const lengths = batch.lengths ?? batch.tokenCounts;
    if (lengths) {
      for (const n of lengths) this.tokens += n;
      jobs.rewards.tokens = this.tokens;
    }
    const results: AnalysisResult[] = [this.analyzer.analyze(jobs.rewards)];
    if (jobs.generations) results.push(this.analyzer.analyze(jobs.generations));
    const now = hrNow();
    const gauges = new Map<
      string,
      { def: MetricDefinition; points: { attributes: Attributes; value: number }[] }
    >();
    const addGauge = (def: MetricDefinition, value: number, attributes: Attributes) => {
      if (theTrainers(def.name)) {
        leftToTrainer++;
        return;
      }
      let g = gauges.get(def.name);
      if (!g) {
        g = { def, points: [] };
        gauges.set(def.name, g);
      }
      g.points.push({ attributes, value });
    };
    const metrics: MetricData[] = [];
    const records: ReadableLogRecord[] = [];
    const fired: SignalEvent[] = [];
    const scope = { name: SUMMARY_CHANNEL, attributes: { [SINK_ORIGIN_ATTRIBUTE]: true } };
    const record = (
      severityNumber: SeverityNumber,
      body: string,
      attributes: AnyValueMap,
      eventName?: string,
    ) =>
      records.push({
        hrTime: now,
        hrTimeObserved: now,
        resource: this.resource,
        instrumentationScope: scope,
        severityNumber,
        severityText: severityNumber >= SeverityNumber.WARN ? 'WARNING' : 'INFO',
        body,
        attributes,
        droppedAttributesCount: 0,
        ...(eventName ? { eventName } : {}),
      });
    const histograms: MetricData[] = [];
    for (const r of results) {
      this.table.receive(r.gauges);
      this.table.forEach(
        r.gauges,
        (_key, attributes) => attributes,
        (def, value, attributes) => addGauge(def, value, attributes),
      );
      for (const h of r.histograms) {
        if (theTrainers(h.metric)) {
          leftToTrainer++;
          continue;
        }
        histograms.push({
          descriptor: descriptor(h.metric),
          aggregationTemporality: AggregationTemporality.DELTA,
          dataPointType: DataPointType.HISTOGRAM,
          dataPoints: [
            {
              startTime: now,
              endTime: now,
              attributes: h.attributes ?? {},
              value: {
                buckets: { boundaries: h.boundaries, counts: h.counts },
                count: h.count,
                sum: h.sum,
                ...(h.count > 0 ? { min: h.min, max: h.max } : {}),
              },
            },
          ],
        });
      }
      if (r.summary !== '')
        record(SeverityNumber.INFO, r.summary, { [ATTR_GRPO_STEP]: r.step, ...r.summaryAttributes });
      for (const s of r.signals) {
        const attrs: Attributes = { [ATTR_GRPO_SIGNAL_KIND]: s.kind };
        if (s.kind === 'reward_plateau') attrs[ATTR_GRPO_REWARD_FUNCTION] = s.subject;
        addGauge(METRICS.signalActive, s.active ? 1 : 0, attrs);
        const key = `${s.kind}/${s.subject}`;
        let a = this.activations.get(key);
        if (!a) {
          a = { attributes: attrs, count: 0 };
          this.activations.set(key, a);
        }
        if (!s.fired) continue;
        a.count++;
        const step = s.step ?? r.step;
        fired.push({ ...s, step });
        const level = s.kind === 'reward_plateau' && !s.objective ? SeverityNumber.INFO : SeverityNumber.WARN;
        record(
          level,
          `${s.kind.replace('_', ' ')} at step ${step}: ${s.detail}`,
          { [ATTR_GRPO_STEP]: step, ...attrs, [ATTR_GRPO_SIGNAL_VALUE]: s.value } as AnyValueMap,
          EVENT_GRPO_SIGNAL_TRIGGERED,
        );
      }
    }
    for (const { def, points } of gauges.values()) {
      metrics.push({
        descriptor: descriptor(def.name),
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.GAUGE,
        dataPoints: points.map((p) => ({
          startTime: now,
          endTime: now,
          attributes: p.attributes,
          value: p.value,
        })),
      });
    }
    metrics.push(...histograms);
    if (this.activations.size > 0) {
      metrics.push({
        descriptor: descriptor(METRICS.signalActivations.name),
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        dataPoints: [...this.activations.values()].map((a) => ({
          startTime: this.startTime,
          endTime: now,
          attributes: a.attributes,
          value: a.count,
        })),
      });
    }
    return {
      step: batch.step,
      metrics: {
        resource: this.resource,
        scopeMetrics: [
          {
            scope: { name: SINK_SCOPE_NAME, attributes: { [SINK_ORIGIN_ATTRIBUTE]: true } } as never,
            metrics,
          },
        ],
      },
      records,
      fired,
      leftToTrainer,
    };
  }
}

const descriptors = new Map<string, MetricData['descriptor']>();

/** The OTel descriptor of a semconv metric (name, description, unit). */
function descriptor(name: string): MetricData['descriptor'] {
  let d = descriptors.get(name);
  if (!d) {
    const def = metricDefinition(name);
    d = {
      name,
      description: def?.description ?? '',
      unit: def?.unit ?? '',
      valueType: def?.valueType === 'int' ? ValueType.INT : ValueType.DOUBLE,
    };
    descriptors.set(name, d);
  }
  return d;
}

function hrNow(): HrTime {
  const ms = Date.now();
  return [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];
}
