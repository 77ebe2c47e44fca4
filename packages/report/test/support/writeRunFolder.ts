// Writes a realistic run folder through the real SDK (the public API only, as a trainer would):
// rotating log file, model-output CSV and TensorBoard event files for ~50 steps of synthetic GRPO
// training, with a reward plateau and an entropy collapse the SDK's detectors fire on, validation
// runs, and model outputs that try to inject markup and spreadsheet formulas.

import { mulberry32 } from '@grpo-otel/metrics';
import {
  beginStep,
  forceFlush,
  type Generation,
  initialize,
  logGenerationMetrics,
  logMemoryUsage,
  logModelOutput,
  logReward,
  logRewardMetrics,
  logStepTiming,
  logTrainingProgress,
  onPlateau,
  onSignal,
  parseConfig,
  runValidation,
  setValidationDataset,
  shutdown,
} from '@grpo-otel/sdk';

export const RUN_ID = 'report-fixture-run';
export const STEPS = 50;
export const GROUP = 8;
export const PROMPTS_PER_STEP = 2;
export const VALIDATION_EVERY = 10;
/** A completion containing markup and a formula: it must show as text in the report. */
export const HOSTILE_COMPLETION =
  '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2"></td></tr>=HYPERLINK("http://x")';
export const HOSTILE_QUESTION = '=cmd|" /C calc"!A0 <b>bold?</b>';

const CONFIG = (runId: string) => `
version: 1
resource:
  run_id: ${runId}
root:
  level: INFO
  handlers: [file]
loggers:
  training: { level: INFO, handlers: [file, tensorboard], propagate: false }
  model_outputs: { level: INFO, handlers: [csv, file], propagate: false }
  rewards: { level: INFO, handlers: [file, tensorboard], propagate: false }
  whitelist: { level: INFO, handlers: [file], propagate: false }
  metrics: { level: INFO, handlers: [file, tensorboard], propagate: false }
  system: { level: INFO, handlers: [file], propagate: false }
handlers:
  file:
    class: logging.handlers.RotatingFileHandler
    formatter: standard
    filename: logs/training.log
    maxBytes: 10485760
    backupCount: 5
  csv:
    class: logging.custom.CSVHandler
    filename: logs/model_outputs.csv
    columns: [timestamp, step, question, true_answer, model_answer, model_reasoning, correct]
    buffer_size: 50
  tensorboard:
    class: logging.custom.TensorBoardHandler
    log_dir: logs/tensorboard
formatters:
  standard:
    format: "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
metrics:
  logging_frequency: 1
  full_metrics_frequency: 1
  validation_frequency: ${VALIDATION_EVERY}
  sampling_ratio: 0.5
  history_window: 10
  plateau: { window: 8, min_delta: 0.02, patience: 2 }
  collapse: { window: 10, entropy_threshold: 0.5 }
  max_pending_analyses: 512
`;

const VOCAB = 6;

export interface RunFolderStats {
  plateaus: number[];
  signals: string[];
}

/**
 * Trains nothing: a policy whose correctness rises until step 30 and then stays flat (a reward
 * plateau), whose token distributions sharpen until entropy falls under the collapse threshold,
 * and whose validation accuracy improves. Everything goes through the SDK into `out`.
 */
