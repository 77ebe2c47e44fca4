import { groupAdvantages } from '@grpo-otel/metrics';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_REQUEST_CHOICE_COUNT,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GRPO_REWARD_FUNCTION,
  ATTR_GRPO_STEP,
  SPAN_GRPO_GENERATE,
  SPAN_GRPO_REWARD,
  SPAN_GRPO_UPDATE,
} from '@grpo-otel/semconv';
import * as tf from '@tensorflow/tfjs';
import { generateProblems, type Problem, type ProblemSet } from './ArithmeticTask.js';
import { demonstration } from './demonstration.js';
import { GruPolicy, type TokenBatch } from './GruPolicy.js';
import { grpoLoss } from './grpoLoss.js';
import { clipGradients } from './internal/clipGradients.js';
import { ScheduledAdam } from './internal/ScheduledAdam.js';
import { mean, secondsSince, std } from './internal/stats.js';
import { createRandom, pick, type Random } from './random.js';
import { correctnessReward } from './rewards/correctnessReward.js';
import { DEFAULT_REWARDS } from './rewards/defaultRewards.js';
import type { RewardFunction } from './rewards/RewardFunction.js';
import type { Completion, StepPhase, StepResult } from './StepResult.js';
import { resolveTrainerOptions, type TrainerOptions } from './TrainerOptions.js';
import { Vocabulary } from './Vocabulary.js';
import { initWasmBackend, type WasmBackendInfo } from './wasmBackend.js';

/** Greedy answers to a set of problems. */
export interface Evaluation {
  /** Fraction answered correctly. */
  accuracy: number;
  correct: number;
  total: number;
  /** Fraction in the strict answer format. */
  formatRate: number;
  /** The completions, in problem order. */
  texts: string[];
}

function padRows(rows: readonly (readonly number[])[], width: number, value = 0): number[][] {
  return rows.map((r) => {
    const out = r.slice(0, width);
    while (out.length < width) out.push(value);
    return out;
  });
}

/**
 * A real, small GRPO trainer: arithmetic word problems, a GRU policy on the tfjs wasm backend, a
 * supervised warm-up on worked solutions, then GRPO steps (G samples per prompt, group-normalised
 * advantages, PPO-clipped policy gradient, k3 KL penalty to the policy frozen after the warm-up, Adam).
 * It only computes: it makes no telemetry call. It times its phases, and `reportStep` reports each
 * step through the grpo-otel API, the phases as spans.
 */
export class GrpoTrainer {
  readonly options: TrainerOptions;
  readonly vocabulary: Vocabulary;
  readonly problems: ProblemSet;
  readonly policy: GruPolicy;
  readonly rewards: readonly RewardFunction[];
  private reference: GruPolicy | undefined;
  private readonly random: Random;
  private readonly optimizer: ScheduledAdam;
  private readonly warmupOptimizer: tf.Optimizer;
  private warmupDone = 0;

  private constructor(
    options: TrainerOptions,
    readonly backend: WasmBackendInfo,
  ) {
    this.options = options;
    this.problems = generateProblems(options.seed, {
      maxOperand: options.maxOperand,
      validationFraction: options.validationFraction,
    });
    this.vocabulary = new Vocabulary(2 * options.maxOperand);
    this.policy = GruPolicy.create(
      {
        vocabSize: this.vocabulary.size,
        embeddingSize: options.embeddingSize,
        hiddenSize: options.hiddenSize,
      },
      options.seed,
    );
    this.rewards = DEFAULT_REWARDS;
    this.random = createRandom(options.seed * 7919 + 17);
    this.optimizer = new ScheduledAdam(options.learningRate);
    this.warmupOptimizer = tf.train.adam(options.warmupLearningRate);
  }

  /** Starts the wasm backend and builds a trainer (weights initialised from the seed). */
  static async create(options: Partial<TrainerOptions> = {}): Promise<GrpoTrainer> {
    const resolved = resolveTrainerOptions(options);
    const backend = await initWasmBackend();
    return new GrpoTrainer(resolved, backend);
  }

  /** Supervised warm-up steps taken so far. */
  get warmupSteps(): number {
    return this.warmupDone;
  }

  /** One supervised step on a batch of worked solutions; returns the mean token cross-entropy. */
  warmupStep(): number {
    const batch = Array.from({ length: this.options.warmupBatchSize }, () =>
      pick(this.random, this.problems.train),
    );
    const prompts = batch.map((p) => this.vocabulary.encode(p.question));
    const completions = batch.map((p) => [
      ...this.vocabulary.encode(demonstration(p, this.random)),
      this.vocabulary.eosId,
    ]);
    const width = Math.max(...completions.map((c) => c.length));
    const mask = tf.tensor2d(
      padRows(
        completions.map((c) => c.map(() => 1)),
        width,
      ),
    );
    const { value, grads } = tf.variableGrads(() => {
      const logp = this.policy.tokenLogProbs({ prompts, completions });
      return tf.neg(tf.div(tf.sum(tf.mul(logp, mask)), tf.sum(mask))) as tf.Scalar;
    }, this.policy.variables);
    this.warmupOptimizer.applyGradients(grads);
    const loss = value.dataSync()[0] ?? Number.NaN;
    tf.dispose([value, mask, ...Object.values(grads)]);
    this.warmupDone++;
    return loss;
  }

