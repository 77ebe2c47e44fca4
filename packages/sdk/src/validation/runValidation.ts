import { type AnswerOutcome, classifyAnswer, extractNumericAnswer, xmlFormat } from '@grpo-otel/metrics';
import {
  ATTR_ERROR_TYPE,
  ATTR_GRPO_SAMPLE_ANSWER,
  ATTR_GRPO_SAMPLE_COMPLETION_TOKENS,
  ATTR_GRPO_SAMPLE_CORRECT,
  ATTR_GRPO_SAMPLE_EXPECTED_ANSWER,
  ATTR_GRPO_SAMPLE_FORMAT_VALID,
  ATTR_GRPO_SAMPLE_ID,
  ATTR_GRPO_SAMPLE_QUESTION,
  ATTR_GRPO_SPLIT,
  ATTR_GRPO_STEP,
  ATTR_GRPO_VALIDATION_DATASET,
  ATTR_GRPO_VALIDATION_SAMPLE_COUNT,
  EVENT_GRPO_VALIDATION_SAMPLE,
  METRICS,
  SPAN_GRPO_VALIDATION,
} from '@grpo-otel/semconv';
import { SpanStatusCode } from '@opentelemetry/api';
import { safeString } from '../internal/describeValue.js';
import { forwardCall } from '../runtime/callForwarding.js';
import { activeTelemetry, type CallerSide, callerSide, currentThread } from '../runtime/channelRegistry.js';
import { loadValidationDataset, type ValidationSample } from './loadValidationDataset.js';
import {
  callModel,
  type GenerateResult,
  type ValidationModel,
  ValidationTimeout,
  type ValidationTokenizer,
  withTimeout,
} from './ValidationModel.js';

/** Why a validation sample is wrong (semconv `error.type` values). */
export type ValidationErrorType =
  /** No answer within `timeout_per_sample`. */
  | 'timeout'
  /** The model threw. */
  | 'exception'
  /** Only whitespace. */
  | 'empty'
  /** A number was extracted but it is not the reference answer. */
  | 'wrong_answer'
  /** Well formed, but the answer holds no number. */
  | 'no_answer'
  /** No number and not even the lenient `<reasoning>`/`<answer>` format. */
  | 'format_error';

const OUTCOME_ERROR: Record<Exclude<AnswerOutcome, 'correct'>, ValidationErrorType> = {
  empty: 'empty',
  'wrong-number': 'wrong_answer',
  'no-number': 'no_answer',
  'wrong-format': 'format_error',
};

export interface ValidationSampleResult {
  id: string;
  correct: boolean;
  formatValid: boolean;
  errorType?: ValidationErrorType;
  answer?: number;
  durationMs: number;
}

export interface ValidationResult {
  step: number;
  dataset: string;
  samples: number;
  correct: number;
  /** correct / samples (zero-shot accuracy on the held-out set). */
  accuracy: number;
  /** Recent training accuracy minus validation accuracy (NaN when no training accuracy is known). */
  generalizationGap: number;
  /** Counts by error type (samples with no error are not listed). */
  errors: Partial<Record<ValidationErrorType, number>>;
  durationMs: number;
  results: ValidationSampleResult[];
}

const QUESTION_ATTR_LIMIT = 500;

/** Scores one completion against its sample with the metrics package's answer classification. */
export function scoreValidationSample(
  text: string,
  sample: ValidationSample,
): Omit<ValidationSampleResult, 'id' | 'durationMs'> {
  const outcome = classifyAnswer(text, sample.answer);
  const answer = extractNumericAnswer(text)?.value;
  return {
    correct: outcome === 'correct',
    formatValid: xmlFormat(text).strict,
    ...(outcome !== 'correct' ? { errorType: OUTCOME_ERROR[outcome] } : {}),
    ...(answer !== undefined ? { answer } : {}),
  };
}

/**
 * The seed's `run_validation(step, model, tokenizer, num_samples=None)`: generates an answer for each
 * held-out sample (the dataset of `metrics.validation.dataset_path`, JSON or JSONL, or one set with
 * `setValidationDataset`), at most `num_samples` (default `max_samples`), each within
 * `timeout_per_sample` (the model gets an AbortSignal), inside one `grpo.validation` span with a
 * `grpo.validation.sample` event per sample. Records zero-shot accuracy, the generalization gap
 * (recent training accuracy minus validation accuracy), sample/error/timeout counts by error type and
 * the duration; logs a summary on the `metrics` channel. Its own overhead beyond the model calls is
 * small; the model calls run one at a time. Returns undefined (and costs nothing) when validation
 * metrics are disabled or the SDK is not initialized. A bad dataset file rejects with a DatasetError.
 */
