import type { GenerationJob, GenerationReference, RewardJob } from '@grpo-otel/sdk/otel';
import {
  ATTR_GRPO_BATCH_ANSWERS,
  ATTR_GRPO_BATCH_COMPLETION_LENGTHS,
  ATTR_GRPO_BATCH_COMPLETIONS,
  ATTR_GRPO_BATCH_ENTROPIES,
  ATTR_GRPO_BATCH_EXPECTED_ANSWERS,
  ATTR_GRPO_BATCH_LOGPROBS,
  ATTR_GRPO_BATCH_QUESTIONS,
  ATTR_GRPO_BATCH_REF_LOGPROBS,
  ATTR_GRPO_BATCH_REFERENCE_REASONING,
  ATTR_GRPO_BATCH_REFERENCE_STEP_COUNTS,
  ATTR_GRPO_BATCH_REFERENCE_STEPS,
  ATTR_GRPO_BATCH_REPORTED_METRICS,
  ATTR_GRPO_BATCH_REWARD_FUNCTIONS,
  ATTR_GRPO_BATCH_REWARDS,
  ATTR_GRPO_BATCH_TOKEN_COUNTS,
  ATTR_GRPO_GROUP_SIZE,
  ATTR_GRPO_STEP,
} from '@grpo-otel/semconv';
import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';

/** One step's raw batch, read from a `grpo.step.batch` record and checked. */
export interface StepBatch {
  step: number;
  groupSize: number;
  /** Number of completions. */
  completions: number;
  /** Rewards per function, aligned by completion (from the function-major flat array). */
  rewards: Record<string, Float64Array>;
  texts?: string[];
  lengths?: Int32Array;
  answers?: string[];
  expectedAnswers?: string[];
  /** The question of each completion's prompt (its numbers support the hallucination check). */
  questions?: string[];
  /** Reference reasoning steps per completion (an empty list: none). */
  referenceSteps?: string[][];
  /** Reference reasoning text per completion ('' for none). */
  referenceReasoning?: string[];
  /** Metrics the trainer records itself: left out of the analyses' output. */
  reportedMetrics?: string[];
  tokenCounts?: Int32Array;
  logprobs?: Float64Array;
  refLogprobs?: Float64Array;
  entropies?: Float64Array;
}

/** A `grpo.step.batch` record that cannot be analysed: the reason (counted as a drop, never thrown). */
export class StepBatchError extends Error {
  override name = 'StepBatchError';
}

function num(v: AnyValue): number {
  return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
}