  /** Freezes the current policy as the reference of the KL penalty (done once, after the warm-up). */
  freezeReference(): void {
    this.reference?.dispose();
    this.reference = this.policy.snapshot();
  }

  /** One GRPO step on `promptsPerStep` training prompts. */
  step(step: number): StepResult {
    const o = this.options;
    const G = o.groupSize;
    if (!this.reference) this.freezeReference();
    const reference = this.reference!;
    const t0 = performance.now();
    const prompts = Array.from({ length: o.promptsPerStep }, () => pick(this.random, this.problems.train));
    const promptIds = prompts.map((p) => this.vocabulary.encode(p.question));
    const problems = prompts.flatMap((p) => Array.from({ length: G }, () => p));
    const rowPrompts = promptIds.flatMap((ids) => Array.from({ length: G }, () => ids));

    const sampled = this.policy.sample(rowPrompts, this.vocabulary.eosId, {
      maxTokens: o.maxCompletionTokens,
      temperature: o.temperature,
      random: this.random,
    });
    const texts = sampled.tokens.map((t) => this.vocabulary.decode(t));
    const tGenerate = performance.now();

    // One reward function at a time over the batch, each timed (a child span of grpo.reward).
    const perFunction = texts.map((): Record<string, number> => ({}));
    const rewardPhases: StepPhase[] = [];
    for (const f of this.rewards) {
      const tFunction = performance.now();
      for (let i = 0; i < texts.length; i++) perFunction[i]![f.name] = f.score(texts[i]!, problems[i]!);
      rewardPhases.push({
        name: SPAN_GRPO_REWARD,
        attributes: { [ATTR_GRPO_STEP]: step, [ATTR_GRPO_REWARD_FUNCTION]: f.name },
        start: tFunction,
        end: performance.now(),
      });
    }
    const totals = perFunction.map((r) => Object.values(r).reduce((s, v) => s + v, 0));
    // TRL's advantages: (r - group mean) / (unbiased group std + 1e-4).
    const groups = groupAdvantages(totals, { groupSize: G });
    const scored = { perFunction, totals, advantages: Array.from(groups.advantages) };
    const tReward = performance.now();

    const batch = { prompts: promptIds, completions: sampled.tokens, groupSize: G };
    const learningRate = o.learningRate * Math.min(1, step / Math.max(1, o.learningRateWarmupSteps));
    this.optimizer.setLearningRate(learningRate);
    const refLogprobsT = tf.tidy(() => reference.tokenLogProbs(batch, o.temperature));
    const refRows = refLogprobsT.arraySync();
    const tReference = performance.now();

    const update = this.update(batch, sampled.logprobs, scored.advantages, refLogprobsT);
    const tUpdate = performance.now();

    const completions: Completion[] = texts.map((text, i) => ({
      problem: problems[i]!,
      text,
      tokens: sampled.tokens[i]!,
      logprobs: sampled.logprobs[i]!,
      refLogprobs: (refRows[i] ?? []).slice(0, sampled.tokens[i]!.length),
      entropies: sampled.entropies[i]!,
      finished: sampled.finished[i]!,
      rewards: scored.perFunction[i]!,
      reward: scored.totals[i]!,
      advantage: scored.advantages[i]!,
    }));
    const allEntropies = sampled.entropies.flat();
    return {
      step,
      groupSize: G,
      completions,
      ...update,
      entropy: mean(allEntropies),
      learningRate,
      rewardMean: mean(scored.totals),
      rewardStd: std(scored.totals),
      correctness: mean(completions.map((c) => c.rewards[correctnessReward.name] ?? 0)),
      zeroStdRatio: groups.zeroStdGroups / groups.groups,
      meanGroupStd: mean(Array.from(groups.groupStds)),
      advantages: scored.advantages,
      phases: [
        {
          name: SPAN_GRPO_GENERATE,
          attributes: {
            [ATTR_GRPO_STEP]: step,
            [ATTR_GEN_AI_OPERATION_NAME]: 'text_completion',
            [ATTR_GEN_AI_REQUEST_TEMPERATURE]: o.temperature,
            [ATTR_GEN_AI_REQUEST_MAX_TOKENS]: o.maxCompletionTokens,
            [ATTR_GEN_AI_REQUEST_CHOICE_COUNT]: G,
            [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: rowPrompts.reduce((n, ids) => n + ids.length, 0),
            [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: sampled.tokens.reduce((n, t) => n + t.length, 0),
          },
          start: t0,
          end: tGenerate,
        },
        {
          name: SPAN_GRPO_REWARD,
          attributes: { [ATTR_GRPO_STEP]: step },
          start: tGenerate,
          end: tReward,
          children: rewardPhases,
        },
        { name: SPAN_GRPO_UPDATE, attributes: { [ATTR_GRPO_STEP]: step }, start: tReference, end: tUpdate },
      ],
      timings: {
        generate: (tGenerate - t0) / 1000,
        reward: (tReward - tGenerate) / 1000,
        reference: (tReference - tReward) / 1000,
        update: (tUpdate - tReference) / 1000,
        total: secondsSince(t0),
      },
    };
  }

  /**
   * The policy update of a step: `updatesPerStep` Adam steps on the clipped GRPO objective with the KL
   * penalty to `refLogprobs` (disposed here). Returns the mean loss and the first update's statistics.
   */
  private update(
    batch: TokenBatch,
    logprobs: readonly number[][],
    advantages: number[],
    refLogprobsT: tf.Tensor2D,
  ): { loss: number; kl: number; clipLow: number; clipHigh: number; gradNorm: number } {
    const o = this.options;
    const tokens = batch.completions;
    const width = Math.max(1, ...tokens.map((t) => t.length));
    const mask = tf.tensor2d(
      padRows(
        tokens.map((t) => t.map(() => 1)),
        width,
      ),
    );
    const old = tf.tensor2d(padRows(logprobs, width));
    const adv = tf.tensor1d(advantages);
    const losses: number[] = [];
    let kl = Number.NaN;
    let clipLow = Number.NaN;
    let clipHigh = Number.NaN;
    let gradNorm = Number.NaN;
    try {
      for (let u = 0; u < o.updatesPerStep; u++) {
        const stats: tf.Scalar[] = [];
        const { value, grads } = tf.variableGrads(() => {
          const terms = grpoLoss({
            logprobs: this.policy.tokenLogProbs(batch, o.temperature),
            oldLogprobs: old,
            refLogprobs: refLogprobsT,
            advantages: adv,
            mask,
            epsilon: o.clipEpsilon,
            beta: o.beta,
          });
          stats.push(tf.keep(terms.kl), tf.keep(terms.clipLow), tf.keep(terms.clipHigh));
          return terms.loss;
        }, this.policy.variables);
        const clipped = clipGradients(grads, o.maxGradNorm);
        (this.optimizer as tf.Optimizer).applyGradients(clipped.grads);
        losses.push(value.dataSync()[0] ?? Number.NaN);
        if (u === 0) {
          [kl, clipLow, clipHigh] = stats.map((s) => s.dataSync()[0] ?? Number.NaN) as [
            number,
            number,
            number,
          ];
          gradNorm = clipped.norm;
        }
        tf.dispose([value, ...stats, ...Object.values(grads), ...Object.values(clipped.grads)]);
      }
    } finally {
      tf.dispose([mask, old, adv, refLogprobsT]);
    }
    return { loss: mean(losses), kl, clipLow, clipHigh, gradNorm };
  }

  /** Greedy answers to `problems` (all of them in one batch), scored by the correctness reward. */
  evaluate(problems: readonly Problem[] = this.problems.validation): Evaluation {
    if (problems.length === 0)
      return { accuracy: Number.NaN, correct: 0, total: 0, formatRate: Number.NaN, texts: [] };
    const sampled = this.policy.sample(
      problems.map((p) => this.vocabulary.encode(p.question)),
      this.vocabulary.eosId,
      { maxTokens: this.options.maxCompletionTokens, greedy: true },
    );
    const texts = sampled.tokens.map((t) => this.vocabulary.decode(t));
    let correct = 0;
    let formatted = 0;
    texts.forEach((text, i) => {
      correct += correctnessReward.score(text, problems[i]!);
      if (/^<reasoning>\n[^\n<]+\n<\/reasoning>\n<answer>\n[^\n<]+\n<\/answer>$/.test(text)) formatted++;
    });
    return {
      accuracy: correct / problems.length,
      correct,
      total: problems.length,
      formatRate: formatted / problems.length,
      texts,
    };
  }

  /**
   * The policy as a text generator (greedy): usable as the `model` of the SDK's `runValidation`.
   * Returns the completion text and its token count.
   */
  readonly generate = (prompt: string): { text: string; tokens: number } => {
    const sampled = this.policy.sample([this.vocabulary.encode(prompt)], this.vocabulary.eosId, {
      maxTokens: this.options.maxCompletionTokens,
      greedy: true,
    });
    const tokens = sampled.tokens[0] ?? [];
    return { text: this.vocabulary.decode(tokens), tokens: tokens.length };
  };

  /** Frees the weights and optimiser state. */
  dispose(): void {
    this.policy.dispose();
    this.reference?.dispose();
    this.reference = undefined;
    this.optimizer.dispose();
    this.warmupOptimizer.dispose();
  }
}
