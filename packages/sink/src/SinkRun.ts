import { join } from 'node:path';
import { CsvLogRecordExporter } from '@grpo-otel/exporter-csv';
import {
  logChannel,
  logRecordStep,
  TensorBoardLogRecordExporter,
  TensorBoardMetricExporter,
  TensorBoardRun,
} from '@grpo-otel/exporter-tensorboard';
import type { AnalysisSettings } from '@grpo-otel/sdk/otel';
import { RotatingFileLogRecordExporter } from '@grpo-otel/sdk/otel';
import {
  ATTR_GRPO_WORLD_SIZE,
  EVENT_GRPO_MODEL_OUTPUT,
  EVENT_GRPO_STEP_BATCH,
  EVENT_GRPO_VALIDATION_SAMPLE,
} from '@grpo-otel/semconv';
import { diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { AnalysisForwarder } from './AnalysisForwarder.js';
import { mergeStepBatches } from './mergeStepBatches.js';
import { parseStepBatch, type StepBatch } from './parseStepBatch.js';
import { RunAnalyses, type StepAnalysisOutput } from './RunAnalyses.js';
import { safeRunName } from './runIdentity.js';
import type { SinkStats } from './SinkStats.js';
import { splitMetricsByStep } from './splitMetricsByStep.js';
import { TraceFile } from './TraceFile.js';

export interface SinkRunOptions {
  /** The sink's output folder. */
  outDir: string;
  /** The run (a relative path: `<run>` or `<run>/rank-<n>`). */
  run: string;
  /** The resource of the run's first data: what its analyses are sent back with. */
  resource: Resource;
  stats: SinkStats;
  /** Settings of the analyses; undefined turns them off. */
  analysis?: AnalysisSettings;
  /** Columns of the model-outputs CSV (the SDK's default config's). */
  csvColumns: readonly string[];
  /** Channels whose records also become TensorBoard text (`logs/<channel>`). */
  textChannels: ReadonlySet<string>;
  /** Log files per run at most; records of further channels go to `other.log`. */
  maxChannels: number;
  forwarder?: AnalysisForwarder;
  /**
   * Ranks share this run: the batches of one step from `grpo.world_size` ranks are analysed as one.
   * False when the sink splits runs by rank.
   */
  aggregateRanks: boolean;
  /** Bytes of span lines queued for the trace file at most (TraceFile's default otherwise). */
  maxQueuedSpanBytes?: number;
}

/** Metric names of a run's own points remembered at most (the analyses leave them out). */
const MAX_TRAINER_METRICS = 4096;
/** Steps whose batches may wait for another rank's at once; beyond, the oldest is analysed as it is. */
const MAX_PENDING_STEPS = 16;
/** How long a step's batches wait for the other ranks' after the last batch arrived. */
const PENDING_MS = 1000;

const OTHER_CHANNEL = 'other';

function exportTo(e: LogRecordExporter, records: ReadableLogRecord[]): Promise<ExportResult> {
  return new Promise<ExportResult>((resolve) => {
    try {
      e.export(records, resolve);
    } catch (err) {
      resolve({ code: ExportResultCode.FAILED, error: err as Error });
    }
  });
}

/**
 * What the sink writes for one run, with the SDK's own writers: TensorBoard event files
 * (`<out>/tensorboard/<run>`: metric points at the step they carry, the analyses, text of the
 * training/rewards/metrics channels), the model-outputs CSV (`<out>/<run>/model_outputs.csv`), a
 * rotating log file per channel (`<out>/<run>/logs/<channel>.log`, the seed's `standard` lines) and the
 * spans, one OTLP/JSON line each (`<out>/<run>/traces.jsonl`, as the SDK's `traces` handler writes them).
 * Writers are opened on first use; `close()` flushes and closes them all (idempotent).
 */
export class SinkRun {
  readonly name: string;
  /** The highest step the run's data named so far: the step of points and records that name none. */
  lastStep = 0;
  lastUsed = Date.now();
  private readonly tb: TensorBoardRun;
  private readonly tbMetrics: TensorBoardMetricExporter;
  private readonly tbText: TensorBoardLogRecordExporter;
  private csv: CsvLogRecordExporter | undefined;
  private readonly files = new Map<string, RotatingFileLogRecordExporter>();
  private traces: TraceFile | undefined;
  private analyses: RunAnalyses | undefined;
  /**
   * Metrics the run's trainer records itself (names of the points it sent): its series, which the
   * analyses leave out so that TensorBoard and Prometheus get each once.
   */
  private readonly trainerMetrics = new Set<string>();
  /** Batches of steps still waiting for another rank's (ranks aggregated), by step. */
  private readonly pending = new Map<number, StepBatch[]>();
  private pendingTimer: NodeJS.Timeout | undefined;
  private closePromise: Promise<void> | undefined;

  constructor(private readonly options: SinkRunOptions) {
    this.name = options.run;
    this.tb = new TensorBoardRun({ logDir: join(options.outDir, 'tensorboard'), runName: options.run });
    this.tbMetrics = new TensorBoardMetricExporter({ run: this.tb, getStep: () => this.lastStep });
    this.tbText = new TensorBoardLogRecordExporter({ run: this.tb, getStep: () => this.lastStep });
  }

  get closed(): boolean {
    return this.closePromise !== undefined;
  }

  /** Writes a request's log records of this run; analyses its `grpo.step.batch` records. */
  async writeLogs(records: ReadableLogRecord[]): Promise<void> {
    this.lastUsed = Date.now();
    const lines: ReadableLogRecord[] = [];
    const csvRows: ReadableLogRecord[] = [];
    const ready: StepBatch[][] = [];
    for (const r of records) {
      const step = logRecordStep(r);
      if (step !== undefined && step > this.lastStep) this.lastStep = step;
      if (r.eventName === EVENT_GRPO_STEP_BATCH) {
        ready.push(...this.acceptBatch(r));
        continue;
      }
      lines.push(r);
      if (
        r.eventName === EVENT_GRPO_MODEL_OUTPUT ||
        r.eventName === EVENT_GRPO_VALIDATION_SAMPLE ||
        logChannel(r) === 'model_outputs'
      )
        csvRows.push(r);
    }
    await Promise.all([this.writeAnalyses(ready), this.writeRecords(lines, csvRows)]);
  }

  /** Analyses groups of one step's batches (one per rank) in step order and writes what they give. */
  private async writeAnalyses(groups: StepBatch[][]): Promise<void> {
    if (groups.length === 0) return;
    groups.sort((a, b) => a[0]!.step - b[0]!.step);
    const waits: Promise<void>[] = [];
    const records: ReadableLogRecord[] = [];
    for (const group of groups) {
      const o = this.analyse(group);
      if (!o) continue;
      records.push(...o.records);
      waits.push(this.exportMetrics(o.step, o.metrics));
      this.options.forwarder?.sendMetrics(o.metrics);
      this.options.forwarder?.sendLogs(o.records);
    }
    waits.push(this.writeRecords(records, []));
    await Promise.all(waits);
  }

  /** Log lines to their channel's file (and TensorBoard text), model outputs to the CSV. */
  private async writeRecords(lines: ReadableLogRecord[], csvRows: ReadableLogRecord[]): Promise<void> {
    const waits: Promise<void>[] = [];
    if (csvRows.length > 0) waits.push(this.toFile(this.csvExporter(), csvRows));
    const byChannel = new Map<string, ReadableLogRecord[]>();
    const text: ReadableLogRecord[] = [];
    for (const r of lines) {
      const channel = logChannel(r);
      if (this.options.textChannels.has(channel)) text.push(r);
      let list = byChannel.get(channel);
      if (!list) {
        list = [];
        byChannel.set(channel, list);
      }
      list.push(r);
    }
    for (const [channel, list] of byChannel) waits.push(this.toFile(this.channelFile(channel), list));
    if (text.length > 0) waits.push(this.toFile(this.tbText, text));
    await Promise.all(waits);
  }

  /**
   * Takes one `grpo.step.batch` record: the groups of batches ready for analysis. Alone (one rank, or
   * ranks split), a batch is ready at once; when ranks share the run and the resource says
   * `grpo.world_size` > 1, a step's batches wait until every rank's has come (then they are analysed
   * as one batch), at most 1 s after the last batch, and at most MAX_PENDING_STEPS steps.
   */
  private acceptBatch(r: ReadableLogRecord): StepBatch[][] {
    let batch: StepBatch;
    try {
      batch = parseStepBatch(r.attributes);
    } catch (err) {
      this.options.stats.drop('bad_batch');
      diag.warn(
        `grpo-otel sink: run ${this.name}: a grpo.step.batch record was left out: ${(err as Error).message}`,
      );
      return [];
    }
    if (batch.step > this.lastStep) this.lastStep = batch.step;
    if (!this.options.analysis) return [];
    const ws = r.resource.attributes[ATTR_GRPO_WORLD_SIZE];
    const worldSize = typeof ws === 'number' ? ws : typeof ws === 'string' ? Number(ws) : 1;
    if (!this.options.aggregateRanks || !(worldSize > 1)) return [[batch]];
    let list = this.pending.get(batch.step);
    if (!list) {
      list = [];
      this.pending.set(batch.step, list);
    }
    list.push(batch);
    const ready: StepBatch[][] = [];
    if (list.length >= worldSize) {
      this.pending.delete(batch.step);
      ready.push(list);
    }
    while (this.pending.size > MAX_PENDING_STEPS) {
      const oldest = Math.min(...this.pending.keys());
      ready.push(this.pending.get(oldest)!);
      this.pending.delete(oldest);
    }
    if (this.pending.size > 0) {
      clearTimeout(this.pendingTimer);
      this.pendingTimer = setTimeout(() => void this.flushPending(), PENDING_MS);
      this.pendingTimer.unref();
    }
    return ready;
  }

  /** Analyses the steps still waiting for a rank's batch. */
  private flushPending(): Promise<void> {
    clearTimeout(this.pendingTimer);
    this.pendingTimer = undefined;
    const groups = [...this.pending.values()];
    this.pending.clear();
    return this.writeAnalyses(groups);
  }

  /** Writes a request's metric points of this run to TensorBoard, each at the step it names. */
  async writeMetrics(rm: ResourceMetrics): Promise<void> {
    this.lastUsed = Date.now();
    for (const sm of rm.scopeMetrics)
      for (const m of sm.metrics)
        if (this.trainerMetrics.size < MAX_TRAINER_METRICS) this.trainerMetrics.add(m.descriptor.name);
    const byStep = splitMetricsByStep(rm, this.lastStep);
    const waits: Promise<void>[] = [];
    for (const [step, metrics] of byStep) {
      if (step > this.lastStep) this.lastStep = step;
      waits.push(this.exportMetrics(step, metrics));
    }
    await Promise.all(waits);
  }

  /**
   * Appends a request's spans of this run (OTLP/JSON lines, see toSpanLines) to its trace file; the
   * lines lost (queue full, write failed, run closed) are counted as `write_failed`.
   */
  async writeSpans(lines: readonly string[]): Promise<void> {
    this.lastUsed = Date.now();
    if (lines.length === 0) return;
    if (this.closed) {
      this.options.stats.drop('write_failed', lines.length);
      return;
    }
    this.traces ??= new TraceFile({
      filename: join(this.options.outDir, this.name, 'traces.jsonl'),
      ...(this.options.maxQueuedSpanBytes !== undefined
        ? { maxQueuedBytes: this.options.maxQueuedSpanBytes }
        : {}),
    });
    const lost = await this.traces.write(lines);
    if (lost > 0) this.options.stats.drop('write_failed', lost);
  }

  /** Resolves when everything received so far is written and synced (steps waiting for a rank analysed). */
  async flush(): Promise<void> {
    await this.flushPending();
    const all: Promise<void>[] = [this.tbText.forceFlush(), this.tbMetrics.forceFlush()];
    if (this.csv) all.push(this.csv.forceFlush());
    if (this.traces) all.push(this.traces.flush());
    for (const f of this.files.values()) all.push(f.forceFlush());
    await Promise.allSettled(all);
  }

  /** Flushes and closes every writer of the run. Idempotent. */
  close(): Promise<void> {
    this.closePromise ??= (async () => {
      await this.flushPending();
      const all: Promise<void>[] = [this.tbText.shutdown(), this.tbMetrics.shutdown()];
      if (this.csv) all.push(this.csv.shutdown());
      if (this.traces) all.push(this.traces.close());
      for (const f of this.files.values()) all.push(f.shutdown());
      for (const r of await Promise.allSettled(all))
        if (r.status === 'rejected') diag.error(`grpo-otel sink: closing run ${this.name} failed`, r.reason);
    })();
    return this.closePromise;
  }

  private analyse(group: StepBatch[]): StepAnalysisOutput | undefined {
    const { stats, analysis } = this.options;
    if (!analysis) return undefined;
    const batch = mergeStepBatches(group);
    if (!batch) {
      stats.drop('bad_batch', group.length);
      diag.warn(
        `grpo-otel sink: run ${this.name}: the ranks' batches of step ${group[0]?.step} name different reward functions or group sizes; left out`,
      );
      return undefined;
    }
    try {
      this.analyses ??= new RunAnalyses(analysis, this.options.resource);
      const out = this.analyses.analyze(batch, this.trainerMetrics);
      stats.batches += group.length;
      stats.leftToTrainer += out.leftToTrainer;
      return out;
    } catch (err) {
      stats.drop('analysis_failed', group.length);
      diag.warn(`grpo-otel sink: run ${this.name}: the analyses of step ${batch.step} failed`, err);
      return undefined;
    }
  }

  private exportMetrics(step: number, metrics: ResourceMetrics): Promise<void> {
    return new Promise<void>((resolve) => {
      this.tbMetrics.exportStep(step, metrics, (result) => {
        if (result.code !== ExportResultCode.SUCCESS) this.options.stats.drop('write_failed');
        resolve();
      });
    });
  }

  private async toFile(e: LogRecordExporter, records: ReadableLogRecord[]): Promise<void> {
    const result = await exportTo(e, records);
    if (result.code !== ExportResultCode.SUCCESS) this.options.stats.drop('write_failed', records.length);
  }

  private csvExporter(): CsvLogRecordExporter {
    this.csv ??= new CsvLogRecordExporter({
      filename: join(this.options.outDir, this.name, 'model_outputs.csv'),
      columns: this.options.csvColumns,
    });
    return this.csv;
  }

  private channelFile(channel: string): RotatingFileLogRecordExporter {
    let name = safeRunName(channel);
    if (!this.files.has(name) && this.files.size >= this.options.maxChannels) name = OTHER_CHANNEL;
    let f = this.files.get(name);
    if (!f) {
      f = new RotatingFileLogRecordExporter({
        filename: join(this.options.outDir, this.name, 'logs', `${name}.log`),
        maxBytes: 10 * 1024 * 1024,
        backupCount: 5,
      });
      this.files.set(name, f);
    }
    return f;
  }
}
