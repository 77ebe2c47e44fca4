import type { StepBatch } from './parseStepBatch.js';

function concatTyped<T extends Float64Array | Int32Array>(parts: T[], make: (n: number) => T): T {
  const out = make(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * One step's batches from several ranks as one batch: the completions of each, in the order given
 * (rank order), with their rewards, texts, lengths, answers, references and per-token arrays; an
 * optional array is kept only when every batch has it (the metrics the trainer reports itself: those
 * of any). Every batch must name the same reward functions (in any order)
 * and the same group size; returns undefined when they do not.
 */
export function mergeStepBatches(batches: readonly StepBatch[]): StepBatch | undefined {
  const first = batches[0];
  if (!first) return undefined;
  if (batches.length === 1) return first;
  const functions = Object.keys(first.rewards);
  for (const b of batches) {
    if (b.groupSize !== first.groupSize) return undefined;
    const own = Object.keys(b.rewards);
    if (own.length !== functions.length || !functions.every((f) => f in b.rewards)) return undefined;
  }
  const rewards: Record<string, Float64Array> = {};
  for (const f of functions)
    rewards[f] = concatTyped(
      batches.map((b) => b.rewards[f]!),
      (n) => new Float64Array(n),
    );
  const merged: StepBatch = {
    step: first.step,
    groupSize: first.groupSize,
    completions: batches.reduce((a, b) => a + b.completions, 0),
    rewards,
  };
  const all = <K extends keyof StepBatch>(k: K): NonNullable<StepBatch[K]>[] | undefined =>
    batches.every((b) => b[k] !== undefined) ? batches.map((b) => b[k]!) : undefined;
  const texts = all('texts');
  if (texts) merged.texts = texts.flat();
  const answers = all('answers');
  if (answers) merged.answers = answers.flat();
  const expected = all('expectedAnswers');
  if (expected) merged.expectedAnswers = expected.flat();
  const questions = all('questions');
  if (questions) merged.questions = questions.flat();
  const referenceSteps = all('referenceSteps');
  if (referenceSteps) merged.referenceSteps = referenceSteps.flat();
  const referenceReasoning = all('referenceReasoning');
  if (referenceReasoning) merged.referenceReasoning = referenceReasoning.flat();
  const reported = batches.flatMap((b) => b.reportedMetrics ?? []);
  if (reported.length > 0) merged.reportedMetrics = [...new Set(reported)];
  const lengths = all('lengths');
  if (lengths) merged.lengths = concatTyped(lengths, (n) => new Int32Array(n));
  const tokenCounts = all('tokenCounts');
  if (tokenCounts) {
    merged.tokenCounts = concatTyped(tokenCounts, (n) => new Int32Array(n));
    for (const k of ['logprobs', 'refLogprobs', 'entropies'] as const) {
      const parts = all(k);
      if (parts) merged[k] = concatTyped(parts, (n) => new Float64Array(n));
    }
  }
  return merged;
}
