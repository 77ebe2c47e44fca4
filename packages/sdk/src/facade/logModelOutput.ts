import {
  ATTR_GRPO_SAMPLE_ANSWER,
  ATTR_GRPO_SAMPLE_COMPLETION,
  ATTR_GRPO_SAMPLE_CORRECT,
  ATTR_GRPO_SAMPLE_EXPECTED_ANSWER,
  ATTR_GRPO_SAMPLE_QUESTION,
  ATTR_GRPO_SAMPLE_REASONING,
  ATTR_GRPO_STEP,
} from '@grpo-otel/semconv';
import { LEVEL_NUMBERS } from '../config/levels.js';
import { safeString } from '../internal/describeValue.js';
import type { LogAttributes } from '../logging/ChannelLogger.js';
import { forwardCall, forwarding } from '../runtime/callForwarding.js';
import { activeTelemetry, channelLogger } from '../runtime/channelRegistry.js';

/** Attribute carrying the full completion text (semconv `grpo.sample.completion`). */
export const ATTR_MODEL_OUTPUT = ATTR_GRPO_SAMPLE_COMPLETION;

/** The text between the first `<tag>` and the following `</tag>`, trimmed; undefined when absent. */
export function extractTag(text: string, tag: string): string | undefined {
  const open = text.indexOf(`<${tag}>`);
  if (open < 0) return undefined;
  const start = open + tag.length + 2;
  const close = text.indexOf(`</${tag}>`, start);
  if (close < 0) return undefined;
  return text.slice(start, close).trim();
}

function normalize(answer: string): string {
  const n = Number(answer.replace(/,/g, '').trim());
  return Number.isFinite(n) && answer.trim() !== '' ? String(n) : answer.trim().toLowerCase();
}

/**
 * The seed's `log_model_output(question, true_answer, model_output, reasoning=None)`: one record on
 * the `model_outputs` channel with the question, the expected answer, the model's answer (the
 * `<answer>` part of the output, else the whole output), its reasoning (given, else the
 * `<reasoning>` part) and whether the answer matches, as semconv `grpo.sample.*` attributes. The CSV
 * handler's seed columns (question, true_answer, model_answer, model_reasoning) map onto these.
 * `options.step` labels the record (default: the step of the last `logTrainingProgress`).
 */
export function logModelOutput(
  question: string,
  trueAnswer: string,
  modelOutput: string,
  reasoning?: string,
  options: { step?: number } = {},
): void {
  if (forwarding()) {
    forwardCall('logModelOutput', [question, trueAnswer, modelOutput, reasoning, options]);
    return;
  }
  const t = activeTelemetry();
  if (!t) return;
  const log = channelLogger('model_outputs');
  // A channel below INFO drops the record anyway: then it is not built.
  if (!log.isEnabledFor(LEVEL_NUMBERS.INFO)) return;
  const output = safeString(modelOutput ?? '');
  const answer = extractTag(output, 'answer') ?? output.trim();
  const why = reasoning ?? extractTag(output, 'reasoning') ?? '';
  const expected = safeString(trueAnswer ?? '');
  const correct = normalize(answer) === normalize(expected);
  const attrs: LogAttributes = {
    [ATTR_GRPO_SAMPLE_QUESTION]: safeString(question ?? ''),
    [ATTR_GRPO_SAMPLE_EXPECTED_ANSWER]: expected,
    [ATTR_GRPO_SAMPLE_ANSWER]: answer,
    [ATTR_GRPO_SAMPLE_REASONING]: why,
    [ATTR_MODEL_OUTPUT]: output,
    [ATTR_GRPO_SAMPLE_CORRECT]: correct,
  };
  const step = options.step ?? t.currentStep;
  if (step !== undefined) attrs[ATTR_GRPO_STEP] = step;
  const q = attrs[ATTR_GRPO_SAMPLE_QUESTION] as string;
  log.info(
    `${correct ? 'correct' : 'wrong'}: ${q.length > 80 ? `${q.slice(0, 77)}...` : q} -> ${answer} (expected ${expected})`,
    attrs,
  );
}
