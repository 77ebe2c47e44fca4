// Every way a training process ends, through the SDK's public API, with a rotating log file, a CSV file
// and a TensorBoard run all on and a flush interval (30 s) far longer than the run, so that at the end
// everything is still buffered: shutdown(), SIGINT, SIGTERM, an uncaught exception, an unhandled
// promise rejection and process.exit(). Each sink is read by its consumer and counted exactly: log
// lines, CSV rows (csv-parse), TensorBoard texts and scalars (our reader, and TensorBoard's own
// EventAccumulator; for SIGTERM also the real TensorBoard server, with both loaders).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { freePort } from '@grpo-otel/testkit/ports';
import { startTensorBoard } from '@grpo-otel/testkit/tensorboard';
import {
  contiguousSteps,
  csvRowsWhole,
  LOSS_TAG,
  logStepsWhole,
  RUN_ID,
  range,
  readLog,
  readRunOurs,
  readRunTensorBoard,
  startTrainer,
  TEXT_TAG,
  type TrainerExit,
  type TrainerFiles,
  trainerFiles,
} from './support/sdkTrainerRun.js';

const STEPS = 300;

/**
 * Asserts every sink holds exactly `steps` steps: 2 log lines, 1 CSV row, 1 TensorBoard text each,
 * and the loss scalar of `scalarSteps` steps (0, 1, ...), nothing torn. TensorBoard must read the same.
 */
async function assertAllFlushed(files: TrainerFiles, steps: number, scalarSteps = steps): Promise<void> {
  const log = readLog(files.log);
  assert.equal(log.tail, '', 'the log file ends with a whole line');
  assert.equal(logStepsWhole(log), steps, 'log file: steps');
  assert.equal(log.lines.length, 2 * steps, 'log file: lines');
  const csv = csvRowsWhole(files.csv);
  assert.equal(csv.tornBytes, 0, 'the CSV ends with a whole row');
  assert.equal(csv.rows, steps, 'CSV rows');
  const ours = await readRunOurs(files.tbRun);
  assert.equal(ours.tornFiles + ours.corrupt, 0, 'event files intact');
  assert.equal(contiguousSteps(ours.textSteps, 'TensorBoard texts'), steps);
  assert.equal(contiguousSteps(ours.lossSteps, 'TensorBoard loss'), scalarSteps);
  const tb = readRunTensorBoard(files.tbRun);
  assert.deepEqual(tb.textSteps, ours.textSteps, 'EventAccumulator reads the texts we wrote');
  assert.deepEqual(tb.lossSteps, ours.lossSteps, 'EventAccumulator reads the scalars we wrote');
}

/** The real TensorBoard server, with each loader, shows the loss and the text of steps 0..steps-1. */
async function assertTensorBoardServes(files: TrainerFiles, steps: number): Promise<void> {
  for (const loadFast of [false, true]) {
    const tb = await startTensorBoard({
      logDir: join(files.dir, 'out/tb'),
      loadFast,
      samplesPerPlugin: 'scalars=1000000,text=1000000',
    });
    try {
      await tb.waitForRun(RUN_ID, { plugin: 'scalars', tag: LOSS_TAG });
      const q = (plugin: string, tag: string) =>
        `/data/plugin/${plugin}/${plugin}?run=${RUN_ID}&tag=${encodeURIComponent(tag)}`;
      const loss = await tb.getWhen<[number, number, number][]>(
        q('scalars', LOSS_TAG),
        (l) => l.length >= steps,
      );
      assert.deepEqual(
        loss.map(([, step]) => step),
        range(steps),
        `TensorBoard (load_fast=${loadFast}): loss steps`,
      );
      const texts = await tb.getWhen<{ step: number; text: string }[]>(
        q('text', TEXT_TAG),
        (x) => x.length >= steps,
      );
      assert.deepEqual(
        texts.map((x) => x.step),
        range(steps),
        `TensorBoard (load_fast=${loadFast}): text steps`,
      );
    } finally {
      await tb.stop();
    }
  }
}

function assertDiedOf(exit: TrainerExit, signal: NodeJS.Signals): void {
  assert.equal(exit.signal, signal, `the trainer exited with code ${exit.code}: ${exit.stderr}`);
}

/** The calling thread, and a telemetry thread doing the work (`telemetry_thread`, the default). */
// With the thread, a loop with no work between steps outruns the sinks while a signal's flush runs
// (tens of thousands of steps, more than the TensorBoard server check reads in time): its signal runs
// take 1 ms of work per step, still faster than any training step.
const MODES = [
  { name: 'calling thread', yaml: 'telemetry_thread:\n  enabled: false\n', loop: {} },
  { name: 'telemetry thread', yaml: 'telemetry_thread:\n  enabled: true\n', loop: { stepMs: 1 } },
] as const;

