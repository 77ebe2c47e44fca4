import { diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { textSummary } from './summaries.js';
import type { TensorBoardRunSource } from './TensorBoardMetricExporter.js';
import { TensorBoardRun } from './TensorBoardRun.js';
import { logChannel, logRecordStep, logTag, renderLogRecord } from './transform.js';

export type TensorBoardLogRecordExporterOptions = TensorBoardRunSource & {
  /** The trainer's step, for records without a `grpo.step` attribute. */
  getStep?: () => number | undefined;
  /** Records kept per channel and step (the rest are counted in a note). Default 1000. */
  maxRecordsPerStep?: number;
  /** Longest message or attribute value written, in characters. Default 4000. */
  maxChars?: number;
};

interface StepText {
  step: number;
  parts: string[];
  omitted: number;
}

/**
 * OpenTelemetry `LogRecordExporter` writing log records as TensorBoard text summaries: one text per
 * channel and step, tag `logs/<channel>` (the channel is the `grpo.channel` attribute, else the
 * logger name), each record one escaped markdown paragraph (see `renderLogRecord`). The step is the
 * record's `grpo.step` attribute, else `getStep()`, else the highest step seen so far (0 at first).
 *
 * TensorBoard keeps one text per tag and step (its fast loader keeps the last one written), so the
 * records of a channel's step are collected and written as one event when a record of a later step
 * arrives, and on `forceFlush`, `shutdown`, `exportSync` and `forceFlushSync`. Records of a step that
 * arrive after it was written are written again together with the earlier ones. Steps never go back
 * within a tag: a record of a step before its channel's latest text joins that text, marked
 * `*(step N)*` with its own step.
 *
 * `export()` never throws and calls back once (SUCCESS once the records are taken; FAILED after
 * shutdown). `exportSync`/`forceFlushSync` are for process exit, like RotatingFileLogRecordExporter's.
 */
export class TensorBoardLogRecordExporter implements LogRecordExporter {
  readonly run: TensorBoardRun;
  private readonly getStep: (() => number | undefined) | undefined;
  private readonly maxRecordsPerStep: number;
  private readonly maxChars: number;
  private readonly pending = new Map<string, StepText>();
  private readonly written = new Map<string, StepText>();
  private maxStep: number | undefined;
  private shutdownPromise: Promise<void> | undefined;
  private renderWarned = false;

  constructor(options: TensorBoardLogRecordExporterOptions) {
    this.run = ('run' in options ? options.run : new TensorBoardRun(options)).retain();
    if (options.getStep !== undefined && typeof options.getStep !== 'function') {
      throw new TypeError('TensorBoardLogRecordExporter: getStep must be a function');
    }
    this.getStep = options.getStep;
    this.maxRecordsPerStep = positive('maxRecordsPerStep', options.maxRecordsPerStep, 1000);
    this.maxChars = positive('maxChars', options.maxChars, 4000);
  }

  export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    let result: ExportResult;
    if (this.shutdownPromise) {
      result = { code: ExportResultCode.FAILED, error: this.shutDownError() };
    } else {
      try {
        this.accept(logs);
        result = { code: ExportResultCode.SUCCESS };
      } catch (err) {
        result = {
          code: ExportResultCode.FAILED,
          error: err instanceof Error ? err : new Error(String(err)),
        };
      }
    }
    try {
      resultCallback(result);
    } catch (err) {
      diag.error('TensorBoardLogRecordExporter: the export result callback threw', err);
    }
  }

  /** Writes the collected texts; resolves once everything received is in the file and synced. */
  forceFlush(): Promise<void> {
    if (this.shutdownPromise) return this.shutdownPromise;
    this.emitAll();
    return this.run.flush();
  }

  /** Writes the collected texts, flushes and releases the run. Idempotent; afterwards `export` fails. */
  shutdown(): Promise<void> {
    if (!this.shutdownPromise) {
      this.emitAll();
      this.shutdownPromise = this.run.release();
    }
    return this.shutdownPromise;
  }

  /**
   * For process exit: takes the records and writes everything collected synchronously (after what
   * earlier exports queued). Throws the fs error, or after shutdown.
   */
  exportSync(logs: readonly ReadableLogRecord[]): void {
    if (this.shutdownPromise) throw this.shutDownError();
    this.accept(logs);
    this.emitAll();
    this.run.flushSync();
  }

  /** For process exit: writes everything collected and queued synchronously, and syncs the file. */
  forceFlushSync(): void {
    this.emitAll();
    this.run.flushSync();
  }

  private shutDownError(): Error {
    return new Error(`TensorBoardLogRecordExporter(${this.run.dir}): export after shutdown`);
  }

  private accept(logs: readonly ReadableLogRecord[]): void {
    for (const record of logs) {
      const own = this.stepOf(record);
      const channel = logChannel(record);
      // Steps never go back within a tag (TensorBoard's loaders discard points that do): a record of a
      // step before the channel's latest text joins that text, marked with its own step.
      const latest = Math.max(
        this.pending.get(channel)?.step ?? Number.NEGATIVE_INFINITY,
        this.written.get(channel)?.step ?? Number.NEGATIVE_INFINITY,
      );
      const step = Math.max(own, latest);
      if (this.maxStep === undefined || step > this.maxStep) {
        // The trainer moved on: every text of an earlier step is complete.
        for (const [channel, p] of this.pending) if (p.step < step) this.emit(channel, p);
        this.maxStep = step;
      }
      let p = this.pending.get(channel);
      if (p && p.step !== step) {
        this.emit(channel, p);
        p = undefined;
      }
      if (!p) {
        const prev = this.written.get(channel);
        p =
          prev?.step === step
            ? { step, parts: [...prev.parts], omitted: prev.omitted }
            : { step, parts: [], omitted: 0 };
        this.pending.set(channel, p);
      }
      if (p.parts.length >= this.maxRecordsPerStep) {
        p.omitted++;
        continue;
      }
      const text = this.render(record);
      p.parts.push(own < step ? `*(step ${own})* ${text}` : text);
    }
  }

  private render(record: ReadableLogRecord): string {
    try {
      return renderLogRecord(record, { maxChars: this.maxChars });
    } catch (err) {
      if (!this.renderWarned) {
        this.renderWarned = true;
        diag.warn('TensorBoardLogRecordExporter: a log record could not be rendered', err);
      }
      return '*(unrenderable log record)*';
    }
  }

  private stepOf(record: ReadableLogRecord): number {
    const own = logRecordStep(record);
    if (own !== undefined) return own;
    let s: number | undefined;
    try {
      s = this.getStep?.();
    } catch {
      s = undefined;
    }
    if (s !== undefined && Number.isSafeInteger(s)) return s;
    return this.maxStep ?? 0;
  }

  private emitAll(): void {
    for (const [channel, p] of this.pending) this.emit(channel, p);
  }

  private emit(channel: string, p: StepText): void {
    this.pending.delete(channel);
    this.written.set(channel, p);
    let text = p.parts.join('\n\n');
    if (p.omitted > 0) text += `\n\n*… ${p.omitted} more record(s) at this step left out*`;
    if (!this.run.addSummaries(p.step, [textSummary(logTag(channel), text)])) {
      diag.warn(
        `TensorBoardLogRecordExporter(${this.run.dir}): the event writer dropped the text of ${channel}`,
      );
    }
  }
}

function positive(name: string, value: number | undefined, dflt: number): number {
  if (value === undefined) return dflt;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(
      `TensorBoardLogRecordExporter: ${name} must be a positive integer, got ${String(value)}`,
    );
  }
  return value;
}
