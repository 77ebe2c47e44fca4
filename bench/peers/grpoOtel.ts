// One side of bench/peers: the reference step logged through @grpo-otel/sdk with the file, CSV and
// TensorBoard handlers, every step a logging step and every model output sampled. Prints one JSON line:
// the training thread's CPU per step, in all (the calls, the worker's answers and the sinks' writes,
// which run on this thread between the calls: read from /proc/self/task/<pid>/schedstat, this thread's
// CPU time in ns) and in the calls alone (their median wall time per step). With `thread` as the fifth
// argument, the same with `telemetry_thread.enabled` (everything after the capture on the telemetry thread); with `off`, the
// loop alone with the SDK disabled (its timers and awaits cost the thread too: run.ts subtracts it).
// Run by bench/peers/run.ts.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  forceFlush,
  initialize,
  logGenerationMetrics,
  logModelOutput,
  logReward,
  logRewardMetrics,
  logTrainingProgress,
  parseConfig,
  shutdown,
} from '@grpo-otel/sdk';
import { GROUP, makeSteps, type StepData } from './workload.js';

const [outDir, stepsArg, skipArg, gapArg, modeArg] = process.argv.slice(2);
/** `thread`: with `telemetry_thread.enabled` (the training thread only captures). */
const THREAD = modeArg === 'thread';
/** `off`: the same loop with the SDK disabled: what the loop itself costs the thread (subtracted). */
const OFF = modeArg === 'off';
const STEPS = Number(stepsArg ?? 200);
const SKIP = Number(skipArg ?? 20);
/** Milliseconds between two steps (the step's training work, idle here: it costs no CPU). */
const GAP_MS = Number(gapArg ?? 20);

/** This thread's CPU time (ns): the main thread's id is the process id. */
const threadCpuNs = (): number =>
  Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);

const yaml = `
version: 1
root: { level: INFO, handlers: [file] }
loggers:
  training: { level: INFO, handlers: [file, tensorboard], propagate: false }
  model_outputs: { level: INFO, handlers: [csv], propagate: false }
  rewards: { level: INFO, handlers: [file], propagate: false }
  metrics: { level: INFO, handlers: [file, tensorboard], propagate: false }
handlers:
  file: { class: logging.handlers.RotatingFileHandler, filename: ${outDir}/training.log, formatter: standard }
  csv: { class: csv, filename: ${outDir}/model_outputs.csv, columns: [timestamp, step, question, true_answer, model_answer, model_reasoning, correct] }
  tensorboard: { class: tensorboard, log_dir: ${outDir}/tensorboard }
formatters:
  standard: { format: '%(asctime)s - %(name)s - %(levelname)s - %(message)s' }
metrics: { logging_frequency: 1, full_metrics_frequency: 1, sampling_ratio: 1 }
telemetry_thread: { enabled: ${THREAD} }
`;

function logStep(d: StepData): void {
  for (const [name, values] of Object.entries(d.rewards))
    logReward(name, values, undefined, { step: d.step });
  logRewardMetrics(d.step, d.rewards, { groupSize: GROUP });
  logGenerationMetrics(
    d.step,
    d.texts.map((text, c) => ({
      text,
      tokens: d.tokens[c]!,
      logprobs: d.logprobs[c]!,
      refLogprobs: d.refLogprobs[c]!,
      entropies: d.entropies[c]!,
    })),
    d.answers.map((answer) => ({ answer })),
    { groupSize: GROUP },
  );
  for (let c = 0; c < d.texts.length; c++)
    logModelOutput(d.questions[c]!, d.answers[c]!, d.texts[c]!, undefined, { step: d.step });
  logTrainingProgress(d.step, { loss: d.loss, learning_rate: 1e-6 });
}

const data = makeSteps(STEPS);
initialize({
  config: parseConfig(yaml, { source: 'peers.yaml', baseDir: outDir!, env: {} }),
  env: OFF ? { OTEL_SDK_DISABLED: 'true' } : {},
  handleExit: false,
});
// "In all": this thread's CPU from the first measured step to the last, two reads of schedstat (a read
// costs this thread tens of µs here, and its value moves only when the thread is switched or ticked:
// per call it would be as much noise as signal). "The calls alone": their wall time, the median step
// (a clock read costs well under a µs), an upper bound of their CPU time.
const callsNs: number[] = [];
let allStart = 0;
for (const d of data) {
  if (d.step === SKIP + 1) {
    await forceFlush();
    allStart = threadCpuNs();
  }
  const t0 = process.hrtime.bigint();
  logStep(d);
  if (d.step > SKIP) callsNs.push(Number(process.hrtime.bigint() - t0));
  await sleep(GAP_MS);
}
await forceFlush();
const allNs = threadCpuNs() - allStart;
const measured = STEPS - SKIP;
callsNs.sort((a, b) => a - b);
const callsMedianNs = callsNs[callsNs.length >> 1] ?? 0;
await shutdown();
process.stdout.write(
  `${JSON.stringify({ peer: OFF ? 'loop only' : THREAD ? 'grpo-otel, telemetry thread' : 'grpo-otel', steps: measured, allUsPerStep: allNs / measured / 1000, callsUsPerStep: callsMedianNs / 1000 })}\n`,
);
