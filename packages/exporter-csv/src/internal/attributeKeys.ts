/**
 * The full completion text of a sample. Not (yet) in @grpo-otel/semconv; the sdk's
 * `logModelOutput` writes it under this key (its `ATTR_MODEL_OUTPUT`).
 */
export const ATTR_GRPO_SAMPLE_COMPLETION = 'grpo.sample.completion';