export async function runValidation(
  step: number,
  model: ValidationModel,
  tokenizer?: ValidationTokenizer,
  numSamples?: number,
): Promise<ValidationResult | undefined> {
  const t = callerSide();
  if (!t?.config.metrics.enable.validationMetrics) return undefined;
  const cfg = t.config.metrics.validation;
  const { dataset, name } = await validationData(t, cfg.datasetPath);
  if (dataset.length === 0) {
    t.logger('metrics').warning(
      `runValidation(step ${step}): no validation samples (set metrics.validation.dataset_path, or call setValidationDataset); nothing validated`,
      { [ATTR_GRPO_STEP]: step },
    );
    return undefined;
  }
  const limit = Math.max(0, Math.min(numSamples ?? cfg.maxSamples, dataset.length));
  const chosen = dataset.slice(0, limit);
  const t0 = performance.now();
  return t.tracer.startActiveSpan(
    SPAN_GRPO_VALIDATION,
    {
      attributes: {
        [ATTR_GRPO_STEP]: step,
        [ATTR_GRPO_SPLIT]: 'validation',
        [ATTR_GRPO_VALIDATION_DATASET]: name,
        [ATTR_GRPO_VALIDATION_SAMPLE_COUNT]: chosen.length,
      },
    },
    async (span) => {
      const results: ValidationSampleResult[] = [];
      const errors: Partial<Record<ValidationErrorType, number>> = {};
      try {
        for (const sample of chosen) {
          const s0 = performance.now();
          const controller = new AbortController();
          let scored: Omit<ValidationSampleResult, 'id' | 'durationMs'>;
          let text = '';
          let tokens: number | undefined;
          try {
            const out: GenerateResult = await withTimeout(
              callModel(model, sample.question, controller.signal, cfg.timeoutPerSampleMs),
              cfg.timeoutPerSampleMs,
              controller,
            );
            text = typeof out === 'string' ? out : String(out?.text ?? '');
            tokens =
              typeof out === 'object' && typeof out.tokens === 'number'
                ? out.tokens
                : tokenizer?.encode(text).length;
            scored = scoreValidationSample(text, sample);
          } catch (err) {
            scored = {
              correct: false,
              formatValid: false,
              errorType: err instanceof ValidationTimeout ? 'timeout' : 'exception',
            };
            if (!(err instanceof ValidationTimeout))
              span.recordException(err instanceof Error ? err : safeString(err));
          }
          const r: ValidationSampleResult = { id: sample.id, ...scored, durationMs: performance.now() - s0 };
          results.push(r);
          if (r.errorType) errors[r.errorType] = (errors[r.errorType] ?? 0) + 1;
          span.addEvent(EVENT_GRPO_VALIDATION_SAMPLE, {
            [ATTR_GRPO_STEP]: step,
            [ATTR_GRPO_SAMPLE_ID]: sample.id,
            [ATTR_GRPO_SAMPLE_QUESTION]: sample.question.slice(0, QUESTION_ATTR_LIMIT),
            [ATTR_GRPO_SAMPLE_EXPECTED_ANSWER]: sample.answer,
            [ATTR_GRPO_SAMPLE_ANSWER]: r.answer !== undefined ? safeString(r.answer) : '',
            [ATTR_GRPO_SAMPLE_CORRECT]: r.correct,
            [ATTR_GRPO_SAMPLE_FORMAT_VALID]: r.formatValid,
            ...(tokens !== undefined ? { [ATTR_GRPO_SAMPLE_COMPLETION_TOKENS]: tokens } : {}),
            ...(r.errorType ? { [ATTR_ERROR_TYPE]: r.errorType } : {}),
            'grpo.sample.duration_ms': r.durationMs,
          });
        }
      } finally {
        span.end();
      }
      const correct = results.filter((r) => r.correct).length;
      const accuracy = results.length ? correct / results.length : Number.NaN;
      const durationMs = performance.now() - t0;
      const thread = currentThread();
      let gap: number;
      if (thread) {
        forwardCall('recordValidation', [step, name, results.length, correct, errors, durationMs]);
        gap = thread.recentTrainingAccuracy - accuracy;
      } else {
        gap = recordValidation(step, name, results.length, correct, errors, durationMs);
      }
      if (results.length === 0)
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'no validation samples' });
      return {
        step,
        dataset: name,
        samples: results.length,
        correct,
        accuracy,
        generalizationGap: gap,
        errors,
        durationMs,
        results,
      };
    },
  );
}

/**
 * A validation pass's metrics (at `step`, whichever step the trainer is in now) and its summary line
 * on the `metrics` channel, on the thread that runs the pipeline. Returns the generalization gap
 * (recent training accuracy minus validation accuracy; NaN when either is unknown).
 */
