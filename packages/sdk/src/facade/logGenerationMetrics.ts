import { isUsableEntropy } from '@grpo-otel/metrics';
import { diag } from '@opentelemetry/api';
import type { GenerationReference } from '../analysis/protocol.js';
import { describeValue, safeString } from '../internal/describeValue.js';
import { activeTelemetry } from '../runtime/channelRegistry.js';
import type { Generation } from './Generation.js';
import { loggingStepOf } from './isLoggingStep.js';
import { packTokens } from './packTokens.js';
import { isStep, resolveStep } from './resolveStep.js';

export type { Generation } from './Generation.js';

import { forwardCall, forwarding } from '../runtime/callForwarding.js';
import { forwardedAnalysis } from './forwardedAnalysis.js';
import { strideIndices } from './strideIndices.js';

/** The expected answer of a completion's prompt, optionally with the intermediate results a complete
 * solution states (`steps`) and a reference reasoning (for hallucination checks). */
export type GenerationReferenceInput =
  | string
  | number
  | { answer: string | number; steps?: (string | number)[]; reasoning?: string; question?: string };

export interface GenerationMetricsOptions {
  /** Completions per prompt (GRPO's G), for duplicate-within-group statistics. */
  groupSize?: number;
  /** The generation length limit, when `truncated` is not given per completion. */
  maxTokens?: number;
  /** The run's last step: analysed even when it is not a multiple of `full_metrics_frequency`. */
  final?: boolean;
}

function toReference(r: GenerationReferenceInput): GenerationReference {
  if (typeof r === 'string' || typeof r === 'number') return { answer: safeString(r) };
  const out: GenerationReference = { answer: safeString(r?.answer ?? '') };
  if (Array.isArray(r?.steps)) out.steps = r.steps.map(String);
  if (typeof r?.reasoning === 'string') out.reasoning = r.reasoning;
  if (typeof r?.question === 'string') out.question = r.question;
  return out;
}

/** Numbers a trainer passes per token: an array or a numeric typed array (not bigints, not a DataView). */
function numericArray(v: unknown): ArrayLike<number> | undefined {
  if (Array.isArray(v)) return v as number[];
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return undefined;
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) return undefined;
  return v as unknown as ArrayLike<number>;
}

/** A generation with only well-typed fields; `bad` counts the fields left out. */
function toGeneration(g: Record<string, unknown>): { generation: Generation; bad: number } {
  let bad = 0;
  const out: Generation = { text: typeof g.text === 'string' ? g.text : safeString(g.text ?? '') };
  for (const key of ['tokens', 'logprobs', 'refLogprobs', 'entropies'] as const) {
    if (g[key] === undefined) continue;
    const a = numericArray(g[key]);
    if (a) out[key] = a;
    else bad++;
  }
  const d = g.distribution as { data?: unknown; width?: unknown } | undefined;
  if (d !== undefined) {
    const data = d !== null && typeof d === 'object' ? numericArray(d.data) : undefined;
    const width = d?.width;
    if (data && typeof width === 'number' && Number.isInteger(width) && width > 0 && width <= data.length) {
      out.distribution = { data, width };
      // A trailing partial row (data not a multiple of width) is left out: counted.
      if (data.length % width !== 0) bad++;
    } else bad++;
  }
  if (g.truncated !== undefined) out.truncated = g.truncated === true;
  return { generation: out, bad };
}

/**
 * Per-token values of the completions at `indices` that the analyses leave out: logprobs that are not
 * finite (a -Infinity reference logprob would make the KL infinite), entropies that are not finite or
 * below 0 (see isUsableEntropy). Counted here, where the trainer's values are still told apart from the packing's NaN padding.
 */
function unusableTokenValues(gens: readonly Generation[], indices: Int32Array): number {
  let bad = 0;
  for (let j = 0; j < indices.length; j++) {
    const g = gens[indices[j]!]!;
    for (const a of [g.logprobs, g.refLogprobs]) {
      if (a) for (let k = 0; k < a.length; k++) if (!Number.isFinite(a[k])) bad++;
    }
    const h = g.entropies;
    if (h) for (let k = 0; k < h.length; k++) if (!isUsableEntropy(h[k]!)) bad++;
  }
  return bad;
}

/**
 * The seed's `log_generation_metrics(step, generations, references=None)`: length distribution (tokens
 * and characters), clipped ratio, XML format adherence (strict and lenient), reasoning-to-answer ratio,
 * duplicates within groups; on a `sampling_ratio` subset of the completions the expensive ones: token
 * entropy (from distributions when given, else from the trainer's per-token entropies, else from token
 * frequencies), KL to the reference policy (k1 and k3, from per-token logprobs), distinct-1/2/3 and
 * repetition; with references, answer correctness, reasoning completeness and hallucination rate (and
 * the training accuracy the generalization gap compares validation against); collapse detection on
 * entropy and diversity.
 *
 * The training thread packs the batch into typed arrays and hands it to the analysis worker; the
 * metrics are computed there. These are the full metrics: they run on full-tier logging steps only
 * (`isLoggingStep(step, { full: true })`: multiples of `metrics.full_metrics_frequency`, or the run's
 * last step with `{ final: true }`) when `metrics.enable.generation_metrics` is on. Returns whether the
 * batch was taken: false on other steps (a refused call), or for bad input (warned and counted).
 * Without a step (`logGenerationMetrics(generations, references, options)`), the current step.
 */