for (const mode of MODES)
  describe(`shutdown and crashes flush every sink (SDK public API, real files; ${mode.name})`, {
    timeout: 180_000,
  }, () => {
    test('shutdown(): every record in the log file, the CSV and TensorBoard', async (t) => {
      const files = trainerFiles(t, { flushIntervalS: 30, extraYaml: mode.yaml });
      const exit = await startTrainer(files, ['shutdown', String(STEPS)]).exited;
      assert.equal(exit.code, 0, exit.stderr);
      assert.match(exit.stdout, /shut down/);
      await assertAllFlushed(files, STEPS);
    });

    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      test(`${signal}: everything logged before the signal is written, and the process dies of it`, async (t) => {
        const files = trainerFiles(t, { flushIntervalS: 30, extraYaml: mode.yaml });
        let sent = false;
        const exit = await startTrainer(
          files,
          ['loop'],
          (n, child) => {
            if (!sent && n >= STEPS) {
              sent = true;
              child.kill(signal);
            }
          },
          mode.loop,
        ).exited;
        assertDiedOf(exit, signal);
        assert.ok(exit.logged >= STEPS);
        t.diagnostic(`${exit.logged} steps logged before ${signal} was handled`);
        await assertAllFlushed(files, exit.logged);
        if (signal === 'SIGTERM') await assertTensorBoardServes(files, exit.logged);
      });
    }

    // Even when the process ends in the same synchronous run as the last logTrainingProgress, that
    // step's scalars are written: the exit hook writes the step buffers synchronously with the records.
    test('uncaught exception: everything flushed, then Node prints the error and exits 1', async (t) => {
      const files = trainerFiles(t, { flushIntervalS: 30, extraYaml: mode.yaml });
      const exit = await startTrainer(files, ['throw', String(STEPS)]).exited;
      assert.equal(exit.code, 1, exit.stderr);
      assert.match(exit.stderr, /Error: trainer crashed \(uncaught exception\)/);
      assert.match(exit.stderr, /sdkTrainer\.ts/, 'the stack trace is printed');
      await assertAllFlushed(files, STEPS);
    });

    test('unhandled promise rejection: everything flushed, then Node prints the error and exits 1', async (t) => {
      const files = trainerFiles(t, { flushIntervalS: 30, extraYaml: mode.yaml });
      const exit = await startTrainer(files, ['reject', String(STEPS)]).exited;
      assert.equal(exit.code, 1, exit.stderr);
      assert.match(exit.stderr, /Error: trainer crashed \(unhandled rejection\)/);
      await assertAllFlushed(files, STEPS);
    });

    // The loop never yields to the event loop (no timer, no I/O callback runs between steps): each call
    // is handed over inside the call itself, and the exit hook drains what is left.
    test('a loop that never yields, then process.exit(): every step in every sink', async (t) => {
      const files = trainerFiles(t, { flushIntervalS: 30, extraYaml: mode.yaml });
      const exit = await startTrainer(files, ['sync', String(STEPS)]).exited;
      assert.equal(exit.code, 3, exit.stderr);
      await assertAllFlushed(files, STEPS);
    });

    test('process.exit(): local sinks are drained synchronously', async (t) => {
      const files = trainerFiles(t, { flushIntervalS: 30, extraYaml: mode.yaml });
      const exit = await startTrainer(files, ['exit', String(STEPS)]).exited;
      assert.equal(exit.code, 3, exit.stderr);
      await assertAllFlushed(files, STEPS);
    });

    // What OTLP still holds at process.exit() cannot be sent any more (nothing asynchronous runs in the
    // 'exit' event): it is counted as dropped and said in the log file, never lost silently. The OTLP
    // endpoint is a port of 127.0.0.1 nobody listens on (a real refused connection), so every record
    // is still queued, retrying, when the process exits.
    test('process.exit() with OTLP records unsent: counted as dropped (process_exit) and reported in the log file', async (t) => {
      const files = trainerFiles(t, {
        flushIntervalS: 30,
        extraYaml: `${mode.yaml}otlp:\n  endpoint: http://127.0.0.1:${await freePort()}\n`,
      });
      // The SDK's own channel to the log file too (after the trainer's lines).
      const config = readFileSync(files.config, 'utf8');
      writeFileSync(
        files.config,
        config.replace(
          'loggers:\n',
          'loggers:\n  system:\n    level: INFO\n    handlers: [file]\n    propagate: false\n',
        ),
      );
      const exit = await startTrainer(files, ['exit', String(STEPS)]).exited;
      assert.equal(exit.code, 3, exit.stderr);
      const log = readLog(files.log);
      const warnings = log.lines.filter((l) => l.startsWith('system '));
      assert.equal(warnings.length, 1, `one warning from the SDK: ${JSON.stringify(warnings)}`);
      // Every record of both channels went to OTLP too: 2 per step, all still queued.
      assert.match(
        warnings[0]!,
        new RegExp(
          `^system the process is exiting without shutdown\\(\\): OTLP records not delivered \\((?:.*, )?${2 * STEPS} logs\\b.*\\) are counted as dropped \\(process_exit\\)$`,
        ),
      );
      // The trainer's own lines are all there, the warning after them.
      assert.equal(log.lines.at(-1), warnings[0]);
      assert.equal(logStepsWhole({ lines: log.lines.slice(0, -1), tail: log.tail }), STEPS);
    });
  });
