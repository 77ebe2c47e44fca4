import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  beginStep,
  getDrops,
  getSystemLogger,
  getTrainingLogger,
  initialize,
  isLoggingStep,
  logHparams,
  logMemoryUsage,
  logTrainingProgress,
  onSignal,
  registerTensorMemory,
  runValidation,
  setValidationDataset,
  shutdown,
  withSpan,
} from '@grpo-otel/sdk';
import {
  ATTR_GRPO_BATCH_SIZE,
  ATTR_GRPO_GROUP_SIZE,
  ATTR_GRPO_STEP,
  generateRunId,
  SPAN_GRPO_STEP,
} from '@grpo-otel/semconv';
import type { Problem } from './ArithmeticTask.js';
import type { DemoSummary, FirstLast, ValidationPoint } from './DemoSummary.js';
import { loadDemoConfig } from './demoConfig.js';
import { GrpoTrainer } from './GrpoTrainer.js';
import { mean } from './internal/stats.js';
import { MetricWindow } from './MetricWindow.js';
import { reportStep } from './reportStep.js';
import { resolveTrainerOptions, type TrainerOptions } from './TrainerOptions.js';
import { tensorMemory } from './tensorMemory.js';

/** What `runDemo` reports while it runs (for a progress bar or periodic lines). */
export type DemoProgress =
  | { kind: 'warmup'; step: number; total: number; loss: number }
  | { kind: 'validation'; step: number; accuracy: number; correct: number; total: number }
  | {
      kind: 'step';
      step: number;
      total: number;
      reward: number;
      correctness: number;
      elapsedSeconds: number;
      etaSeconds: number;
    };

export interface RunDemoOptions {
  /** The run folder: logs, CSV, TensorBoard files, the validation split and summary.json go here. */
  outDir: string;
  /** Default: a new one (`generateRunId()`); also the resource's `grpo.run.id`. */
  runId?: string;
  trainer?: Partial<TrainerOptions>;
  /** A telemetry config to use instead of the shipped one (its relative paths resolve against `outDir`). */
  configPath?: string;
  /** Environment for `${env:...}` and OTEL_* variables (default: process.env). */
  env?: Record<string, string | undefined>;
  onProgress?: (event: DemoProgress) => void;
  /** Stops after the current step (the run still validates, flushes and writes its summary). */
  signal?: AbortSignal;
}

const MEMORY_EVERY = 50;
const MiB = 1024 * 1024;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function firstLast(values: readonly number[]): FirstLast {
  const window = Math.max(1, Math.round(values.length / 10));
  return { first: mean(values.slice(0, window)), last: mean(values.slice(-window)), window };
}

/** User + system CPU time of the whole process (every thread), in seconds. */
const cpuSeconds = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1e6;

const fmt = (v: number, digits = 3): string => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

/**
 * The demo: a real GRPO run on arithmetic word problems (see GrpoTrainer), instrumented only through
 * the grpo-otel API and driven by the shipped YAML config: a supervised warm-up, validation, GRPO
 * steps reported every step (rewards, whitelist matches, a model output, timing, spans) and every
 * `logging_frequency` steps (progress, reward and generation analyses), validation every
 * `validation_frequency` steps and at the end, memory every 50 steps. Writes `summary.json` to the run
 * folder and returns the same summary.
 */
