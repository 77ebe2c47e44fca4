// grpo.step.batch records as a trainer sends them (the contract in @grpo-otel/semconv's EVENTS).
// Also used by test/sinkThroughCollector.test.ts and bench/sink.
import { mulberry32 } from '@grpo-otel/metrics';

export interface BatchOptions {
  step: number;
  /**
   * How good the step is (0..1): that fraction of the completions is correct (exactly, rounded), and
   * every completion's format reward is 0.5 + level / 2, so a constant level is a flat run.
   */
  level: number;
  groupSize?: number;
  groups?: number;
  seed?: number;
}

/** The attributes of one step's batch: 2 reward functions, completions with answers, token data. */
export function batchAttributes(o: BatchOptions): Record<string, unknown> {
  const rand = mulberry32(o.seed ?? o.step + 1);
  const g = o.groupSize ?? 4;
  const n = g * (o.groups ?? 2);
  const correct: number[] = [];
  const format: number[] = [];
  const completions: string[] = [];
  const lengths: number[] = [];
  const expected: string[] = [];
  const tokenCounts: number[] = [];
  const logprobs: number[] = [];
  const refLogprobs: number[] = [];
  const entropies: number[] = [];
  const k = Math.round(o.level * n);
  for (let i = 0; i < n; i++) {
    const ok = i < k;
    correct.push(ok ? 1 : 0);
    format.push(0.5 + 0.5 * o.level);
    const answer = ok ? '4' : String(5 + Math.floor(rand() * 4));
    completions.push(
      `<reasoning>step ${o.step} try ${i} ${rand().toFixed(3)}</reasoning><answer>${answer}</answer>`,
    );
    lengths.push(10 + Math.floor(rand() * 20));
    expected.push('4');
    const t = 3 + (i % 3);
    tokenCounts.push(t);
    for (let k = 0; k < t; k++) {
      const lp = -0.1 - rand();
      logprobs.push(lp);
      refLogprobs.push(lp - 0.05 * rand());
      entropies.push(0.5 + rand());
    }
  }
  return {
    'grpo.step': o.step,
    'grpo.group.size': g,
    'grpo.batch.reward_functions': ['correctness', 'format'],
    'grpo.batch.rewards': [...correct, ...format],
    'grpo.batch.completions': completions,
    'grpo.batch.completion_lengths': lengths,
    'grpo.batch.expected_answers': expected,
    'grpo.batch.token_counts': tokenCounts,
    'grpo.batch.logprobs': logprobs,
    'grpo.batch.ref_logprobs': refLogprobs,
    'grpo.batch.entropies': entropies,
  };
}
