import {
  type Generation,
  type GenerationReferenceInput,
  getWhitelistLogger,
  isLoggingStep,
  logGenerationMetrics,
  logModelOutput,
  logReward,
  logRewardMetrics,
  logStepTiming,
  recordSpan,
} from '@grpo-otel/sdk';
import { ATTR_GRPO_STEP } from '@grpo-otel/semconv';
import type { RewardFunction } from './rewards/RewardFunction.js';
import { whitelistMatches } from './rewards/topicRelevanceReward.js';
import type { StepPhase, StepResult } from './StepResult.js';

/** A phase the trainer timed, as a span (a child of the active one), with its parts as its children. */
function recordPhase(p: StepPhase): void {
  const { children } = p;
  recordSpan(
    p.name,
    p.attributes,
    p.start,
    p.end,
    children?.length ? () => children.forEach(recordPhase) : undefined,
  );
}

/** Samples attached to the reward records of a logging step. */
const REWARD_SAMPLES = 8;

export interface ReportStepOptions {
  rewards: readonly RewardFunction[];
  /** A logging step (`isLoggingStep`): reward records carry samples. */
  loggingStep: boolean;
  /** The run's last step: every analysis runs. */
  final: boolean;
  /** Token limit of the rollouts (for the clipped ratio). */
  maxTokens: number;
  /** Prompt tokens of the step (for throughput). */
  promptTokens: number;
}

/**
 * Reports one GRPO step through the grpo-otel API (every step: its phases as spans, children of the
 * active span, rewards per function, whitelist matches, one model output, step timing; on logging
 * steps also the reward and generation analyses) and returns the step's scalars for the progress
 * record (`logTrainingProgress`, TRL names). Called inside the step's span (`grpo.step`), it makes
 * every telemetry call of the step in one go, after the step's work.
 */
export function reportStep(result: StepResult, options: ReportStepOptions): Record<string, number> {
  const { completions, step } = result;
  for (const p of result.phases) recordPhase(p);
  const texts = completions.map((c) => c.text);

  const rewardsDict: Record<string, number[]> = {};
  for (const f of options.rewards) {
    const values = completions.map((c) => c.rewards[f.name] ?? Number.NaN);
    rewardsDict[f.name] = values;
    logReward(f.name, values, options.loggingStep ? texts.slice(0, REWARD_SAMPLES) : undefined);
  }
  // Every step: the moving averages and the plateau detector count steps. The SDK analyses the
  // batch on logging steps (isLoggingStep), and the generations on full-metrics steps.
  logRewardMetrics(step, rewardsDict, { groupSize: result.groupSize, final: options.final });
  if (isLoggingStep(step, { full: true, final: options.final })) {
    const generations: Generation[] = completions.map((c) => ({
      text: c.text,
      tokens: c.tokens,
      logprobs: c.logprobs,
      refLogprobs: c.refLogprobs,
      truncated: !c.finished,
      // The policy entropy from the sampler's own per-token entropies (as TRL reports it), so no
      // vocabulary-wide distribution is copied or handed over.
      entropies: c.entropies,
    }));
    const references: GenerationReferenceInput[] = completions.map(({ problem: p }) => ({
      answer: p.answer,
      steps: [p.a, p.b, p.answer],
      question: p.question,
    }));
    logGenerationMetrics(step, generations, references, {
      groupSize: result.groupSize,
      maxTokens: options.maxTokens,
      final: options.final,
    });
  }

  const counts = new Map<string, number>();
  let withMatch = 0;
  for (const text of texts) {
    const matches = whitelistMatches(text);
    if (matches.length) withMatch++;
    for (const m of matches) counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  const matched = [...counts].sort((a, b) => b[1] - a[1]);
  getWhitelistLogger().info(
    `step ${step}: ${withMatch}/${texts.length} completions use whitelist words${matched.length ? `: ${matched.map(([w, n]) => `${w} x${n}`).join(', ')}` : ''}`,
    {
      [ATTR_GRPO_STEP]: step,
      'grpo.whitelist.matches': matched.map(([w]) => w),
      'grpo.whitelist.match_counts': matched.map(([, n]) => n),
      'grpo.whitelist.completions_matched': withMatch,
    },
  );

  // One completion per step in the model-output log (and its CSV): the first of a rotating group.
  const shown = completions[(step % Math.max(1, completions.length / result.groupSize)) * result.groupSize];
  if (shown) logModelOutput(shown.problem.question, String(shown.problem.answer), shown.text);

  const tokens = completions.reduce((n, c) => n + c.tokens.length, 0);
  logStepTiming(step, {
    seconds: result.timings.total,
    samples: completions.length,
    tokens,
    promptTokens: options.promptTokens,
    phases: {
      generate: result.timings.generate,
      reward: result.timings.reward,
      reference: result.timings.reference,
      update: result.timings.update,
    },
  });

  // The optimiser's side, which only the trainer knows. The rest of TRL's dict is measured by the
  // analyses and would be recorded twice on the same metrics if logged here too (the later value
  // replacing the earlier, or the tag split in two): the reward distribution (`reward`, `reward_std`,
  // `frac_reward_zero_std`, `rewards/<func>/*`) by logRewardMetrics; the lengths (`completions/*`),
  // `entropy`, `kl` (k3) and the correctness (`accuracy`) by logGenerationMetrics.
  return {
    loss: result.loss,
    grad_norm: result.gradNorm,
    learning_rate: result.learningRate,
    'clip_ratio/low_mean': result.clipLow,
    'clip_ratio/high_mean': result.clipHigh,
    'clip_ratio/region_mean': result.clipLow + result.clipHigh,
  };
}
