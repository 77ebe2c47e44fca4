/** Why the sink left something out. */
export type SinkDropReason =
  /** A `grpo.step.batch` record breaking the contract (missing step, wrong lengths, ...). */
  | 'bad_batch'
  /** The analyses of a batch threw. */
  | 'analysis_failed'
  /** A file writer refused or failed the write (queue full, fs error, closed). */
  | 'write_failed'
  /** Metric points TensorBoard has no place for (summaries, points without a value or name). */
  | 'unsupported_metric'
  /** Spans that cannot be read (malformed protobuf, missing or malformed trace/span ids or times). */
  | 'bad_span'
  /** A whole request refused (bad body, too large, unauthorized, too many at once). */
  | 'rejected_request';

/** What the sink has received, written and left out since it started. */
export interface SinkStatsSnapshot {
  requests: number;
  logRecords: number;
  metricPoints: number;
  spans: number;
  /** `grpo.step.batch` records analysed. */
  batches: number;
  /** Records and points the sink produced itself, come back through the collector and left out. */
  ownRecords: number;
  /** Points of the analyses left out because the run's trainer records their metric itself. */
  leftToTrainer: number;
  runs: number;
  dropped: Record<SinkDropReason, number>;
}

/** The sink's counters (one instance per sink). */
export class SinkStats {
  requests = 0;
  logRecords = 0;
  metricPoints = 0;
  spans = 0;
  batches = 0;
  ownRecords = 0;
  leftToTrainer = 0;
  runs = 0;
  private readonly dropped: Record<SinkDropReason, number> = {
    bad_batch: 0,
    analysis_failed: 0,
    write_failed: 0,
    unsupported_metric: 0,
    bad_span: 0,
    rejected_request: 0,
  };

  drop(reason: SinkDropReason, n = 1): void {
    this.dropped[reason] += n;
  }

  snapshot(): SinkStatsSnapshot {
    return {
      requests: this.requests,
      logRecords: this.logRecords,
      metricPoints: this.metricPoints,
      spans: this.spans,
      batches: this.batches,
      ownRecords: this.ownRecords,
      leftToTrainer: this.leftToTrainer,
      runs: this.runs,
      dropped: { ...this.dropped },
    };
  }
}
