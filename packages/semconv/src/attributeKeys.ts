// Attribute keys. Keys reused from OpenTelemetry semantic conventions keep their OTel names
// (ATTR_SERVICE_NAME, ATTR_GEN_AI_*, ATTR_ERROR_TYPE, ...); they are repeated here so this package has
// no runtime dependency. Definitions (type, meaning, examples) are in ATTRIBUTES.

// --- Resource: identify the run and the worker ---------------------------------------------------
/** Unique id of a training run; see generateRunId(). */
export const ATTR_GRPO_RUN_ID = 'grpo.run.id';
/** Human-readable name of the run. */
export const ATTR_GRPO_RUN_NAME = 'grpo.run.name';
/** Name of the experiment a run belongs to (runs compared with each other). */
export const ATTR_GRPO_EXPERIMENT_NAME = 'grpo.experiment.name';
/** Rank of this worker in a distributed run (0-based). */
export const ATTR_GRPO_RANK = 'grpo.rank';
/** Number of workers in a distributed run. */
export const ATTR_GRPO_WORLD_SIZE = 'grpo.world_size';
/** OTel: logical name of the service. */
export const ATTR_SERVICE_NAME = 'service.name';
/** OTel: unique id of the service instance. */
export const ATTR_SERVICE_INSTANCE_ID = 'service.instance.id';
/** OTel GenAI: name of the model requests are made to; here, the policy model being trained. */
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';

// --- Common attributes -----------------------------------------------------------------------------
/** Reward function name; the reserved value `total` is the weighted sum (see REWARD_FUNCTION_TOTAL). */
export const ATTR_GRPO_REWARD_FUNCTION = 'grpo.reward.function';
/** The second reward function of a correlated pair. */
export const ATTR_GRPO_REWARD_OTHER_FUNCTION = 'grpo.reward.other_function';
/** Correlation coefficient: pearson | spearman. */
export const ATTR_GRPO_CORRELATION_METHOD = 'grpo.correlation.method';
/** The seed's logging channel a record belongs to. */
export const ATTR_GRPO_CHANNEL = 'grpo.channel';
/** Trainer's global step. Spans, events and logs only: never a metric attribute. */
export const ATTR_GRPO_STEP = 'grpo.step';
/** Data split: train | validation | test. */
export const ATTR_GRPO_SPLIT = 'grpo.split';
/** OTel: class of error. */
export const ATTR_ERROR_TYPE = 'error.type';
/** Estimator of the KL divergence: k1 | k2 | k3. */
export const ATTR_GRPO_KL_ESTIMATOR = 'grpo.kl.estimator';
/** Format check strictness: strict | lenient. */
export const ATTR_GRPO_FORMAT_MODE = 'grpo.format.mode';
/** The n of distinct-n (n-gram size). */
export const ATTR_GRPO_NGRAM_N = 'grpo.ngram.n';
/** Phase of a training step: generation | reward | reference | ... */
export const ATTR_GRPO_PHASE = 'grpo.phase';
/** Window length (in steps) of a moving statistic. */
export const ATTR_GRPO_WINDOW_SIZE = 'grpo.window.size';
/** Memory pool: rss | v8_heap | tensor. */
export const ATTR_GRPO_MEMORY_POOL = 'grpo.memory.pool';
/** OTel GenAI: token type, input (prompt) | output (completion). */
export const ATTR_GEN_AI_TOKEN_TYPE = 'gen_ai.token.type';
/** OTel: V8 heap space name. */
export const ATTR_V8JS_HEAP_SPACE_NAME = 'v8js.heap.space.name';
/** Name of the validation dataset. */
export const ATTR_GRPO_VALIDATION_DATASET = 'grpo.validation.dataset';

// --- Signals (plateau and collapse detectors) ------------------------------------------------------
export const ATTR_GRPO_SIGNAL_KIND = 'grpo.signal.kind';
export const ATTR_GRPO_SIGNAL_VALUE = 'grpo.signal.value';
export const ATTR_GRPO_SIGNAL_THRESHOLD = 'grpo.signal.threshold';

// --- SDK health ------------------------------------------------------------------------------------
/** Telemetry signal: logs | metrics | traces. */
export const ATTR_GRPO_SDK_SIGNAL = 'grpo.sdk.signal';
/** Why a record was dropped. */
export const ATTR_GRPO_SDK_DROP_REASON = 'grpo.sdk.drop.reason';
/** Why a value was altered before export. */
export const ATTR_GRPO_SDK_SANITIZE_REASON = 'grpo.sdk.sanitize.reason';
/** Which exporter (sink). */
export const ATTR_GRPO_SDK_EXPORTER = 'grpo.sdk.exporter';

