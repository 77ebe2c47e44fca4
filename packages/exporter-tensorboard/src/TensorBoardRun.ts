import { isAbsolute, join, normalize, sep } from 'node:path';
import { diag } from '@opentelemetry/api';
import { type CompletionRow, completionsTable } from './completionsTable.js';
import { type CustomScalarsLayout, customScalarsSummary } from './customScalarsLayout.js';
import type { HistogramProto, SummaryValue } from './Event.js';
import {
  EventFileWriter,
  type EventFileWriterOptions,
  type EventFileWriterStats,
} from './EventFileWriter.js';
import { grpoCustomScalarsLayout } from './grpoCustomScalarsLayout.js';
import { type HistogramFromValuesOptions, histogramFromValues } from './histogramFromValues.js';
import {
  type HparamsOptions,
  hparamsSessionEndSummary,
  hparamsSummaries,
  type SessionStatus,
} from './hparams.js';
import { histogramSummary, type ScalarForm, scalarSummary, textSummary } from './summaries.js';

export interface TensorBoardRunOptions extends Omit<EventFileWriterOptions, 'dir'> {
  /** TensorBoard's `--logdir`. */
  logDir: string;
  /** The run: a directory under logDir (relative; `/` nests, `..` is refused). */
  runName: string;
  /** How scalars are written. Default `simple_value`. */
  scalarForm?: ScalarForm;
}

export interface TensorBoardRunStats extends EventFileWriterStats {
  /** Histogram values left out because they were NaN or ±Infinity. */
  droppedHistogramValues: number;
}

/**
 * One TensorBoard run: `<logDir>/<runName>`, written by one {@link EventFileWriter}. Both exporters
 * of a run take the same TensorBoardRun (see `retain`/`release`), so metrics and text share event
 * files. Every `add*` call appends one event at the given step and returns false when the writer
 * dropped it (queue full or closed); none throws for I/O.
 */
export class TensorBoardRun {
  readonly logDir: string;
  readonly runName: string;
  readonly dir: string;
  readonly writer: EventFileWriter;
  readonly scalarForm: ScalarForm;
  private refs = 0;
  private droppedHistogramValues = 0;
  private sessionOpen = false;
  private closePromise: Promise<void> | undefined;

  constructor(options: TensorBoardRunOptions) {
    if (typeof options?.logDir !== 'string' || options.logDir === '') {
      throw new TypeError('TensorBoardRun: logDir must be a non-empty string');
    }
    this.logDir = options.logDir;
    this.runName = validRunName(options.runName);
    this.dir = join(options.logDir, this.runName);
    const scalarForm = options.scalarForm ?? 'simple_value';
    if (scalarForm !== 'simple_value' && scalarForm !== 'tensor') {
      throw new TypeError(
        `TensorBoardRun: scalarForm must be 'simple_value' or 'tensor', got ${String(scalarForm)}`,
      );
    }
    this.scalarForm = scalarForm;
    const { logDir: _l, runName: _r, scalarForm: _s, ...writerOptions } = options;
    this.writer = new EventFileWriter({ ...writerOptions, dir: this.dir });
  }

  get stats(): TensorBoardRunStats {
    return { ...this.writer.stats, droppedHistogramValues: this.droppedHistogramValues };
  }

  /** Appends one event holding `values` at `step`. */
  addSummaries(step: number, values: readonly SummaryValue[], wallTime: number = Date.now() / 1000): boolean {
    if (values.length === 0) return true;
    return this.writer.write({ wallTime, step: checkStep(step), summary: values as SummaryValue[] });
  }

  addScalar(tag: string, value: number, step: number, wallTime?: number): boolean {
    return this.addSummaries(step, [scalarSummary(tag, value, this.scalarForm)], wallTime);
  }

  /** Several scalars at one step, in one event. */
  addScalars(
    step: number,
    values: Readonly<Record<string, number>> | Iterable<readonly [string, number]>,
    wallTime?: number,
  ): boolean {
    const entries = Symbol.iterator in values ? values : Object.entries(values);
    const out: SummaryValue[] = [];
    for (const [tag, v] of entries as Iterable<readonly [string, number]>) {
      out.push(scalarSummary(tag, v, this.scalarForm));
    }
    return this.addSummaries(step, out, wallTime);
  }