export function logGenerationMetrics(
  step: number,
  generations: readonly (Generation | string)[],
  references?: readonly GenerationReferenceInput[],
  options?: GenerationMetricsOptions,
): boolean;
export function logGenerationMetrics(
  generations: readonly (Generation | string)[],
  references?: readonly GenerationReferenceInput[],
  options?: GenerationMetricsOptions,
): boolean;
export function logGenerationMetrics(
  stepOrGenerations: number | readonly (Generation | string)[],
  ...rest: unknown[]
): boolean {
  if (forwarding()) {
    const analysed = forwardedAnalysis('generationMetrics', stepOrGenerations, rest[2]);
    // A step it does not analyse (not a full-metrics step, or the tier off): the telemetry thread only
    // names the step, so the batch (per-token arrays: some 300 KB a GRPO step) is not copied for it.
    if (!analysed && isStep(stepOrGenerations)) forwardCall('logGenerationMetrics', [stepOrGenerations, []]);
    else forwardCall('logGenerationMetrics', [stepOrGenerations, ...rest]);
    return analysed && Array.isArray(rest[0]);
  }
  const t = activeTelemetry();
  if (!t) return false;
  const implicit = Array.isArray(stepOrGenerations);
  const step = resolveStep(t, 'logGenerationMetrics', implicit ? undefined : stepOrGenerations);
  if (step === undefined) return false;
  const [generations, references, options = {}] = (implicit ? [stepOrGenerations, ...rest] : rest) as [
    readonly (Generation | string)[],
    readonly GenerationReferenceInput[] | undefined,
    GenerationMetricsOptions | undefined,
  ];
  const m = t.config.metrics;
  const final = options !== null && typeof options === 'object' && options.final === true;
  if (!m.enable.generationMetrics || !loggingStepOf(m, step, { full: true, final })) return false;
  if (!Array.isArray(generations)) {
    t.drops.record('metrics', 'invalid_value', 'logGenerationMetrics');
    return false;
  }
  let bad = 0;
  const gens: Generation[] = generations.map((g: unknown) => {
    if (typeof g === 'string') return { text: g };
    if (g === null || typeof g !== 'object') {
      bad++;
      return { text: g === undefined || g === null ? '' : safeString(g) };
    }
    const out = toGeneration(g as Record<string, unknown>);
    bad += out.bad;
    return out.generation;
  });
  if (bad > 0) t.drops.record('metrics', 'invalid_value', 'logGenerationMetrics', bad);
  const n = gens.length;
  const opts: GenerationMetricsOptions = options !== null && typeof options === 'object' ? options : {};
  const positive = (v: unknown, name: string): number | undefined => {
    if (v === undefined) return undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
    t.drops.record('metrics', 'invalid_value', 'logGenerationMetrics');
    diag.warn(
      `grpo-otel: logGenerationMetrics: ${name} must be a positive integer, got ${describeValue(v)}; ignored`,
    );
    return undefined;
  };
  const groupSize = positive(opts.groupSize, 'groupSize');
  const maxTokens = positive(opts.maxTokens, 'maxTokens');
  // Plain loops: TypedArray.from with a mapping function goes through the iterator protocol.
  const texts: string[] = new Array(n);
  const textLengths = new Int32Array(n);
  let haveLengths = true;
  let haveTruncated = false;
  for (let i = 0; i < n; i++) {
    const g = gens[i]!;
    texts[i] = g.text;
    textLengths[i] = g.text.length;
    if (g.tokens === undefined && g.logprobs === undefined) haveLengths = false;
    if (g.truncated !== undefined) haveTruncated = true;
  }
  const transfer: ArrayBuffer[] = [textLengths.buffer as ArrayBuffer];
  let tokenCounts: Int32Array | undefined;
  if (haveLengths) {
    tokenCounts = new Int32Array(n);
    for (let i = 0; i < n; i++) tokenCounts[i] = gens[i]!.tokens?.length ?? gens[i]!.logprobs?.length ?? 0;
  }
  let terminated: Uint8Array | undefined;
  if (haveTruncated) {
    terminated = new Uint8Array(n);
    for (let i = 0; i < n; i++) terminated[i] = gens[i]!.truncated ? 0 : 1;
  }
  const sample = packTokens(gens, strideIndices(n, m.samplingRatio));
  if (
    sample &&
    sample.distributions === undefined &&
    sample.indices.length > 0 &&
    gens[sample.indices[0]!]?.distribution
  ) {
    // Distributions given but not packed (mixed widths, or more than MAX_DISTRIBUTION_FLOATS): counted.
    t.drops.record('metrics', 'invalid_value', 'logGenerationMetrics');
  }
  const unusable = sample ? unusableTokenValues(gens, sample.indices) : 0;
  if (unusable > 0) t.drops.record('metrics', 'invalid_value', 'logGenerationMetrics', unusable);
  if (tokenCounts) transfer.push(tokenCounts.buffer as ArrayBuffer);
  if (terminated) transfer.push(terminated.buffer as ArrayBuffer);
  if (sample) {
    for (const a of [
      sample.indices,
      sample.offsets,
      sample.tokens,
      sample.logprobs,
      sample.refLogprobs,
      sample.entropies,
      sample.distributions,
    ]) {
      if (a) transfer.push(a.buffer as ArrayBuffer);
    }
  }
  const ok = t.analyses.submit(
    {
      kind: 'generations',
      step,
      textBlob: texts.join(''),
      textLengths,
      ...(tokenCounts ? { tokenCounts } : {}),
      ...(terminated ? { terminated } : {}),
      ...(maxTokens !== undefined ? { maxTokens } : {}),
      ...(groupSize !== undefined ? { groupSize } : {}),
      ...(references ? { referencesJson: JSON.stringify(references.slice(0, n).map(toReference)) } : {}),
      ...(sample ? { sample } : {}),
    },
    transfer,
  );
  if (!ok) t.drops.record('metrics', 'queue_full', 'analysis');
  return ok === true;
}