export async function writeRunFolder(out: string, options: { seed?: number } = {}): Promise<RunFolderStats> {
  const random = mulberry32(options.seed ?? 11);
  const env = {};
  initialize({
    config: parseConfig(CONFIG(RUN_ID), { source: 'report-fixture.yaml', baseDir: out, env }),
    env,
    handleExit: false,
  });
  const stats: RunFolderStats = { plateaus: [], signals: [] };
  onPlateau((s) => stats.plateaus.push(s.step));
  onSignal((s) => stats.signals.push(`${s.kind}@${s.step}`));
  setValidationDataset(
    Array.from({ length: 8 }, (_, i) => ({ question: `What is ${i}+${i + 2}?`, answer: String(2 * i + 2) })),
    'arith-val',
  );

  for (let step = 1; step <= STEPS; step++) {
    // The step starts: values recorded without a step of their own (logReward, logMemoryUsage, the
    // model outputs) belong to it, as in the demo trainer.
    beginStep(step);
    const progress = Math.min(step, 30) / 30; // learning stops at step 30: the plateau
    const n = GROUP * PROMPTS_PER_STEP;
    const prompts = Array.from({ length: PROMPTS_PER_STEP }, () => {
      const a = 1 + Math.floor(random() * 9);
      const b = 1 + Math.floor(random() * 9);
      return { q: `What is ${a}+${b}?`, answer: a + b };
    });
    const correctness: number[] = [];
    const format: number[] = [];
    const repetition: number[] = [];
    const texts: string[] = [];
    const gens: Generation[] = [];
    for (let i = 0; i < n; i++) {
      const p = prompts[Math.floor(i / GROUP)]!;
      const right = random() < 0.15 + 0.65 * progress;
      const formatted = random() < 0.4 + 0.55 * progress;
      const answer = right ? p.answer : p.answer + 1 + Math.floor(random() * 3);
      const reasoning = `${p.q.slice(8, -1)} is ${answer}${' so'.repeat(Math.floor(random() * 4))}`;
      const text = formatted
        ? `<reasoning>\n${reasoning}\n</reasoning>\n<answer>\n${answer}\n</answer>`
        : `${reasoning}. answer ${answer}`;
      texts.push(text);
      correctness.push(right ? 2 : 0);
      format.push(formatted ? 0.5 : 0);
      repetition.push(-0.1 * Math.floor(random() * 3));
      const len = 12 + Math.floor(random() * (20 + 30 * progress));
      // Token distributions sharpen as training goes on: entropy falls, then collapses.
      const sharp = 0.5 + 6 * (step / STEPS) ** 2;
      const data: number[] = [];
      const logprobs: number[] = [];
      const refLogprobs: number[] = [];
      const tokens: number[] = [];
      for (let k = 0; k < len; k++) {
        const top = Math.floor(random() * VOCAB);
        const z = Array.from({ length: VOCAB }, (_, v) => (v === top ? sharp : 0));
        const lse = Math.log(z.reduce((s, x) => s + Math.exp(x), 0));
        for (const x of z) data.push(x - lse);
        tokens.push(top);
        logprobs.push(sharp - lse);
        refLogprobs.push(-Math.log(VOCAB) - 0.02 * step * random());
      }
      gens.push({
        text,
        tokens,
        logprobs,
        refLogprobs,
        distribution: { data, width: VOCAB },
        truncated: len > 55,
      });
    }
    const references = Array.from({ length: n }, (_, i) => prompts[Math.floor(i / GROUP)]!.answer);

    logRewardMetrics(
      step,
      { correctness_reward: correctness, xml_format_reward: format, anti_repetition_reward: repetition },
      { groupSize: GROUP },
    );
    logGenerationMetrics(step, gens, references, { groupSize: GROUP, maxTokens: 55 });
    logReward('correctness_reward', correctness, texts.slice(0, 4));
    logReward('xml_format_reward', format, texts.slice(0, 4));
    const first = prompts[0]!;
    logModelOutput(first.q, String(first.answer), texts[0]!);
    if (step % 10 === 5) logModelOutput(HOSTILE_QUESTION, '4', HOSTILE_COMPLETION);
    const seconds = 0.4 + 0.1 * random();
    logStepTiming(step, {
      seconds,
      samples: n,
      tokens: gens.reduce((s, g) => s + g.tokens!.length, 0),
      promptTokens: n * 10,
      phases: { generation: seconds * 0.6, reward: seconds * 0.05, update: seconds * 0.35 },
    });
    if (step % 5 === 0 || step === 1) logMemoryUsage();
    if (step % VALIDATION_EVERY === 0 || step === 1) {
      const accuracy = 0.2 + 0.5 * progress;
      let k = 0;
      await runValidation(step, (prompt) => {
        const m = /What is (\d+)\+(\d+)\?/.exec(prompt)!;
        const right = (k++ % 10) / 10 < accuracy;
        const sum = Number(m[1]) + Number(m[2]) + (right ? 0 : 1);
        return `<reasoning>\nadd\n</reasoning>\n<answer>\n${sum}\n</answer>`;
      });
    }
    // The step's collection waits up to 2 s for the analysis worker; a loaded machine (the worker's
    // first start compiles TypeScript) can take longer, and the results would land a step late.
    // Waiting here (a flush waits for the analyses' answers) keeps every point at its step, so the
    // tests can compare steps exactly.
    await forceFlush();
    logTrainingProgress(step, {
      loss: 0.05 * random() - 0.025,
      learning_rate: 1e-5 * (1 - step / (2 * STEPS)),
      accuracy: correctness.filter((c) => c > 0).length / n,
    });
    // A real step takes hundreds of milliseconds, so the step's collection (which waits for the
    // analysis worker) is done before the trainer records the next step's values; here the loop
    // would outrun it, so wait for it.
    await forceFlush();
  }
  await shutdown();
  return stats;
}