export function recordValidation(
  step: number,
  name: string,
  samples: number,
  correct: number,
  errors: Partial<Record<ValidationErrorType, number>>,
  durationMs: number,
): number {
  const t = activeTelemetry();
  if (!t) return Number.NaN;
  const dsAttrs = { [ATTR_GRPO_VALIDATION_DATASET]: name };
  const accuracy = samples ? correct / samples : Number.NaN;
  const gap = t.training.recentTrainingAccuracy - accuracy;
  // No samples means no accuracy, and no training accuracy yet (validation before the first
  // step's analysis) means no gap: neither is a value, so neither is recorded (nor counted as a
  // dropped invalid value, which would page as telemetry loss). TensorBoard shows them at `step`
  // even when the trainer moved on while the pass ran.
  t.atStep(step, () => {
    if (Number.isFinite(accuracy)) t.instruments.record(METRICS.validationAccuracy, accuracy, dsAttrs);
    if (Number.isFinite(gap)) t.instruments.record(METRICS.validationGeneralizationGap, gap, dsAttrs);
    t.instruments.record(METRICS.validationDuration, durationMs / 1000, dsAttrs);
    t.instruments.record(METRICS.validationSamples, samples, dsAttrs);
    for (const [type, n] of Object.entries(errors)) {
      if (type !== 'format_error')
        t.instruments.record(METRICS.validationErrors, n, { ...dsAttrs, [ATTR_ERROR_TYPE]: type });
    }
    if (errors.format_error)
      t.instruments.record(METRICS.validationErrors, errors.format_error, {
        ...dsAttrs,
        [ATTR_ERROR_TYPE]: 'format_error',
      });
    if (errors.timeout) t.instruments.record(METRICS.validationTimeouts, errors.timeout, dsAttrs);
  });
  const errText = Object.entries(errors)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  t.logger('metrics').info(
    `validation at step ${step}: accuracy ${Number.isFinite(accuracy) ? accuracy.toFixed(3) : 'n/a'} (${correct}/${samples})${Number.isFinite(gap) ? `, generalization gap ${gap.toFixed(3)}` : ''}${errText ? `; errors: ${errText}` : ''}`,
    {
      [ATTR_GRPO_STEP]: step,
      ...(Number.isFinite(accuracy) ? { 'grpo.validation.accuracy': accuracy } : {}),
      ...(Number.isFinite(gap) ? { 'grpo.validation.generalization_gap': gap } : {}),
      'grpo.validation.samples': samples,
      'grpo.validation.duration_ms': durationMs,
      ...Object.fromEntries(Object.entries(errors).map(([k, v]) => [`grpo.validation.errors.${k}`, v])),
    },
  );
  return gap;
}

/**
 * Whether the trainer should validate at `step`: validation metrics are enabled and `step` is a
 * multiple of `metrics.validation_frequency` (the seed's `if step % validation_frequency == 0`).
 * `runValidation` itself runs whenever it is called (a trainer may also validate at the start and end).
 */
export function shouldValidate(step: number): boolean {
  const t = callerSide();
  if (!t?.config.metrics.enable.validationMetrics) return false;
  return Number.isInteger(step) && step >= 0 && step % t.config.metrics.validationFrequency === 0;
}

/** Datasets set in code, per SDK instance: a new `initialize()` starts without one. */
const programmatic = new WeakMap<CallerSide, { dataset: ValidationSample[]; name: string }>();
const fileCache = new Map<string, Promise<ValidationSample[]>>();

/**
 * Sets the validation dataset in code (instead of `metrics.validation.dataset_path`), for the SDK
 * initialized now: it ends with `shutdown()` (or the next `initialize()`), like the rest of its state.
 */
export function setValidationDataset(
  samples: readonly (Omit<ValidationSample, 'id'> & { id?: string })[],
  name = 'default',
): void {
  const t = callerSide();
  if (!t) return;
  if (!Array.isArray(samples)) {
    t.drops.record('logs', 'invalid_value', 'setValidationDataset', 1, false);
    t.logger('metrics').warning(
      'setValidationDataset: samples must be an array of { question, answer }; ignored',
    );
    return;
  }
  programmatic.set(t, {
    name,
    dataset: samples.map((s, i) => ({ ...s, id: s.id ?? String(i), answer: String(s.answer) })),
  });
}

async function validationData(
  t: CallerSide,
  path: string | undefined,
): Promise<{ dataset: ValidationSample[]; name: string }> {
  const own = programmatic.get(t);
  if (own) return own;
  if (!path) return { dataset: [], name: 'none' };
  let p = fileCache.get(path);
  if (!p) {
    p = loadValidationDataset(path);
    fileCache.set(path, p);
    p.catch(() => fileCache.delete(path));
  }
  const dataset = await p;
  return { dataset, name: path.split('/').pop() ?? path };
}