// --- Spans -----------------------------------------------------------------------------------------
/** Number of prompts in a step's batch. */
export const ATTR_GRPO_BATCH_SIZE = 'grpo.batch.size';
/** Number of completions sampled per prompt (the GRPO group). */
export const ATTR_GRPO_GROUP_SIZE = 'grpo.group.size';
/** Number of samples a validation run evaluated. */
export const ATTR_GRPO_VALIDATION_SAMPLE_COUNT = 'grpo.validation.sample_count';
/** OTel GenAI: the operation, here `text_completion`. */
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const ATTR_GEN_AI_REQUEST_TEMPERATURE = 'gen_ai.request.temperature';
export const ATTR_GEN_AI_REQUEST_TOP_P = 'gen_ai.request.top_p';
export const ATTR_GEN_AI_REQUEST_MAX_TOKENS = 'gen_ai.request.max_tokens';
export const ATTR_GEN_AI_REQUEST_CHOICE_COUNT = 'gen_ai.request.choice.count';
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';

// --- Samples (model outputs; events and logs only) -------------------------------------------------
export const ATTR_GRPO_SAMPLE_ID = 'grpo.sample.id';
export const ATTR_GRPO_SAMPLE_QUESTION = 'grpo.sample.question';
export const ATTR_GRPO_SAMPLE_EXPECTED_ANSWER = 'grpo.sample.expected_answer';
export const ATTR_GRPO_SAMPLE_ANSWER = 'grpo.sample.answer';
export const ATTR_GRPO_SAMPLE_REASONING = 'grpo.sample.reasoning';
export const ATTR_GRPO_SAMPLE_CORRECT = 'grpo.sample.correct';
export const ATTR_GRPO_SAMPLE_FORMAT_VALID = 'grpo.sample.format_valid';
export const ATTR_GRPO_SAMPLE_REWARD = 'grpo.sample.reward';
/** The full completion text of a sample. */
export const ATTR_GRPO_SAMPLE_COMPLETION = 'grpo.sample.completion';
export const ATTR_GRPO_SAMPLE_COMPLETION_TOKENS = 'grpo.sample.completion_tokens';

// --- Step batch (the raw per-step data a trainer sends for the sink's analyses) ------------------
/** Reward function names of a `grpo.step.batch` event, in the order of its rewards. */
export const ATTR_GRPO_BATCH_REWARD_FUNCTIONS = 'grpo.batch.reward_functions';
/** Rewards of a step's completions, function-major (functions x completions). */
export const ATTR_GRPO_BATCH_REWARDS = 'grpo.batch.rewards';
/** Completion texts of a step, in completion order. */
export const ATTR_GRPO_BATCH_COMPLETIONS = 'grpo.batch.completions';
/** Completion lengths in tokens, in completion order. */
export const ATTR_GRPO_BATCH_COMPLETION_LENGTHS = 'grpo.batch.completion_lengths';
/** Extracted answers of a step's completions, in completion order. */
export const ATTR_GRPO_BATCH_ANSWERS = 'grpo.batch.answers';
/** Expected (reference) answers, in completion order. */
export const ATTR_GRPO_BATCH_EXPECTED_ANSWERS = 'grpo.batch.expected_answers';
/** Questions (prompts) of a step's completions, in completion order (hallucination checks). */
export const ATTR_GRPO_BATCH_QUESTIONS = 'grpo.batch.questions';
/** Reference reasoning steps of every completion, flattened, completion after completion. */
export const ATTR_GRPO_BATCH_REFERENCE_STEPS = 'grpo.batch.reference_steps';
/** Reference reasoning steps per completion in `grpo.batch.reference_steps`. */
export const ATTR_GRPO_BATCH_REFERENCE_STEP_COUNTS = 'grpo.batch.reference_step_counts';
/** Reference reasoning text of each completion's prompt, in completion order. */
export const ATTR_GRPO_BATCH_REFERENCE_REASONING = 'grpo.batch.reference_reasoning';
/** Metrics the trainer records itself: the sink's analyses leave them out, so each series has one source. */
export const ATTR_GRPO_BATCH_REPORTED_METRICS = 'grpo.batch.reported_metrics';
/** Tokens per completion of the per-token arrays (logprobs, ref logprobs, entropies). */
export const ATTR_GRPO_BATCH_TOKEN_COUNTS = 'grpo.batch.token_counts';
/** Policy log-probabilities of the sampled tokens, flattened per token. */
export const ATTR_GRPO_BATCH_LOGPROBS = 'grpo.batch.logprobs';
/** Reference-model log-probabilities of the sampled tokens, flattened per token. */
export const ATTR_GRPO_BATCH_REF_LOGPROBS = 'grpo.batch.ref_logprobs';
/** Per-token entropies of the policy, flattened per token. */
export const ATTR_GRPO_BATCH_ENTROPIES = 'grpo.batch.entropies';