  /**
   * A histogram of raw values (TensorFlow's default exponential buckets unless given others).
   * NaN and ±Infinity are left out and counted (`stats.droppedHistogramValues`); with no finite
   * value nothing is written (returns true).
   */
  addHistogram(
    tag: string,
    values: ArrayLike<number>,
    step: number,
    options?: HistogramFromValuesOptions & { wallTime?: number },
  ): boolean {
    const { histogram, dropped } = histogramFromValues(values, options);
    if (dropped > 0) this.droppedHistogramValues += dropped;
    if (!histogram) return true;
    return this.addSummaries(step, [histogramSummary(tag, histogram)], options?.wallTime);
  }

  addHistogramProto(tag: string, histogram: HistogramProto, step: number, wallTime?: number): boolean {
    return this.addSummaries(step, [histogramSummary(tag, histogram)], wallTime);
  }

  /** A markdown text summary (rendered by TensorBoard's text plugin; escape untrusted text yourself). */
  addText(tag: string, markdown: string, step: number, wallTime?: number): boolean {
    return this.addSummaries(step, [textSummary(tag, markdown)], wallTime);
  }

  /** A table of sampled completions and their rewards (every cell escaped). */
  addCompletions(tag: string, rows: readonly CompletionRow[], step: number, wallTime?: number): boolean {
    return this.addText(tag, completionsTable(rows), step, wallTime);
  }

  /** The custom scalars layout, at step 0. Default: {@link grpoCustomScalarsLayout}. */
  addCustomScalarsLayout(layout: CustomScalarsLayout = grpoCustomScalarsLayout()): boolean {
    return this.addSummaries(0, [customScalarsSummary(layout)]);
  }

  /**
   * The run's hyperparameters for TensorBoard's hparams plugin, at step 0: the experiment
   * declaration (unless `experiment: false`) and the session start. `close()` ends the session with
   * status success unless {@link endSession} was called.
   */
  addHparams(options: HparamsOptions): boolean {
    const ok = this.addSummaries(0, hparamsSummaries(options));
    this.sessionOpen = true;
    return ok;
  }

  /** Ends the hparams session with `status` (e.g. `failure` when training crashed). */
  endSession(status: SessionStatus = 'success', step = 0): boolean {
    this.sessionOpen = false;
    return this.addSummaries(step, [hparamsSessionEndSummary(status)]);
  }

  /** Resolves once every event added so far is written and synced. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /**
   * For process exit: writes and syncs what is queued, synchronously. An open hparams session stays
   * open (TensorBoard shows its status as unknown) unless {@link endSession} was called first: the
   * exit path cannot tell a finished run from a crash.
   */
  flushSync(): void {
    this.writer.flushSync();
  }

  /** Registers one more owner (an exporter); the run closes when the last one releases it. */
  retain(): this {
    this.refs++;
    return this;
  }

  /** Drops one owner; closes the run when none is left. */
  release(): Promise<void> {
    if (this.refs > 0) this.refs--;
    return this.refs === 0 ? this.close() : this.flush();
  }

  /**
   * Ends an open hparams session with status success (call {@link endSession} first for another
   * status), flushes and closes. Idempotent.
   */
  close(): Promise<void> {
    if (!this.closePromise) {
      if (this.sessionOpen) this.endSession('success');
      this.closePromise = this.writer.close().catch((err: unknown) => {
        diag.error(`TensorBoardRun(${this.dir}): closing failed`, err);
        throw err;
      });
    }
    return this.closePromise;
  }
}

function validRunName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TypeError('TensorBoardRun: runName must be a non-empty string');
  }
  const n = normalize(name);
  if (isAbsolute(name) || n === '..' || n.startsWith(`..${sep}`) || n.includes('\0')) {
    throw new TypeError(`TensorBoardRun: runName must be a relative path inside logDir, got ${name}`);
  }
  return n.replace(/[/\\]+$/, '');
}

function checkStep(step: number): number {
  if (typeof step !== 'number' || !Number.isSafeInteger(step)) {
    throw new TypeError(`TensorBoardRun: step must be a safe integer, got ${String(step)}`);
  }
  return step;
}
