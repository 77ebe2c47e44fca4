// One SIGKILL trial: the SDK trainer (test/fixtures/sdkTrainer.ts) logs continuously to a rotating
// log file, a CSV file and a TensorBoard run; it is killed with SIGKILL at a random moment; then each
// file is read by its consumer (log lines, csv-parse, our event reader and TensorBoard's own
// EventAccumulator). Shared by test/sdkSigkill.test.ts (a few trials) and
// test/reliability/sigkill.test.ts (the full run).
import assert from 'node:assert/strict';
import {
  contiguousSteps,
  csvRowsWhole,
  logStepsWhole,
  readLog,
  readProgress,
  readRunOurs,
  readRunTensorBoard,
  startTrainer,
  trainerFiles,
} from './sdkTrainerRun.js';

/** Node's timers fire at whole milliseconds, from a time cached at the start of a loop turn. */
const TIMER_GRANULARITY_MS = 2;

export interface SigkillTrialOptions {
  /** Every handler's `flush_interval`, in seconds. */
  flushIntervalS: number;
  /** More config (e.g. `telemetry_thread`). */
  extraYaml?: string;
  /** Milliseconds of training work between steps (default none: steps back to back). */
  stepMs?: number;
  /** The kill comes this many ms (uniformly random in the range) after the trainer's first 50 steps. */
  killAfterMs: readonly [number, number];
}

export interface SigkillTrialResult {
  killAfterMs: number;
  /** Steps the trainer had logged when it was killed (its progress file). */
  produced: number;
  /** Steps the trainer logged within the last flush interval before it was killed. */
  producedInLastInterval: number;
  /**
   * The longest pause between two steps near the end (the process not running: preempted, GC), in ms:
   * a flush due during it runs when the process runs again, so its window counts as that much longer.
   */
  lastPauseMs: number;
  /**
   * The bound asserted (see below): steps logged within the last flush interval, lengthened by the
   * timers' 1 ms granularity (2 ms in all) and by `lastPauseMs`, plus the step whose TensorBoard text
   * is still being gathered.
   */
  bound: number;
  /** Steps missing from each sink (each step is 2 log lines, 1 CSV row, 1 text, 1 loss scalar). */
  lost: { log: number; csv: number; tbText: number; tbScalar: number };
  /** Bytes after the last whole line / row / record (a torn write). */
  torn: { log: boolean; csv: boolean; tb: boolean };
}

/**
 * Runs one trial and asserts what must hold after any SIGKILL: the log file holds whole lines, in
 * order, except perhaps a torn last one; the CSV whole rows (csv-parse), in order, except perhaps a
 * torn last one; the event files only whole records but a torn last one, and TensorBoard's
 * EventAccumulator reads exactly the records our reader reads, every step from 0 on without a gap.
 */
export async function runSigkillTrial(
  t: { after(fn: () => void): void; diagnostic(message: string): void },
  options: SigkillTrialOptions,
): Promise<SigkillTrialResult> {
  const files = trainerFiles(t, {
    flushIntervalS: options.flushIntervalS,
    ...(options.extraYaml !== undefined ? { extraYaml: options.extraYaml } : {}),
  });
  const [lo, hi] = options.killAfterMs;
  const killAfterMs = lo + Math.floor(Math.random() * (hi - lo + 1));
  let armed = false;
  const trainer = startTrainer(
    files,
    ['loop'],
    (_n, child) => {
      if (armed) return;
      armed = true;
      setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    },
    options.stepMs !== undefined ? { stepMs: options.stepMs } : {},
  );
  t.after(() => {
    const c = trainer.child;
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });
  const exit = await trainer.exited;
  assert.equal(
    exit.signal,
    'SIGKILL',
    `the trainer ended before the kill (code ${exit.code}): ${exit.stderr}`,
  );

  const progress = readProgress(files.progress);
  const last = progress.at(-1);
  assert.ok(last, 'the trainer logged nothing');
  const produced = last.steps;
  const producedWithin = (ms: number) =>
    produced - (progress.filter((p) => p.atMs <= last.atMs - ms).at(-1)?.steps ?? 0);

  const log = readLog(files.log);
  const logSteps = logStepsWhole(log);
  const csv = csvRowsWhole(files.csv);
  const ours = await readRunOurs(files.tbRun);
  assert.equal(ours.corrupt, 0, 'no event record fails its CRC');
  const textSteps = contiguousSteps(ours.textSteps, 'TensorBoard texts');
  const lossSteps = contiguousSteps(ours.lossSteps, 'TensorBoard loss');
  const tb = readRunTensorBoard(files.tbRun);
  assert.deepEqual(tb.textSteps, ours.textSteps, 'EventAccumulator reads every text before the torn record');
  assert.deepEqual(
    tb.lossSteps,
    ours.lossSteps,
    'EventAccumulator reads every scalar before the torn record',
  );
  for (const [sink, n] of [
    ['log', logSteps],
    ['csv', csv.rows],
    ['tensorboard text', textSteps],
    ['tensorboard scalar', lossSteps],
  ] as const) {
    assert.ok(n <= produced, `${sink}: ${n} steps on disk, only ${produced} logged`);
  }
  const intervalMs = options.flushIntervalS * 1000;
  const recent = progress.filter((p) => p.atMs >= last.atMs - 2 * intervalMs);
  let lastPauseMs = 0;
  for (let i = 1; i < recent.length; i++) {
    lastPauseMs = Math.max(lastPauseMs, recent[i]!.atMs - recent[i - 1]!.atMs);
  }
  const result: SigkillTrialResult = {
    killAfterMs,
    produced,
    producedInLastInterval: producedWithin(intervalMs),
    lastPauseMs,
    bound: producedWithin(intervalMs + TIMER_GRANULARITY_MS + lastPauseMs) + 1,
    lost: {
      log: produced - logSteps,
      csv: produced - csv.rows,
      tbText: produced - textSteps,
      tbScalar: produced - lossSteps,
    },
    torn: { log: log.tail !== '', csv: csv.tornBytes > 0, tb: ours.tornFiles > 0 },
  };
  t.diagnostic(JSON.stringify(result));
  // A sink hands what was queued to the OS when its flush interval ends (the writes are synchronous:
  // `async_writes` is off), so what is lost is what the trainer logged after the last flush: at most
  // the last interval. The interval is measured on the event loop's timers, which fire up to 1 ms late
  // and take the loop's cached time (hence 2 ms more), and only when the process runs: a flush due
  // while it was preempted or in a GC pause runs right after, and the trainer logged nothing meanwhile
  // (hence the longest recent pause between two steps, on a loaded machine). TensorBoard text keeps a step's text until the next step
  // begins (one text per step): one step more.
  for (const [sink, lost] of Object.entries(result.lost)) {
    assert.ok(
      lost <= result.bound,
      `${sink}: ${lost} steps lost, more than those of the last flush interval (${result.bound})`,
    );
  }
  return result;
}
