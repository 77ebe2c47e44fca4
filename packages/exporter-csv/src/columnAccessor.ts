import {
  ATTR_GRPO_SAMPLE_ANSWER,
  ATTR_GRPO_SAMPLE_COMPLETION,
  ATTR_GRPO_SAMPLE_CORRECT,
  ATTR_GRPO_SAMPLE_EXPECTED_ANSWER,
  ATTR_GRPO_SAMPLE_QUESTION,
  ATTR_GRPO_SAMPLE_REASONING,
  ATTR_GRPO_SAMPLE_REWARD,
  ATTR_GRPO_STEP,
} from '@grpo-otel/semconv';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { formatTimestamp } from './formatTimestamp.js';
import { levelName } from './levelName.js';

/**
 * Column names that read a semconv attribute: the seed's model-output columns (its
 * `log_model_output(question, true_answer, model_output, reasoning)`) and a few more.
 */
export const CSV_COLUMN_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  step: ATTR_GRPO_STEP,
  question: ATTR_GRPO_SAMPLE_QUESTION,
  true_answer: ATTR_GRPO_SAMPLE_EXPECTED_ANSWER,
  model_answer: ATTR_GRPO_SAMPLE_ANSWER,
  model_reasoning: ATTR_GRPO_SAMPLE_REASONING,
  model_output: ATTR_GRPO_SAMPLE_COMPLETION,
  completion: ATTR_GRPO_SAMPLE_COMPLETION,
  correct: ATTR_GRPO_SAMPLE_CORRECT,
  reward: ATTR_GRPO_SAMPLE_REWARD,
});

/** Reads one column's value from a log record (undefined: an empty cell). */
export type ColumnAccessor = (record: ReadableLogRecord) => unknown;

/**
 * The accessor for a column name:
 * - `timestamp`: the record's time, ISO 8601 UTC with milliseconds (`2024-05-01T12:34:56.789Z`);
 * - `level`: the severity text, else the OTel short name of the severity number (`INFO`, `WARN`, ...);
 * - `name` or `channel`: the instrumentation scope name (the sdk's channel);
 * - `message`: the body;
 * - an alias in {@link CSV_COLUMN_ALIASES} (`step`, `question`, `true_answer`, ...): that attribute;
 * - anything else: the attribute of exactly that key (`grpo.sample.id`, `my_field`).
 * The names above take precedence over an attribute spelled the same; the attribute can still be
 * had under its full key.
 */
export function columnAccessor(column: string): ColumnAccessor {
  switch (column) {
    case 'timestamp':
      return (r) => formatTimestamp(r.hrTime);
    case 'level':
      return (r) => r.severityText ?? levelName(r.severityNumber);
    case 'name':
    case 'channel':
      return (r) => r.instrumentationScope.name;
    case 'message':
      return (r) => r.body;
  }
  const key = Object.hasOwn(CSV_COLUMN_ALIASES, column) ? CSV_COLUMN_ALIASES[column]! : column;
  return (r) => r.attributes[key];
}
