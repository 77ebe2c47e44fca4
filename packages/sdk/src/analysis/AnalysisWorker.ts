import type { Worker } from 'node:worker_threads';
import { type Context, context, diag } from '@opentelemetry/api';
import { spawnWorker } from '../internal/spawnWorker.js';
import type { AnalysisResult } from './AnalysisResult.js';
import { GaugeTable } from './GaugeTable.js';
import type {
  AnalysisJob,
  AnalysisJobInput,
  AnalysisSettings,
  JobReply,
  WorkerRequest,
  WorkerResponse,
} from './protocol.js';

export interface AnalysisWorkerOptions {
  settings: AnalysisSettings;
  /** Jobs sent but not answered before new ones are refused (and counted by the caller). */
  maxPending?: number;
  onResult(result: AnalysisResult): void;
  onError(message: string): void;
}

/**
 * The worker thread that computes learning metrics off the training thread. `submit` only queues the
 * job: the jobs submitted in one synchronous stretch (a step's) go as one message (typed arrays are
 * transferred, not copied), and their results come back as one message, to `onResult` one by one.
 * In development (sources run through tsx) the worker loads the TypeScript entry through tsx's API;
 * built, it loads the compiled `.js`. The worker is unref'd: it never keeps the process alive.
 */
export class AnalysisWorker {
  private readonly worker: Worker;
  /** Unanswered jobs: their step, and the context they were submitted in (their results are recorded in it). */
  private pending = new Map<number, { step: number; context: Context }>();
  private nextId = 1;
  private waiters: { step: number; done: () => void; progress: () => void }[] = [];
  private closed = false;
  private readonly maxPending: number;
  /** Messages posted to the worker (init included) and received from it. */
  readonly messages = { sent: 0, received: 0 };
  private outbox: AnalysisJob[] = [];
  private outboxTransfer: ArrayBuffer[] = [];
  /** The gauge series the worker numbered (every result's new ones, in order). */
  private readonly gaugeTable = new GaugeTable();

  constructor(private readonly options: AnalysisWorkerOptions) {
    this.maxPending = options.maxPending ?? 64;
    this.worker = spawnWorker(import.meta.url, './analysisWorkerMain');
    this.worker.unref();
    this.worker.on('message', (msg: WorkerResponse) => this.onMessage(msg));
    this.worker.on('error', (err) => {
      diag.error('grpo-otel: analysis worker failed', err);
      this.options.onError(err.message);
      this.failPending(err.message);
    });
    this.worker.on('exit', () => {
      this.closed = true;
      this.failPending('analysis worker exited');
    });
    this.post({ type: 'init', settings: options.settings });
  }

  /** Queues a job; false (nothing sent) when the worker is closed or `maxPending` jobs are unanswered. */
  submit(job: AnalysisJobInput, transfer: ArrayBuffer[] = []): boolean {
    if (this.closed || this.pending.size >= this.maxPending) return false;
    const id = this.nextId++;
    const full = { ...job, id } as AnalysisJob;
    this.pending.set(id, { step: full.step, context: context.active() });
    if (this.pending.size === 1) this.worker.ref();
    // Posted at the end of the current synchronous stretch, with the other jobs submitted in it (a
    // step's reward and generation analyses): one message each way instead of one per job.
    if (this.outbox.length === 0) queueMicrotask(this.sendOutbox);
    this.outbox.push(full);
    for (const b of transfer) this.outboxTransfer.push(b);
    return true;
  }

  private readonly sendOutbox = (): void => {
    const jobs = this.outbox;
    const transfer = this.outboxTransfer;
    this.outbox = [];
    this.outboxTransfer = [];
    if (jobs.length === 0 || this.closed) return;
    this.post({ type: 'jobs', jobs }, transfer);
  };

  get pendingJobs(): number {
    return this.pending.size;
  }

  /** Resolves when every submitted job has been answered (or the limits of {@link settled} are reached). */
  drain(timeoutMs = 10_000, stallMs = Number.POSITIVE_INFINITY): Promise<void> {
    return this.settled(Number.POSITIVE_INFINITY, timeoutMs, stallMs);
  }

  /**
   * Resolves when every job for a step <= `step` has been answered and recorded, or when `timeoutMs`
   * have passed, or when no answer has come from the worker for `stallMs`: a backlog the worker keeps
   * answering is waited for (up to `timeoutMs`), a worker that has stopped answering is not.
   */
  settled(step: number, timeoutMs = 10_000, stallMs = Number.POSITIVE_INFINITY): Promise<void> {
    if (!this.pendingUpTo(step)) return Promise.resolve();
    return new Promise((resolve) => {
      const deadline = setTimeout(done, timeoutMs);
      deadline.unref();
      let stall: ReturnType<typeof setTimeout> | undefined;
      // Re-armed at every answer (clear and set: timer.refresh() is not what every timer mock honours).
      const progress = (): void => {
        if (!(stallMs < timeoutMs)) return;
        if (stall !== undefined) clearTimeout(stall);
        stall = setTimeout(done, stallMs);
        stall.unref();
      };
      progress();
      function done() {
        clearTimeout(deadline);
        if (stall !== undefined) clearTimeout(stall);
        resolve();
      }
      this.waiters.push({ step, done, progress });
    });
  }

  /** Whether a job for a step <= `step` is still unanswered. */
  pendingUpTo(step: number): boolean {
    for (const p of this.pending.values()) if (p.step <= step) return true;
    return false;
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (this.pendingUpTo(w.step)) still.push(w);
      else w.done();
    }
    this.waiters = still;
  }

  /** Waits for pending jobs, then stops the thread. Idempotent. */
  async close(timeoutMs = 10_000): Promise<void> {
    await this.drain(timeoutMs);
    if (!this.closed) {
      this.closed = true;
      await this.worker.terminate();
    }
  }

  private post(msg: WorkerRequest, transfer: ArrayBuffer[] = []): void {
    this.messages.sent++;
    this.worker.postMessage(msg, transfer);
  }

  private onMessage(msg: WorkerResponse): void {
    this.messages.received++;
    for (const reply of msg.replies) this.onReply(reply);
    if (this.pending.size === 0) this.worker.unref();
    for (const w of this.waiters) w.progress();
    this.wake();
  }

  private onReply(reply: JobReply): void {
    // Before anything else: the numbering goes on with the next result, even if this one is ignored.
    if (reply.type === 'result') {
      this.gaugeTable.receive(reply.result.gauges);
      reply.result.gaugeTable = this.gaugeTable;
    }
    const job = this.pending.get(reply.id);
    if (job === undefined) return;
    this.pending.delete(reply.id);
    // In the job's own context (say its step's span), so the records of its results carry that trace
    // context: the worker's messages arrive in the context it was spawned in.
    context.with(job.context, this.record, this, reply);
  }

  private record(reply: JobReply): void {
    if (reply.type === 'result') {
      try {
        this.options.onResult(reply.result);
      } catch (err) {
        diag.error('grpo-otel: recording analysis results failed', err);
      }
    } else {
      this.options.onError(reply.message);
    }
  }

  private failPending(message: string): void {
    if (this.pending.size === 0) return;
    this.pending.clear();
    this.options.onError(message);
    this.wake();
  }
}
