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

export interface SigkillTrialOptions {
  /** Every handler's `flush_interval`, in seconds. */
  flushIntervalS: number;
  /** The kill comes this many ms (uniformly random in the range) after the trainer's first 50 steps. */
  killAfterMs: readonly [number, number];
}

export interface SigkillTrialResult {
  killAfterMs: number;
  /** Steps the trainer had logged when it was killed (its progress file). */
  produced: number;
  /** Steps the trainer logged within the last flush interval before it was killed. */
  producedInLastInterval: number;
  /** Steps it logged within the last two flush intervals (the bound asserted; see below). */
  producedInLastTwoIntervals: number;
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
  const files = trainerFiles(t, { flushIntervalS: options.flushIntervalS });
  const [lo, hi] = options.killAfterMs;
  const killAfterMs = lo + Math.floor(Math.random() * (hi - lo + 1));
  let armed = false;
  const trainer = startTrainer(files, ['loop'], (_n, child) => {
    if (armed) return;
    armed = true;
    setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  });
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
  const result: SigkillTrialResult = {
    killAfterMs,
    produced,
    producedInLastInterval: producedWithin(options.flushIntervalS * 1000),
    producedInLastTwoIntervals: producedWithin(2 * options.flushIntervalS * 1000),
    lost: {
      log: produced - logSteps,
      csv: produced - csv.rows,
      tbText: produced - textSteps,
      tbScalar: produced - lossSteps,
    },
    torn: { log: log.tail !== '', csv: csv.tornBytes > 0, tb: ours.tornFiles > 0 },
  };
  t.diagnostic(JSON.stringify(result));
  // A sink writes what was queued when its flush interval ends; what is lost is what came after the
  // last write that reached the OS. The trainer's clock is the event loop's, so a stalled loop
  // produces nothing either: the loss is bounded by the steps of the last interval, plus those of
  // the write still in the thread pool (bounded here by a second interval), plus the step whose
  // TensorBoard text is still being gathered (the exporter writes a step's text once the next begins).
  const bound = result.producedInLastTwoIntervals + 1;
  for (const [sink, lost] of Object.entries(result.lost)) {
    assert.ok(
      lost <= bound,
      `${sink}: ${lost} steps lost, more than the last two flush intervals (${bound})`,
    );
  }
  return result;
}