function intAttr(attrs: AnyValueMap, key: string, required: boolean): number | undefined {
  const v = attrs[key];
  if (v === undefined || v === null) {
    if (required) throw new StepBatchError(`${key} is missing`);
    return undefined;
  }
  const n = num(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new StepBatchError(`${key} must be a non-negative integer`);
  return n;
}

function list(attrs: AnyValueMap, key: string): AnyValue[] | undefined {
  const v = attrs[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new StepBatchError(`${key} must be an array`);
  return v;
}

function strings(attrs: AnyValueMap, key: string, length?: number): string[] | undefined {
  const v = list(attrs, key);
  if (v === undefined) return undefined;
  if (length !== undefined && v.length !== length)
    throw new StepBatchError(`${key} has ${v.length} values, expected ${length}`);
  return v.map((x) => (typeof x === 'string' ? x : x === null || x === undefined ? '' : String(x)));
}

function doubles(attrs: AnyValueMap, key: string, length?: number): Float64Array | undefined {
  const v = list(attrs, key);
  if (v === undefined) return undefined;
  if (length !== undefined && v.length !== length)
    throw new StepBatchError(`${key} has ${v.length} values, expected ${length}`);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = num(v[i]!);
  return out;
}

function ints(attrs: AnyValueMap, key: string, length?: number): Int32Array | undefined {
  const d = doubles(attrs, key, length);
  if (d === undefined) return undefined;
  for (const x of d)
    if (!Number.isInteger(x) || x < 0 || x > 2 ** 31 - 1)
      throw new StepBatchError(`${key} must hold non-negative integers`);
  return Int32Array.from(d);
}

/**
 * The references beyond the expected answers (questions, reference steps split by their counts,
 * reference reasoning): they refine the expected answers, so they need them.
 */
function readReferences(attrs: AnyValueMap, batch: StepBatch, n: number): void {
  const questions = strings(attrs, ATTR_GRPO_BATCH_QUESTIONS, n);
  const counts = ints(attrs, ATTR_GRPO_BATCH_REFERENCE_STEP_COUNTS, n);
  const steps = counts
    ? strings(
        attrs,
        ATTR_GRPO_BATCH_REFERENCE_STEPS,
        counts.reduce((a, b) => a + b, 0),
      )
    : undefined;
  if (!counts && attrs[ATTR_GRPO_BATCH_REFERENCE_STEPS] !== undefined)
    throw new StepBatchError(
      `${ATTR_GRPO_BATCH_REFERENCE_STEPS} needs ${ATTR_GRPO_BATCH_REFERENCE_STEP_COUNTS}`,
    );
  const reasoning = strings(attrs, ATTR_GRPO_BATCH_REFERENCE_REASONING, n);
  if ((questions || counts || reasoning) && !batch.expectedAnswers) {
    const key = questions
      ? ATTR_GRPO_BATCH_QUESTIONS
      : counts
        ? ATTR_GRPO_BATCH_REFERENCE_STEP_COUNTS
        : ATTR_GRPO_BATCH_REFERENCE_REASONING;
    throw new StepBatchError(`${key} needs ${ATTR_GRPO_BATCH_EXPECTED_ANSWERS}`);
  }
  if (questions) batch.questions = questions;
  if (counts) {
    const all = steps ?? [];
    const perCompletion: string[][] = [];
    for (let i = 0, at = 0; i < n; i++) {
      perCompletion.push(all.slice(at, at + counts[i]!));
      at += counts[i]!;
    }
    batch.referenceSteps = perCompletion;
  }
  if (reasoning) batch.referenceReasoning = reasoning;
}

/**
 * Reads and checks a `grpo.step.batch` record's attributes (the contract in
 * `@grpo-otel/semconv`'s EVENTS): step and group size required, rewards function-major with a length
 * a multiple of the number of functions, every per-completion array of that many completions, and the
 * per-token arrays as long as the token counts add up to. Throws a {@link StepBatchError} naming the
 * first attribute that is wrong.
 */
export function parseStepBatch(attrs: AnyValueMap): StepBatch {
  const step = intAttr(attrs, ATTR_GRPO_STEP, true)!;
  const groupSize = intAttr(attrs, ATTR_GRPO_GROUP_SIZE, true)!;
  if (groupSize < 1) throw new StepBatchError(`${ATTR_GRPO_GROUP_SIZE} must be at least 1`);
  const functions = strings(attrs, ATTR_GRPO_BATCH_REWARD_FUNCTIONS) ?? [];
  const flat = doubles(attrs, ATTR_GRPO_BATCH_REWARDS);
  if (flat === undefined) throw new StepBatchError(`${ATTR_GRPO_BATCH_REWARDS} is missing`);
  if (functions.length === 0)
    throw new StepBatchError(`${ATTR_GRPO_BATCH_REWARD_FUNCTIONS} is missing or empty`);
  if (new Set(functions).size !== functions.length)
    throw new StepBatchError(`${ATTR_GRPO_BATCH_REWARD_FUNCTIONS} names a function twice`);
  if (flat.length % functions.length !== 0)
    throw new StepBatchError(
      `${ATTR_GRPO_BATCH_REWARDS} has ${flat.length} values, not a multiple of ${functions.length} functions`,
    );
  const n = flat.length / functions.length;
  const rewards: Record<string, Float64Array> = {};
  functions.forEach((fn, f) => {
    rewards[fn] = flat.slice(f * n, (f + 1) * n);
  });
  const batch: StepBatch = { step, groupSize, completions: n, rewards };
  const texts = strings(attrs, ATTR_GRPO_BATCH_COMPLETIONS, n);
  if (texts) batch.texts = texts;
  const lengths = ints(attrs, ATTR_GRPO_BATCH_COMPLETION_LENGTHS, n);
  if (lengths) batch.lengths = lengths;
  const answers = strings(attrs, ATTR_GRPO_BATCH_ANSWERS, n);
  if (answers) batch.answers = answers;
  const expected = strings(attrs, ATTR_GRPO_BATCH_EXPECTED_ANSWERS, n);
  if (expected) batch.expectedAnswers = expected;
  readReferences(attrs, batch, n);
  const reported = strings(attrs, ATTR_GRPO_BATCH_REPORTED_METRICS);
  if (reported) batch.reportedMetrics = reported;
  const tokenCounts = ints(attrs, ATTR_GRPO_BATCH_TOKEN_COUNTS, n);
  const perToken = [ATTR_GRPO_BATCH_LOGPROBS, ATTR_GRPO_BATCH_REF_LOGPROBS, ATTR_GRPO_BATCH_ENTROPIES];
  if (tokenCounts) {
    batch.tokenCounts = tokenCounts;
    const total = tokenCounts.reduce((a, b) => a + b, 0);
    const [lp, ref, ent] = perToken.map((k) => doubles(attrs, k, total));
    if (lp) batch.logprobs = lp;
    if (ref) batch.refLogprobs = ref;
    if (ent) batch.entropies = ent;
  } else {
    for (const k of perToken)
      if (attrs[k] !== undefined) throw new StepBatchError(`${k} needs ${ATTR_GRPO_BATCH_TOKEN_COUNTS}`);
  }
  return batch;
}

/**
 * The references of a batch's completions as `logGenerationMetrics` hands them to the Analyzer
 * (`GenerationReference`): the expected answer, and the question, reference steps and reference
 * reasoning when sent. A completion without steps (an empty list) or reasoning ('') has none, as a
 * TypeScript reference leaving them out: it is not part of reasoning completeness or hallucinations.
 */
function references(batch: StepBatch, expected: readonly string[]): GenerationReference[] {
  return expected.map((answer, i) => {
    const r: GenerationReference = { answer };
    const question = batch.questions?.[i];
    if (question) r.question = question;
    const steps = batch.referenceSteps?.[i];
    if (steps?.length) r.steps = steps;
    const reasoning = batch.referenceReasoning?.[i];
    if (reasoning) r.reasoning = reasoning;
    return r;
  });
}

/**
 * The analysis jobs of a batch, as the SDK's `logRewardMetrics` and `logGenerationMetrics` hand them
 * to the analysis worker: the rewards job always; the generations job when the batch has completion
 * texts (or answers, standing in for them). Every completion is analysed (the sink is off the training
 * thread, so there is no sampling).
 */
export function stepBatchJobs(batch: StepBatch): { rewards: RewardJob; generations?: GenerationJob } {
  const rewards: RewardJob = {
    kind: 'rewards',
    id: 0,
    step: batch.step,
    rewards: batch.rewards,
    groupSize: batch.groupSize,
  };
  const texts = batch.texts ?? batch.answers;
  if (!texts) return { rewards };
  const n = texts.length;
  const offsets = new Int32Array(n + 1);
  if (batch.tokenCounts) for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + batch.tokenCounts[i]!;
  const generations: GenerationJob = {
    kind: 'generations',
    id: 0,
    step: batch.step,
    textBlob: texts.join(''),
    textLengths: Int32Array.from(texts, (t) => t.length),
    groupSize: batch.groupSize,
    ...(batch.lengths
      ? { tokenCounts: batch.lengths }
      : batch.tokenCounts
        ? { tokenCounts: batch.tokenCounts }
        : {}),
    ...(batch.expectedAnswers
      ? { referencesJson: JSON.stringify(references(batch, batch.expectedAnswers)) }
      : {}),
    sample: {
      indices: Int32Array.from({ length: n }, (_, i) => i),
      offsets,
      ...(batch.logprobs ? { logprobs: batch.logprobs } : {}),
      ...(batch.refLogprobs ? { refLogprobs: batch.refLogprobs } : {}),
      ...(batch.entropies ? { entropies: batch.entropies } : {}),
    },
  };
  return { rewards, generations };
}