export async function runDemo(options: RunDemoOptions): Promise<DemoSummary> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const trainerOptions = resolveTrainerOptions(options.trainer);
  const runId = options.runId ?? generateRunId();
  const outDir = options.outDir;
  const env = { ...(options.env ?? process.env), GRPO_RUN_ID: runId };
  const config = loadDemoConfig(outDir, options.configPath, env);
  const progress = options.onProgress ?? (() => undefined);

  mkdirSync(join(outDir, 'data'), { recursive: true });
  const trainer = await GrpoTrainer.create(trainerOptions);
  const o = trainer.options;
  const validationSet = join(outDir, 'data', 'validation_set.json');
  const samples = trainer.problems.validation.map((p: Problem) => ({
    id: p.id,
    question: p.question,
    answer: String(p.answer),
    steps: [String(p.a), String(p.b), String(p.answer)],
  }));
  writeFileSync(validationSet, `${JSON.stringify(samples, null, 1)}\n`);

  initialize({ config, env, baseDir: outDir });
  // initialize() returns no instance with the telemetry thread: on unless OTEL_SDK_DISABLED says off.
  const telemetry =
    (env as Record<string, string | undefined>).OTEL_SDK_DISABLED?.trim().toLowerCase() !== 'true';
  const signals: DemoSummary['signals'] = [];
  const log = getTrainingLogger();
  registerTensorMemory(tensorMemory);
  // The demo validates on its own held-out split (also written to data/ for reference).
  setValidationDataset(samples, 'validation_set.json');
  onSignal((s) => {
    signals.push({ kind: s.kind, step: s.step, detail: s.detail });
  });
  const { loggingFrequency, validationFrequency } = config.metrics;
  logHparams({
    seed: o.seed,
    steps: o.steps,
    group_size: o.groupSize,
    prompts_per_step: o.promptsPerStep,
    warmup_steps: o.warmupSteps,
    learning_rate: o.learningRate,
    warmup_learning_rate: o.warmupLearningRate,
    beta: o.beta,
    clip_epsilon: o.clipEpsilon,
    updates_per_step: o.updatesPerStep,
    hidden_size: o.hiddenSize,
    embedding_size: o.embeddingSize,
    parameters: trainer.policy.parameterCount,
    vocabulary: trainer.vocabulary.size,
  });
  log.info(
    `demo run ${runId}: ${o.steps} GRPO steps of ${o.promptsPerStep} prompts x ${o.groupSize} completions, ` +
      `GRU policy (${trainer.policy.parameterCount} weights, vocabulary ${trainer.vocabulary.size}) on tfjs ` +
      `${trainer.backend.backend}${trainer.backend.simd ? ' (SIMD)' : ''}; ` +
      `${trainer.problems.train.length} training and ${trainer.problems.validation.length} held-out problems`,
  );

  let validationSeconds = 0;
  let validationCpuSeconds = 0;
  const validations: ValidationPoint[] = [];
  const validate = async (step: number): Promise<ValidationPoint> => {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const local = trainer.evaluate();
    const point: ValidationPoint = {
      step,
      accuracy: local.accuracy,
      correct: local.correct,
      total: local.total,
    };
    const remote = await runValidation(step, trainer.generate, undefined, trainer.problems.validation.length);
    if (remote) point.telemetryAccuracy = remote.accuracy;
    validations.push(point);
    validationSeconds += (performance.now() - t0) / 1000;
    validationCpuSeconds += cpuSeconds(process.cpuUsage(cpu0));
    log.info(
      `validation at step ${step}: accuracy ${fmt(point.accuracy)} (${point.correct}/${point.total} held-out problems)`,
      { [ATTR_GRPO_STEP]: step, 'grpo.validation.accuracy': point.accuracy },
    );
    progress({
      kind: 'validation',
      step,
      accuracy: point.accuracy,
      correct: point.correct,
      total: point.total,
    });
    return point;
  };

  // Supervised warm-up: the answer format and some of the arithmetic.
  const tWarmup = performance.now();
  log.info(`warm-up: ${o.warmupSteps} supervised steps on worked solutions (batch ${o.warmupBatchSize})`);
  let warmupLoss = Number.NaN;
  for (let i = 1; i <= o.warmupSteps && !options.signal?.aborted; i++) {
    warmupLoss = trainer.warmupStep();
    progress({ kind: 'warmup', step: i, total: o.warmupSteps, loss: warmupLoss });
    if (i % 50 === 0 || i === o.warmupSteps)
      log.info(`warm-up ${i}/${o.warmupSteps}: loss=${fmt(warmupLoss, 4)}`);
    if (i % 10 === 0) await yieldToEventLoop();
  }
  trainer.freezeReference();
  const warmupSeconds = (performance.now() - tWarmup) / 1000;
  await validate(0);
  logTrainingProgress(0, { 'warmup/loss': warmupLoss, learning_rate: o.learningRate });

  // GRPO.
  const tTraining = performance.now();
  // Epochs as TRL counts them: training prompts drawn so far over the size of the training split.
  const epochAt = (s: number): number => (s * o.promptsPerStep) / trainer.problems.train.length;
  const window = new MetricWindow();
  const correctness: number[] = [];
  const rewards: number[] = [];
  const stepSeconds: number[] = [];
  const stepCpuSeconds: number[] = [];
  let trainingSeconds = 0;
  let step = 0;
  while (step < o.steps && !options.signal?.aborted) {
    step++;
    const tStep = performance.now();
    const cpuStep = process.cpuUsage();
    const validationBefore = validationSeconds;
    const validationCpuBefore = validationCpuSeconds;
    const final = step === o.steps;
    const loggingStep = isLoggingStep(step, { final });
    const result = trainer.step(step);
    // Every telemetry call of the step is made here, after its work: the step span, from the step's
    // start, with its phases as children (timed by the trainer), and the step's records, which
    // belong to the step begun here.
    beginStep(step);
    withSpan(
      SPAN_GRPO_STEP,
      {
        [ATTR_GRPO_STEP]: step,
        [ATTR_GRPO_BATCH_SIZE]: o.promptsPerStep,
        [ATTR_GRPO_GROUP_SIZE]: o.groupSize,
      },
      () =>
        window.add(
          reportStep(result, {
            rewards: trainer.rewards,
            loggingStep,
            final,
            maxTokens: o.maxCompletionTokens,
            promptTokens: result.completions.reduce(
              (n, c) => n + trainer.vocabulary.encode(c.problem.question).length,
              0,
            ),
          }),
        ),
      { startTime: tStep },
    );
    correctness.push(result.correctness);
    rewards.push(result.rewardMean);
    const last = step === o.steps;
    // Validation first, so that the progress record's collection puts its accuracy at this step.
    if (step % validationFrequency === 0 || last) await validate(step);
    if (loggingStep) logTrainingProgress(step, { ...window.flush(), epoch: epochAt(step) });
    if (step % MEMORY_EVERY === 0 || last) {
      logMemoryUsage();
      const m = tensorMemory();
      getSystemLogger().info(`tfjs memory: ${m.numTensors} tensors, ${fmt(m.numBytes / MiB, 2)} MiB`, {
        [ATTR_GRPO_STEP]: step,
        'grpo.tfjs.tensor.count': m.numTensors,
        'grpo.tfjs.memory.usage': m.numBytes,
      });
    }
    trainingSeconds = (performance.now() - tTraining) / 1000;
    const perStep = trainingSeconds / step;
    progress({
      kind: 'step',
      step,
      total: o.steps,
      reward: result.rewardMean,
      correctness: result.correctness,
      elapsedSeconds: (performance.now() - started) / 1000,
      etaSeconds: perStep * (o.steps - step),
    });
    if (isLoggingStep(step)) {
      const recent = correctness.slice(-loggingFrequency);
      log.info(
        `Step ${step}/${o.steps} completed: reward ${fmt(mean(rewards.slice(-loggingFrequency)))}, ` +
          `correctness ${fmt(mean(recent))} (last ${recent.length} steps)`,
        { [ATTR_GRPO_STEP]: step },
      );
    }
    await yieldToEventLoop();
    stepSeconds.push((performance.now() - tStep) / 1000 - (validationSeconds - validationBefore));
    stepCpuSeconds.push(cpuSeconds(process.cpuUsage(cpuStep)) - (validationCpuSeconds - validationCpuBefore));
  }
  const stoppedEarly = step < o.steps;
  let end = validations[validations.length - 1]!;
  if (end.step !== step) {
    log.warning(`stopped early at step ${step}/${o.steps}`);
    end = await validate(step);
    if (window.size > 0) logTrainingProgress(step, { ...window.flush(), epoch: epochAt(step) });
  }
  trainingSeconds = (performance.now() - tTraining) / 1000;

  const c = firstLast(correctness);
  const r = firstLast(rewards);
  const start = validations[0]!;
  log.info(
    `done: correctness ${fmt(c.first)} -> ${fmt(c.last)} (first vs last ${c.window} steps), ` +
      `reward ${fmt(r.first)} -> ${fmt(r.last)}, validation accuracy ${fmt(start.accuracy)} -> ${fmt(end.accuracy)}`,
  );
  const drops = await getDrops();
  const model = {
    parameters: trainer.policy.parameterCount,
    vocabulary: trainer.vocabulary.size,
    backend: trainer.backend.backend,
    simd: trainer.backend.simd,
    threads: trainer.backend.threads,
  };
  const tensorboardDir = [...config.handlers.values()].find((h) => h.type === 'tensorboard');
  const csv = [...config.handlers.values()].find((h) => h.type === 'csv');
  const file = [...config.handlers.values()].find((h) => h.type === 'file');
  await shutdown();
  trainer.dispose();

  const result: DemoSummary = {
    runId,
    outDir,
    startedAt,
    steps: step,
    stoppedEarly,
    seconds: {
      total: (performance.now() - started) / 1000,
      warmup: warmupSeconds,
      training: trainingSeconds,
      validation: validationSeconds,
    },
    options: o,
    model,
    correctness: c,
    reward: r,
    validation: { start, end, history: validations },
    history: { correctness, reward: rewards, stepSeconds, stepCpuSeconds },
    signals,
    drops,
    telemetry,
    files: {
      log: file && 'filename' in file ? file.filename : '',
      csv: csv && 'filename' in csv ? csv.filename : '',
      tensorboard: tensorboardDir && 'logDir' in tensorboardDir ? tensorboardDir.logDir : '',
      validationSet,
      summary: join(outDir, 'summary.json'),
    },
  };
  writeFileSync(result.files.summary, `${JSON.stringify(result, null, 1)}\n`);
  return result;
}
