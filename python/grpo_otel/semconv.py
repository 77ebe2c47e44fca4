# Generated from packages/semconv by `pnpm semconv:python`; do not edit by hand.
# A test (packages/semconv/test/python.test.ts) fails when this file differs from the definitions.
"""GRPO semantic conventions for the Python bridge: metric names, units, instrument kinds, attribute
keys, event names and the TRL/verl/OpenRLHF name mapping, as defined once in @grpo-otel/semconv."""

from typing import Mapping, NamedTuple, Optional, Tuple, Union


class MetricDefinition(NamedTuple):
    """One metric: what an instrument needs, as the TypeScript SDK creates it."""

    name: str
    instrument: str
    unit: str
    description: str
    value_type: str
    attributes: Tuple[str, ...]
    buckets: Optional[Tuple[float, ...]]
    category: str


class KnownNameMapping(NamedTuple):
    """A metric name known from TRL, verl or OpenRLHF; `<func>` in `name` fills the attribute values written so."""

    framework: str
    name: str
    metric: str
    attributes: Mapping[str, Union[str, int, float, bool]]
    scale: float
    cumulative: bool


# --- Attribute keys --------------------------------------------------------------------------------
ATTR_ERROR_TYPE = "error.type"
ATTR_GEN_AI_OPERATION_NAME = "gen_ai.operation.name"
ATTR_GEN_AI_REQUEST_CHOICE_COUNT = "gen_ai.request.choice.count"
ATTR_GEN_AI_REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens"
ATTR_GEN_AI_REQUEST_MODEL = "gen_ai.request.model"
ATTR_GEN_AI_REQUEST_TEMPERATURE = "gen_ai.request.temperature"
ATTR_GEN_AI_REQUEST_TOP_P = "gen_ai.request.top_p"
ATTR_GEN_AI_TOKEN_TYPE = "gen_ai.token.type"
ATTR_GEN_AI_USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens"
ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens"
ATTR_GRPO_BATCH_ANSWERS = "grpo.batch.answers"
ATTR_GRPO_BATCH_COMPLETIONS = "grpo.batch.completions"
ATTR_GRPO_BATCH_COMPLETION_LENGTHS = "grpo.batch.completion_lengths"
ATTR_GRPO_BATCH_ENTROPIES = "grpo.batch.entropies"
ATTR_GRPO_BATCH_EXPECTED_ANSWERS = "grpo.batch.expected_answers"
ATTR_GRPO_BATCH_LOGPROBS = "grpo.batch.logprobs"
ATTR_GRPO_BATCH_QUESTIONS = "grpo.batch.questions"
ATTR_GRPO_BATCH_REFERENCE_REASONING = "grpo.batch.reference_reasoning"
ATTR_GRPO_BATCH_REFERENCE_STEPS = "grpo.batch.reference_steps"
ATTR_GRPO_BATCH_REFERENCE_STEP_COUNTS = "grpo.batch.reference_step_counts"
ATTR_GRPO_BATCH_REF_LOGPROBS = "grpo.batch.ref_logprobs"
ATTR_GRPO_BATCH_REPORTED_METRICS = "grpo.batch.reported_metrics"
ATTR_GRPO_BATCH_REWARDS = "grpo.batch.rewards"
ATTR_GRPO_BATCH_REWARD_FUNCTIONS = "grpo.batch.reward_functions"
ATTR_GRPO_BATCH_SIZE = "grpo.batch.size"
ATTR_GRPO_BATCH_TOKEN_COUNTS = "grpo.batch.token_counts"
ATTR_GRPO_CHANNEL = "grpo.channel"
ATTR_GRPO_CORRELATION_METHOD = "grpo.correlation.method"
ATTR_GRPO_EXPERIMENT_NAME = "grpo.experiment.name"
ATTR_GRPO_FORMAT_MODE = "grpo.format.mode"
ATTR_GRPO_GROUP_SIZE = "grpo.group.size"
ATTR_GRPO_KL_ESTIMATOR = "grpo.kl.estimator"
ATTR_GRPO_MEMORY_POOL = "grpo.memory.pool"
ATTR_GRPO_NGRAM_N = "grpo.ngram.n"
ATTR_GRPO_PHASE = "grpo.phase"
ATTR_GRPO_RANK = "grpo.rank"
ATTR_GRPO_REWARD_FUNCTION = "grpo.reward.function"
ATTR_GRPO_REWARD_OTHER_FUNCTION = "grpo.reward.other_function"
ATTR_GRPO_RUN_ID = "grpo.run.id"
ATTR_GRPO_RUN_NAME = "grpo.run.name"
ATTR_GRPO_SAMPLE_ANSWER = "grpo.sample.answer"
ATTR_GRPO_SAMPLE_COMPLETION = "grpo.sample.completion"
ATTR_GRPO_SAMPLE_COMPLETION_TOKENS = "grpo.sample.completion_tokens"
ATTR_GRPO_SAMPLE_CORRECT = "grpo.sample.correct"
ATTR_GRPO_SAMPLE_EXPECTED_ANSWER = "grpo.sample.expected_answer"
ATTR_GRPO_SAMPLE_FORMAT_VALID = "grpo.sample.format_valid"
ATTR_GRPO_SAMPLE_ID = "grpo.sample.id"
ATTR_GRPO_SAMPLE_QUESTION = "grpo.sample.question"
ATTR_GRPO_SAMPLE_REASONING = "grpo.sample.reasoning"
ATTR_GRPO_SAMPLE_REWARD = "grpo.sample.reward"
ATTR_GRPO_SDK_DROP_REASON = "grpo.sdk.drop.reason"
ATTR_GRPO_SDK_EXPORTER = "grpo.sdk.exporter"
ATTR_GRPO_SDK_SANITIZE_REASON = "grpo.sdk.sanitize.reason"
ATTR_GRPO_SDK_SIGNAL = "grpo.sdk.signal"
ATTR_GRPO_SIGNAL_KIND = "grpo.signal.kind"
ATTR_GRPO_SIGNAL_THRESHOLD = "grpo.signal.threshold"
ATTR_GRPO_SIGNAL_VALUE = "grpo.signal.value"
ATTR_GRPO_SPLIT = "grpo.split"
ATTR_GRPO_STEP = "grpo.step"
ATTR_GRPO_VALIDATION_DATASET = "grpo.validation.dataset"
ATTR_GRPO_VALIDATION_SAMPLE_COUNT = "grpo.validation.sample_count"
ATTR_GRPO_WINDOW_SIZE = "grpo.window.size"
ATTR_GRPO_WORLD_SIZE = "grpo.world_size"
ATTR_SERVICE_INSTANCE_ID = "service.instance.id"
ATTR_SERVICE_NAME = "service.name"
ATTR_V8JS_HEAP_SPACE_NAME = "v8js.heap.space.name"

# --- Attribute values ------------------------------------------------------------------------------
CHANNEL_VALUES = ("training", "model_outputs", "rewards", "whitelist", "metrics", "system")
CORRELATION_METHOD_VALUES = ("pearson", "spearman")
DROP_REASON_VALUES = ("rate_limited", "sampled", "queue_full", "export_failed", "invalid_value", "shutdown", "timeout", "sink_unavailable", "process_exit")
EXPORTER_VALUES = ("console", "file", "csv", "tensorboard", "otlp")
FORMAT_MODE_VALUES = ("strict", "lenient")
KL_ESTIMATOR_VALUES = ("k1", "k2", "k3")
MEMORY_POOL_VALUES = ("rss", "v8_heap", "tensor")
PHASE_VALUES = ("generation", "reward", "reference", "old_logprob", "advantage", "update", "validation", "checkpoint")
REWARD_FUNCTION_TOTAL = "total"
SANITIZE_REASON_VALUES = ("truncated", "formula_escaped", "control_characters", "coerced", "redacted")
SIGNAL_KIND_VALUES = ("reward_plateau", "validation_plateau", "entropy_collapse", "diversity_collapse", "length_collapse", "format_collapse", "kl_explosion", "zero_variance")
SPLIT_VALUES = ("train", "validation", "test")
TELEMETRY_SIGNAL_VALUES = ("logs", "metrics", "traces")
TOKEN_TYPE_VALUES = ("input", "output")
VALIDATION_ERROR_TYPE_VALUES = ("wrong_answer", "no_answer", "format_error", "incomplete_reasoning", "empty", "exception", "timeout")

# --- Event names -----------------------------------------------------------------------------------
EVENT_GRPO_MODEL_OUTPUT = "grpo.model_output"
EVENT_GRPO_SIGNAL_TRIGGERED = "grpo.signal.triggered"
EVENT_GRPO_STEP_BATCH = "grpo.step.batch"
EVENT_GRPO_VALIDATION_SAMPLE = "grpo.validation.sample"

# --- Metrics (the TypeScript handle in UPPER_SNAKE: METRICS.rewardMean -> REWARD_MEAN) -------------
REWARD_VALUE = MetricDefinition(
    name="grpo.reward.value",
    instrument="histogram",
    unit="{reward}",
    description="Reward given to each completion.",
    value_type="double",
    attributes=("grpo.reward.function", "grpo.split"),
    buckets=(-1, -0.5, -0.25, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.5, 2, 2.5, 3, 4, 5),
    category="rewards",
)
REWARD_MEAN = MetricDefinition(
    name="grpo.reward.mean",
    instrument="gauge",
    unit="{reward}",
    description="Mean reward over the step's completions.",
    value_type="double",
    attributes=("grpo.reward.function", "grpo.split"),
    buckets=None,
    category="rewards",
)
REWARD_STD = MetricDefinition(
    name="grpo.reward.std",
    instrument="gauge",
    unit="{reward}",
    description="Standard deviation of the reward over all of the step's completions (batch level).",
    value_type="double",
    attributes=("grpo.reward.function", "grpo.split"),
    buckets=None,
    category="rewards",
)
REWARD_MIN = MetricDefinition(
    name="grpo.reward.min",
    instrument="gauge",
    unit="{reward}",
    description="Smallest reward among the step's completions.",
    value_type="double",
    attributes=("grpo.reward.function", "grpo.split"),
    buckets=None,
    category="rewards",
)
REWARD_MAX = MetricDefinition(
    name="grpo.reward.max",
    instrument="gauge",
    unit="{reward}",
    description="Largest reward among the step's completions.",
    value_type="double",
    attributes=("grpo.reward.function", "grpo.split"),
    buckets=None,
    category="rewards",
)
REWARD_MEDIAN = MetricDefinition(
    name="grpo.reward.median",
    instrument="gauge",
    unit="{reward}",
    description="Median reward over the step's completions.",
    value_type="double",
    attributes=("grpo.reward.function", "grpo.split"),
    buckets=None,
    category="rewards",
)
REWARD_MOVING_AVERAGE = MetricDefinition(
    name="grpo.reward.moving_average",
    instrument="gauge",
    unit="{reward}",
    description="Mean of the per-step mean rewards over the last `grpo.window.size` steps (default 100).",
    value_type="double",
    attributes=("grpo.reward.function", "grpo.split", "grpo.window.size"),
    buckets=None,
    category="rewards",
)
REWARD_CORRELATION = MetricDefinition(
    name="grpo.reward.correlation",
    instrument="gauge",
    unit="{coefficient}",
    description="Correlation, in [-1, 1], between two reward functions over the step's completions.",
    value_type="double",
    attributes=("grpo.reward.function", "grpo.reward.other_function", "grpo.correlation.method", "grpo.split"),
    buckets=None,
    category="rewards",
)
REWARD_GROUP_STD = MetricDefinition(
    name="grpo.reward.group_std",
    instrument="histogram",
    unit="{reward}",
    description="Standard deviation of the reward within each group (completions of one prompt).",
    value_type="double",
    attributes=("grpo.reward.function", "grpo.split"),
    buckets=(0, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2),
    category="rewards",
)
REWARD_MEAN_GROUP_STD = MetricDefinition(
    name="grpo.reward.mean_group_std",
    instrument="gauge",
    unit="{reward}",
    description="Mean over groups of the within-group reward standard deviation.",
    value_type="double",
    attributes=("grpo.reward.function", "grpo.split"),
    buckets=None,
    category="rewards",
)
REWARD_ZERO_STD_RATIO = MetricDefinition(
    name="grpo.reward.zero_std_ratio",
    instrument="gauge",
    unit="1",
    description="Fraction of groups whose completions all received the same reward.",
    value_type="double",
    attributes=("grpo.reward.function", "grpo.split"),
    buckets=None,
    category="rewards",
)
REWARD_KL_PENALIZED_MEAN = MetricDefinition(
    name="grpo.reward.kl_penalized.mean",
    instrument="gauge",
    unit="{reward}",
    description="Mean sequence reward after subtracting the in-reward KL penalty (reward - beta * KL).",
    value_type="double",
    attributes=(),
    buckets=None,
    category="rewards",
)
ADVANTAGE_VALUE = MetricDefinition(
    name="grpo.advantage.value",
    instrument="histogram",
    unit="{advantage}",
    description="Group-relative advantage of each completion.",
    value_type="double",
    attributes=(),
    buckets=(-3, -2, -1.5, -1, -0.5, -0.25, 0, 0.25, 0.5, 1, 1.5, 2, 3),
    category="rewards",
)
ADVANTAGE_MEAN = MetricDefinition(
    name="grpo.advantage.mean",
    instrument="gauge",
    unit="{advantage}",
    description="Mean advantage over the step's completions (close to 0 by construction).",
    value_type="double",
    attributes=(),
    buckets=None,
    category="rewards",
)
ADVANTAGE_STD = MetricDefinition(
    name="grpo.advantage.std",
    instrument="gauge",
    unit="{advantage}",
    description="Standard deviation of the advantages over the step's completions.",
    value_type="double",
    attributes=(),
    buckets=None,
    category="rewards",
)
ADVANTAGE_MIN = MetricDefinition(
    name="grpo.advantage.min",
    instrument="gauge",
    unit="{advantage}",
    description="Smallest advantage among the step's completions.",
    value_type="double",
    attributes=(),
    buckets=None,
    category="rewards",
)
ADVANTAGE_MAX = MetricDefinition(
    name="grpo.advantage.max",
    instrument="gauge",
    unit="{advantage}",
    description="Largest advantage among the step's completions.",
    value_type="double",
    attributes=(),
    buckets=None,
    category="rewards",
)
POLICY_ENTROPY = MetricDefinition(
    name="grpo.policy.entropy",
    instrument="gauge",
    unit="{nat}",
    description="Mean per-token entropy of the policy's next-token distribution over completion tokens.",
    value_type="double",
    attributes=(),
    buckets=None,
    category="policy",
)
POLICY_KL = MetricDefinition(
    name="grpo.policy.kl",
    instrument="gauge",
    unit="{nat}",
    description="Mean per-token KL divergence of the policy from the reference model.",
    value_type="double",
    attributes=("grpo.kl.estimator",),
    buckets=None,
    category="policy",
)
POLICY_UPDATE_KL = MetricDefinition(
    name="grpo.policy.update_kl",
    instrument="gauge",
    unit="{nat}",
    description="Mean per-token KL between the sampling (old) policy and the policy being optimised.",
    value_type="double",
    attributes=("grpo.kl.estimator",),
    buckets=None,
    category="policy",
)
POLICY_KL_COEFFICIENT = MetricDefinition(
    name="grpo.policy.kl_coefficient",
    instrument="gauge",
    unit="{coefficient}",
    description="Weight (beta) of the KL term, which adaptive KL controllers change during training.",
    value_type="double",
    attributes=(),
    buckets=None,
    category="policy",
)
POLICY_CLIP_LOW_RATIO = MetricDefinition(
    name="grpo.policy.clip.low_ratio",
    instrument="gauge",
    unit="1",
    description="Fraction of completion tokens clipped at the lower bound (ratio < 1 - epsilon, negative advantage).",
    value_type="double",
    attributes=(),
    buckets=None,
    category="policy",
)
POLICY_CLIP_HIGH_RATIO = MetricDefinition(
    name="grpo.policy.clip.high_ratio",
    instrument="gauge",
    unit="1",
    description="Fraction of completion tokens clipped at the upper bound (ratio > 1 + epsilon, positive advantage).",
    value_type="double",
    attributes=(),
    buckets=None,
    category="policy",
)
POLICY_CLIP_REGION_RATIO = MetricDefinition(
    name="grpo.policy.clip.region_ratio",
    instrument="gauge",
    unit="1",
    description="Fraction of completion tokens clipped at either bound.",
    value_type="double",
    attributes=(),
    buckets=None,
    category="policy",
)
POLICY_LOSS = MetricDefinition(
    name="grpo.policy.loss",
    instrument="gauge",
    unit="{loss}",
    description="Loss optimised in the step, averaged over its micro-batches.",
    value_type="double",
    attributes=(),
    buckets=None,
    category="policy",
)
POLICY_GRAD_NORM = MetricDefinition(
    name="grpo.policy.grad_norm",
    instrument="gauge",
    unit="{norm}",
    description="Global L2 norm of the gradient before clipping.",
    value_type="double",
    attributes=(),
    buckets=None,
    category="policy",
)
POLICY_LEARNING_RATE = MetricDefinition(
    name="grpo.policy.learning_rate",
    instrument="gauge",
    unit="{learning_rate}",
    description="Optimiser learning rate used in the step (after the scheduler's update).",
    value_type="double",
    attributes=(),
    buckets=None,
    category="policy",
)
COMPLETION_LENGTH = MetricDefinition(
    name="grpo.completion.length",
    instrument="histogram",
    unit="{token}",
    description="Length of each completion in tokens.",
    value_type="int",
    attributes=("grpo.split",),
    buckets=(4, 8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096, 8192),
    category="completions",
)
COMPLETION_MEAN_LENGTH = MetricDefinition(
    name="grpo.completion.mean_length",
    instrument="gauge",
    unit="{token}",
    description="Mean completion length in tokens over the step's completions.",
    value_type="double",
    attributes=("grpo.split",),
    buckets=None,
    category="completions",
)
COMPLETION_MIN_LENGTH = MetricDefinition(
    name="grpo.completion.min_length",
    instrument="gauge",
    unit="{token}",
    description="Shortest completion of the step, in tokens.",
    value_type="int",
    attributes=("grpo.split",),
    buckets=None,
    category="completions",
)
COMPLETION_MAX_LENGTH = MetricDefinition(
    name="grpo.completion.max_length",
    instrument="gauge",
    unit="{token}",
    description="Longest completion of the step, in tokens.",
    value_type="int",
    attributes=("grpo.split",),
    buckets=None,
    category="completions",
)
COMPLETION_MEAN_TERMINATED_LENGTH = MetricDefinition(
    name="grpo.completion.mean_terminated_length",
    instrument="gauge",
    unit="{token}",
    description="Mean length, in tokens, of the completions that ended by themselves (not truncated).",
    value_type="double",
    attributes=("grpo.split",),
    buckets=None,
    category="completions",
)
COMPLETION_MIN_TERMINATED_LENGTH = MetricDefinition(
    name="grpo.completion.min_terminated_length",
    instrument="gauge",
    unit="{token}",
    description="Shortest completion that ended by itself, in tokens.",
    value_type="int",
    attributes=("grpo.split",),
    buckets=None,
    category="completions",
)
COMPLETION_MAX_TERMINATED_LENGTH = MetricDefinition(
    name="grpo.completion.max_terminated_length",
    instrument="gauge",
    unit="{token}",
    description="Longest completion that ended by itself, in tokens.",
    value_type="int",
    attributes=("grpo.split",),
    buckets=None,
    category="completions",
)
COMPLETION_CHAR_LENGTH = MetricDefinition(
    name="grpo.completion.char_length",
    instrument="histogram",
    unit="{char}",
    description="Length of each completion in characters (UTF-16 code units of the decoded text).",
    value_type="int",
    attributes=("grpo.split",),
    buckets=(16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768),
    category="completions",
)
COMPLETION_MEAN_CHAR_LENGTH = MetricDefinition(
    name="grpo.completion.mean_char_length",
    instrument="gauge",
    unit="{char}",
    description="Mean completion length in characters over the step's completions.",
    value_type="double",
    attributes=("grpo.split",),
    buckets=None,
    category="completions",
)
COMPLETION_CLIPPED_RATIO = MetricDefinition(
    name="grpo.completion.clipped_ratio",
    instrument="gauge",
    unit="1",
    description="Fraction of completions truncated at the maximum completion length.",
    value_type="double",
    attributes=("grpo.split",),
    buckets=None,
    category="completions",
)
COMPLETION_FORMAT_ADHERENCE = MetricDefinition(
    name="grpo.completion.format_adherence",
    instrument="gauge",
    unit="1",
    description="Fraction of completions with the expected `<reasoning>` + `<answer>` XML structure.",
    value_type="double",
    attributes=("grpo.format.mode", "grpo.split"),
    buckets=None,
    category="completions",
)
COMPLETION_REASONING_ANSWER_RATIO = MetricDefinition(
    name="grpo.completion.reasoning_answer_ratio",
    instrument="gauge",
    unit="1",
    description="Mean ratio of reasoning tokens to answer tokens, over well-formed completions.",
    value_type="double",
    attributes=("grpo.split",),
    buckets=None,
    category="completions",
)
COMPLETION_DISTINCT_NGRAM_RATIO = MetricDefinition(
    name="grpo.completion.distinct_ngram_ratio",
    instrument="gauge",
    unit="1",
    description="Distinct-n: unique n-grams divided by all n-grams over the step's completions.",
    value_type="double",
    attributes=("grpo.ngram.n", "grpo.split"),
    buckets=None,
    category="completions",
)
COMPLETION_REPETITION_RATIO = MetricDefinition(
    name="grpo.completion.repetition_ratio",
    instrument="gauge",
    unit="1",
    description="Mean fraction of n-grams in a completion that repeat an earlier n-gram of the same completion.",
    value_type="double",
    attributes=("grpo.ngram.n", "grpo.split"),
    buckets=None,
    category="completions",
)
COMPLETION_DUPLICATE_RATIO = MetricDefinition(
    name="grpo.completion.duplicate_ratio",
    instrument="gauge",
    unit="1",
    description="Fraction of completions identical to another completion of the same group.",
    value_type="double",
    attributes=("grpo.split",),
    buckets=None,
    category="completions",
)
PROMPT_MEAN_LENGTH = MetricDefinition(
    name="grpo.prompt.mean_length",
    instrument="gauge",
    unit="{token}",
    description="Mean prompt length in tokens over the step's prompts.",
    value_type="double",
    attributes=("grpo.split",),
    buckets=None,
    category="completions",
)
SEQUENCE_MEAN_LENGTH = MetricDefinition(
    name="grpo.sequence.mean_length",
    instrument="gauge",
    unit="{token}",
    description="Mean length of prompt plus completion, in tokens.",
    value_type="double",
    attributes=("grpo.split",),
    buckets=None,
    category="completions",
)
TASK_ACCURACY = MetricDefinition(
    name="grpo.task.accuracy",
    instrument="gauge",
    unit="1",
    description="Fraction of the step's training completions whose extracted answer is correct.",
    value_type="double",
    attributes=(),
    buckets=None,
    category="task",
)
TASK_ANSWER_EXTRACTED_RATIO = MetricDefinition(
    name="grpo.task.answer_extracted_ratio",
    instrument="gauge",
    unit="1",
    description="Fraction of completions from which an answer could be extracted at all.",
    value_type="double",
    attributes=("grpo.split",),
    buckets=None,
    category="task",
)
TASK_REASONING_COMPLETENESS = MetricDefinition(
    name="grpo.task.reasoning_completeness",
    instrument="gauge",
    unit="1",
    description="Mean fraction of the required reasoning steps present in the reasoning section.",
    value_type="double",
    attributes=("grpo.split",),
    buckets=None,
    category="task",
)
TASK_HALLUCINATION_RATIO = MetricDefinition(
    name="grpo.task.hallucination_ratio",
    instrument="gauge",
    unit="1",
    description="Fraction of reasoning statements not supported by the problem or the reference solution.",
    value_type="double",
    attributes=("grpo.split",),
    buckets=None,
    category="task",
)
VALIDATION_ACCURACY = MetricDefinition(
    name="grpo.validation.accuracy",
    instrument="gauge",
    unit="1",
    description="Fraction of validation samples answered correctly (zero-shot, greedy or as configured).",
    value_type="double",
    attributes=("grpo.validation.dataset",),
    buckets=None,
    category="validation",
)
VALIDATION_GENERALIZATION_GAP = MetricDefinition(
    name="grpo.validation.generalization_gap",
    instrument="gauge",
    unit="1",
    description="Training accuracy minus validation accuracy at the time of the validation run.",
    value_type="double",
    attributes=("grpo.validation.dataset",),
    buckets=None,
    category="validation",
)
VALIDATION_DURATION = MetricDefinition(
    name="grpo.validation.duration",
    instrument="histogram",
    unit="s",
    description="Wall-clock duration of a validation run.",
    value_type="double",
    attributes=("grpo.validation.dataset",),
    buckets=(0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600),
    category="validation",
)
VALIDATION_SAMPLES = MetricDefinition(
    name="grpo.validation.samples",
    instrument="counter",
    unit="{sample}",
    description="Validation samples evaluated.",
    value_type="int",
    attributes=("grpo.validation.dataset",),
    buckets=None,
    category="validation",
)
VALIDATION_ERRORS = MetricDefinition(
    name="grpo.validation.errors",
    instrument="counter",
    unit="{error}",
    description="Validation samples answered wrongly or not at all, by error type.",
    value_type="int",
    attributes=("error.type", "grpo.validation.dataset"),
    buckets=None,
    category="validation",
)
VALIDATION_TIMEOUTS = MetricDefinition(
    name="grpo.validation.timeouts",
    instrument="counter",
    unit="{timeout}",
    description="Validation samples abandoned because generation or scoring exceeded its time limit.",
    value_type="int",
    attributes=("grpo.validation.dataset",),
    buckets=None,
    category="validation",
)
TRAINING_STEPS = MetricDefinition(
    name="grpo.training.steps",
    instrument="counter",
    unit="{step}",
    description="Optimisation steps completed.",
    value_type="int",
    attributes=(),
    buckets=None,
    category="progress",
)
TRAINING_CURRENT_STEP = MetricDefinition(
    name="grpo.training.current_step",
    instrument="gauge",
    unit="{step}",
    description="The trainer's global step.",
    value_type="int",
    attributes=(),
    buckets=None,
    category="progress",
)
TRAINING_EPOCH = MetricDefinition(
    name="grpo.training.epoch",
    instrument="gauge",
    unit="{epoch}",
    description="Fractional epoch over the training prompts.",
    value_type="double",
    attributes=(),
    buckets=None,
    category="progress",
)
TRAINING_SAMPLES = MetricDefinition(
    name="grpo.training.samples",
    instrument="counter",
    unit="{sample}",
    description="Completions generated and scored (prompts times group size).",
    value_type="int",
    attributes=(),
    buckets=None,
    category="progress",
)
TRAINING_TOKENS = MetricDefinition(
    name="grpo.training.tokens",
    instrument="counter",
    unit="{token}",
    description="Tokens processed, prompt (`input`) and completion (`output`).",
    value_type="int",
    attributes=("gen_ai.token.type",),
    buckets=None,
    category="progress",
)
STEP_DURATION = MetricDefinition(
    name="grpo.step.duration",
    instrument="histogram",
    unit="s",
    description="Wall-clock duration of a training step, generation to optimiser update.",
    value_type="double",
    attributes=(),
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800),
    category="progress",
)
PHASE_DURATION = MetricDefinition(
    name="grpo.phase.duration",
    instrument="histogram",
    unit="s",
    description="Wall-clock duration of one phase of a training step.",
    value_type="double",
    attributes=("grpo.phase",),
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
    category="progress",
)
THROUGHPUT_SAMPLES = MetricDefinition(
    name="grpo.throughput.samples",
    instrument="gauge",
    unit="{sample}/s",
    description="Completions processed per second of wall-clock time in the last step.",
    value_type="double",
    attributes=(),
    buckets=None,
    category="progress",
)
THROUGHPUT_TOKENS = MetricDefinition(
    name="grpo.throughput.tokens",
    instrument="gauge",
    unit="{token}/s",
    description="Tokens processed per second of wall-clock time in the last step.",
    value_type="double",
    attributes=("gen_ai.token.type",),
    buckets=None,
    category="progress",
)
PROCESS_MEMORY_USAGE = MetricDefinition(
    name="process.memory.usage",
    instrument="observable_updowncounter",
    unit="By",
    description="The amount of physical memory in use (resident set size).",
    value_type="int",
    attributes=(),
    buckets=None,
    category="resources",
)
V8JS_MEMORY_HEAP_USED = MetricDefinition(
    name="v8js.memory.heap.used",
    instrument="observable_updowncounter",
    unit="By",
    description="Heap memory size allocated, per V8 heap space.",
    value_type="int",
    attributes=("v8js.heap.space.name",),
    buckets=None,
    category="resources",
)
V8JS_MEMORY_HEAP_LIMIT = MetricDefinition(
    name="v8js.memory.heap.limit",
    instrument="observable_updowncounter",
    unit="By",
    description="Total heap memory size pre-allocated, per V8 heap space.",
    value_type="int",
    attributes=("v8js.heap.space.name",),
    buckets=None,
    category="resources",
)
NODEJS_EVENTLOOP_UTILIZATION = MetricDefinition(
    name="nodejs.eventloop.utilization",
    instrument="observable_gauge",
    unit="1",
    description="Event loop utilization.",
    value_type="double",
    attributes=(),
    buckets=None,
    category="resources",
)
MEMORY_PEAK_USAGE = MetricDefinition(
    name="grpo.memory.peak_usage",
    instrument="observable_gauge",
    unit="By",
    description="Highest memory use since the process started, per pool.",
    value_type="int",
    attributes=("grpo.memory.pool",),
    buckets=None,
    category="resources",
)
TFJS_MEMORY_USAGE = MetricDefinition(
    name="grpo.tfjs.memory.usage",
    instrument="observable_updowncounter",
    unit="By",
    description="Bytes held by TensorFlow.js tensors (`tf.memory().numBytes`).",
    value_type="int",
    attributes=(),
    buckets=None,
    category="resources",
)
TFJS_TENSOR_COUNT = MetricDefinition(
    name="grpo.tfjs.tensor.count",
    instrument="observable_updowncounter",
    unit="{tensor}",
    description="Live TensorFlow.js tensors (`tf.memory().numTensors`).",
    value_type="int",
    attributes=(),
    buckets=None,
    category="resources",
)
EFFICIENCY_REWARD_GAIN = MetricDefinition(
    name="grpo.efficiency.reward_gain",
    instrument="gauge",
    unit="{reward}/h",
    description="Improvement of the moving-average total reward since the start of the run, per hour of training.",
    value_type="double",
    attributes=(),
    buckets=None,
    category="resources",
)
EFFICIENCY_CPU_REWARD_GAIN = MetricDefinition(
    name="grpo.efficiency.cpu_reward_gain",
    instrument="gauge",
    unit="{reward}/s",
    description="Improvement of the moving-average total reward since the start of the run, per CPU-second the training process used.",
    value_type="double",
    attributes=(),
    buckets=None,
    category="resources",
)
EFFICIENCY_TOKEN_COST = MetricDefinition(
    name="grpo.efficiency.token_cost",
    instrument="gauge",
    unit="{token}/{reward}",
    description="Tokens processed since the start of the run per unit of moving-average total reward gained.",
    value_type="double",
    attributes=(),
    buckets=None,
    category="resources",
)
SDK_RECORD_DROPPED = MetricDefinition(
    name="grpo.sdk.record.dropped",
    instrument="counter",
    unit="{record}",
    description="Telemetry records (log records, measurements, spans) the SDK dropped instead of exporting.",
    value_type="int",
    attributes=("grpo.sdk.signal", "grpo.sdk.drop.reason", "grpo.sdk.exporter"),
    buckets=None,
    category="health",
)
SDK_RECORD_EXPORTED = MetricDefinition(
    name="grpo.sdk.record.exported",
    instrument="counter",
    unit="{record}",
    description="Telemetry records successfully handed to an exporter (sink).",
    value_type="int",
    attributes=("grpo.sdk.signal", "grpo.sdk.exporter"),
    buckets=None,
    category="health",
)
SDK_VALUE_SANITIZED = MetricDefinition(
    name="grpo.sdk.value.sanitized",
    instrument="counter",
    unit="{value}",
    description="Values the SDK altered (truncated, escaped, replaced) so that they could be exported safely.",
    value_type="int",
    attributes=("grpo.sdk.signal", "grpo.sdk.sanitize.reason"),
    buckets=None,
    category="health",
)
SDK_EXPORT_ERRORS = MetricDefinition(
    name="grpo.sdk.export.errors",
    instrument="counter",
    unit="{error}",
    description="Failed export attempts (batches), including ones later retried successfully.",
    value_type="int",
    attributes=("grpo.sdk.signal", "grpo.sdk.exporter", "error.type"),
    buckets=None,
    category="health",
)
SDK_QUEUE_SIZE = MetricDefinition(
    name="grpo.sdk.queue.size",
    instrument="observable_updowncounter",
    unit="{record}",
    description="Records waiting in a bounded export queue.",
    value_type="int",
    attributes=("grpo.sdk.signal", "grpo.sdk.exporter"),
    buckets=None,
    category="health",
)
SDK_QUEUE_CAPACITY = MetricDefinition(
    name="grpo.sdk.queue.capacity",
    instrument="observable_updowncounter",
    unit="{record}",
    description="Capacity of a bounded export queue; records beyond it are dropped (`queue_full`).",
    value_type="int",
    attributes=("grpo.sdk.signal", "grpo.sdk.exporter"),
    buckets=None,
    category="health",
)
SIGNAL_ACTIVE = MetricDefinition(
    name="grpo.signal.active",
    instrument="gauge",
    unit="{signal}",
    description="1 while a detector's condition holds, 0 otherwise.",
    value_type="int",
    attributes=("grpo.signal.kind", "grpo.reward.function"),
    buckets=None,
    category="signals",
)
SIGNAL_ACTIVATIONS = MetricDefinition(
    name="grpo.signal.activations",
    instrument="counter",
    unit="{activation}",
    description="Times a detector switched from inactive to active.",
    value_type="int",
    attributes=("grpo.signal.kind", "grpo.reward.function"),
    buckets=None,
    category="signals",
)

# Every metric definition by its OpenTelemetry name.
METRICS: Mapping[str, MetricDefinition] = {
    REWARD_VALUE.name: REWARD_VALUE,
    REWARD_MEAN.name: REWARD_MEAN,
    REWARD_STD.name: REWARD_STD,
    REWARD_MIN.name: REWARD_MIN,
    REWARD_MAX.name: REWARD_MAX,
    REWARD_MEDIAN.name: REWARD_MEDIAN,
    REWARD_MOVING_AVERAGE.name: REWARD_MOVING_AVERAGE,
    REWARD_CORRELATION.name: REWARD_CORRELATION,
    REWARD_GROUP_STD.name: REWARD_GROUP_STD,
    REWARD_MEAN_GROUP_STD.name: REWARD_MEAN_GROUP_STD,
    REWARD_ZERO_STD_RATIO.name: REWARD_ZERO_STD_RATIO,
    REWARD_KL_PENALIZED_MEAN.name: REWARD_KL_PENALIZED_MEAN,
    ADVANTAGE_VALUE.name: ADVANTAGE_VALUE,
    ADVANTAGE_MEAN.name: ADVANTAGE_MEAN,
    ADVANTAGE_STD.name: ADVANTAGE_STD,
    ADVANTAGE_MIN.name: ADVANTAGE_MIN,
    ADVANTAGE_MAX.name: ADVANTAGE_MAX,
    POLICY_ENTROPY.name: POLICY_ENTROPY,
    POLICY_KL.name: POLICY_KL,
    POLICY_UPDATE_KL.name: POLICY_UPDATE_KL,
    POLICY_KL_COEFFICIENT.name: POLICY_KL_COEFFICIENT,
    POLICY_CLIP_LOW_RATIO.name: POLICY_CLIP_LOW_RATIO,
    POLICY_CLIP_HIGH_RATIO.name: POLICY_CLIP_HIGH_RATIO,
    POLICY_CLIP_REGION_RATIO.name: POLICY_CLIP_REGION_RATIO,
    POLICY_LOSS.name: POLICY_LOSS,
    POLICY_GRAD_NORM.name: POLICY_GRAD_NORM,
    POLICY_LEARNING_RATE.name: POLICY_LEARNING_RATE,
    COMPLETION_LENGTH.name: COMPLETION_LENGTH,
    COMPLETION_MEAN_LENGTH.name: COMPLETION_MEAN_LENGTH,
    COMPLETION_MIN_LENGTH.name: COMPLETION_MIN_LENGTH,
    COMPLETION_MAX_LENGTH.name: COMPLETION_MAX_LENGTH,
    COMPLETION_MEAN_TERMINATED_LENGTH.name: COMPLETION_MEAN_TERMINATED_LENGTH,
    COMPLETION_MIN_TERMINATED_LENGTH.name: COMPLETION_MIN_TERMINATED_LENGTH,
    COMPLETION_MAX_TERMINATED_LENGTH.name: COMPLETION_MAX_TERMINATED_LENGTH,
    COMPLETION_CHAR_LENGTH.name: COMPLETION_CHAR_LENGTH,
    COMPLETION_MEAN_CHAR_LENGTH.name: COMPLETION_MEAN_CHAR_LENGTH,
    COMPLETION_CLIPPED_RATIO.name: COMPLETION_CLIPPED_RATIO,
    COMPLETION_FORMAT_ADHERENCE.name: COMPLETION_FORMAT_ADHERENCE,
    COMPLETION_REASONING_ANSWER_RATIO.name: COMPLETION_REASONING_ANSWER_RATIO,
    COMPLETION_DISTINCT_NGRAM_RATIO.name: COMPLETION_DISTINCT_NGRAM_RATIO,
    COMPLETION_REPETITION_RATIO.name: COMPLETION_REPETITION_RATIO,
    COMPLETION_DUPLICATE_RATIO.name: COMPLETION_DUPLICATE_RATIO,
    PROMPT_MEAN_LENGTH.name: PROMPT_MEAN_LENGTH,
    SEQUENCE_MEAN_LENGTH.name: SEQUENCE_MEAN_LENGTH,
    TASK_ACCURACY.name: TASK_ACCURACY,
    TASK_ANSWER_EXTRACTED_RATIO.name: TASK_ANSWER_EXTRACTED_RATIO,
    TASK_REASONING_COMPLETENESS.name: TASK_REASONING_COMPLETENESS,
    TASK_HALLUCINATION_RATIO.name: TASK_HALLUCINATION_RATIO,
    VALIDATION_ACCURACY.name: VALIDATION_ACCURACY,
    VALIDATION_GENERALIZATION_GAP.name: VALIDATION_GENERALIZATION_GAP,
    VALIDATION_DURATION.name: VALIDATION_DURATION,
    VALIDATION_SAMPLES.name: VALIDATION_SAMPLES,
    VALIDATION_ERRORS.name: VALIDATION_ERRORS,
    VALIDATION_TIMEOUTS.name: VALIDATION_TIMEOUTS,
    TRAINING_STEPS.name: TRAINING_STEPS,
    TRAINING_CURRENT_STEP.name: TRAINING_CURRENT_STEP,
    TRAINING_EPOCH.name: TRAINING_EPOCH,
    TRAINING_SAMPLES.name: TRAINING_SAMPLES,
    TRAINING_TOKENS.name: TRAINING_TOKENS,
    STEP_DURATION.name: STEP_DURATION,
    PHASE_DURATION.name: PHASE_DURATION,
    THROUGHPUT_SAMPLES.name: THROUGHPUT_SAMPLES,
    THROUGHPUT_TOKENS.name: THROUGHPUT_TOKENS,
    PROCESS_MEMORY_USAGE.name: PROCESS_MEMORY_USAGE,
    V8JS_MEMORY_HEAP_USED.name: V8JS_MEMORY_HEAP_USED,
    V8JS_MEMORY_HEAP_LIMIT.name: V8JS_MEMORY_HEAP_LIMIT,
    NODEJS_EVENTLOOP_UTILIZATION.name: NODEJS_EVENTLOOP_UTILIZATION,
    MEMORY_PEAK_USAGE.name: MEMORY_PEAK_USAGE,
    TFJS_MEMORY_USAGE.name: TFJS_MEMORY_USAGE,
    TFJS_TENSOR_COUNT.name: TFJS_TENSOR_COUNT,
    EFFICIENCY_REWARD_GAIN.name: EFFICIENCY_REWARD_GAIN,
    EFFICIENCY_CPU_REWARD_GAIN.name: EFFICIENCY_CPU_REWARD_GAIN,
    EFFICIENCY_TOKEN_COST.name: EFFICIENCY_TOKEN_COST,
    SDK_RECORD_DROPPED.name: SDK_RECORD_DROPPED,
    SDK_RECORD_EXPORTED.name: SDK_RECORD_EXPORTED,
    SDK_VALUE_SANITIZED.name: SDK_VALUE_SANITIZED,
    SDK_EXPORT_ERRORS.name: SDK_EXPORT_ERRORS,
    SDK_QUEUE_SIZE.name: SDK_QUEUE_SIZE,
    SDK_QUEUE_CAPACITY.name: SDK_QUEUE_CAPACITY,
    SIGNAL_ACTIVE.name: SIGNAL_ACTIVE,
    SIGNAL_ACTIVATIONS.name: SIGNAL_ACTIVATIONS,
}

# --- Known names of TRL, verl and OpenRLHF ----------------------------------------------------------
FRAMEWORKS = ("trl", "verl", "openrlhf")
# Logging prefixes that say which split a value belongs to.
SPLIT_PREFIXES = (("train/", "train"), ("eval/", "validation"), ("eval_", "validation"))
KNOWN_NAME_MAPPINGS: Tuple[KnownNameMapping, ...] = (
    KnownNameMapping("trl", "rewards/<func>/mean", "grpo.reward.mean", {"grpo.reward.function": "<func>"}, 1, False),
    KnownNameMapping("trl", "rewards/<func>/std", "grpo.reward.std", {"grpo.reward.function": "<func>"}, 1, False),
    KnownNameMapping("trl", "rewards/<func>", "grpo.reward.mean", {"grpo.reward.function": "<func>"}, 1, False),
    KnownNameMapping("trl", "reward", "grpo.reward.mean", {"grpo.reward.function": "total"}, 1, False),
    KnownNameMapping("trl", "reward_std", "grpo.reward.mean_group_std", {"grpo.reward.function": "total"}, 1, False),
    KnownNameMapping("trl", "frac_reward_zero_std", "grpo.reward.zero_std_ratio", {"grpo.reward.function": "total"}, 1, False),
    KnownNameMapping("trl", "completions/mean_length", "grpo.completion.mean_length", {}, 1, False),
    KnownNameMapping("trl", "completions/min_length", "grpo.completion.min_length", {}, 1, False),
    KnownNameMapping("trl", "completions/max_length", "grpo.completion.max_length", {}, 1, False),
    KnownNameMapping("trl", "completions/clipped_ratio", "grpo.completion.clipped_ratio", {}, 1, False),
    KnownNameMapping("trl", "completions/mean_terminated_length", "grpo.completion.mean_terminated_length", {}, 1, False),
    KnownNameMapping("trl", "completions/min_terminated_length", "grpo.completion.min_terminated_length", {}, 1, False),
    KnownNameMapping("trl", "completions/max_terminated_length", "grpo.completion.max_terminated_length", {}, 1, False),
    KnownNameMapping("trl", "kl", "grpo.policy.kl", {"grpo.kl.estimator": "k3"}, 1, False),
    KnownNameMapping("trl", "entropy", "grpo.policy.entropy", {}, 1, False),
    KnownNameMapping("trl", "clip_ratio/low_mean", "grpo.policy.clip.low_ratio", {}, 1, False),
    KnownNameMapping("trl", "clip_ratio/high_mean", "grpo.policy.clip.high_ratio", {}, 1, False),
    KnownNameMapping("trl", "clip_ratio/region_mean", "grpo.policy.clip.region_ratio", {}, 1, False),
    KnownNameMapping("trl", "loss", "grpo.policy.loss", {}, 1, False),
    KnownNameMapping("trl", "grad_norm", "grpo.policy.grad_norm", {}, 1, False),
    KnownNameMapping("trl", "learning_rate", "grpo.policy.learning_rate", {}, 1, False),
    KnownNameMapping("trl", "num_tokens", "grpo.training.tokens", {}, 1, True),
    KnownNameMapping("trl", "epoch", "grpo.training.epoch", {}, 1, False),
    KnownNameMapping("verl", "critic/score/mean", "grpo.reward.mean", {"grpo.reward.function": "total"}, 1, False),
    KnownNameMapping("verl", "critic/score/max", "grpo.reward.max", {"grpo.reward.function": "total"}, 1, False),
    KnownNameMapping("verl", "critic/score/min", "grpo.reward.min", {"grpo.reward.function": "total"}, 1, False),
    KnownNameMapping("verl", "critic/rewards/mean", "grpo.reward.kl_penalized.mean", {}, 1, False),
    KnownNameMapping("verl", "critic/advantages/mean", "grpo.advantage.mean", {}, 1, False),
    KnownNameMapping("verl", "critic/advantages/max", "grpo.advantage.max", {}, 1, False),
    KnownNameMapping("verl", "critic/advantages/min", "grpo.advantage.min", {}, 1, False),
    KnownNameMapping("verl", "actor/entropy", "grpo.policy.entropy", {}, 1, False),
    KnownNameMapping("verl", "actor/pg_clipfrac", "grpo.policy.clip.region_ratio", {}, 1, False),
    KnownNameMapping("verl", "actor/ppo_kl", "grpo.policy.update_kl", {"grpo.kl.estimator": "k1"}, 1, False),
    KnownNameMapping("verl", "actor/kl_loss", "grpo.policy.kl", {"grpo.kl.estimator": "k3"}, 1, False),
    KnownNameMapping("verl", "actor/kl_coef", "grpo.policy.kl_coefficient", {}, 1, False),
    KnownNameMapping("verl", "actor/pg_loss", "grpo.policy.loss", {}, 1, False),
    KnownNameMapping("verl", "actor/grad_norm", "grpo.policy.grad_norm", {}, 1, False),
    KnownNameMapping("verl", "actor/lr", "grpo.policy.learning_rate", {}, 1, False),
    KnownNameMapping("verl", "response_length/mean", "grpo.completion.mean_length", {}, 1, False),
    KnownNameMapping("verl", "response_length/max", "grpo.completion.max_length", {}, 1, False),
    KnownNameMapping("verl", "response_length/min", "grpo.completion.min_length", {}, 1, False),
    KnownNameMapping("verl", "response_length/clip_ratio", "grpo.completion.clipped_ratio", {}, 1, False),
    KnownNameMapping("verl", "prompt_length/mean", "grpo.prompt.mean_length", {}, 1, False),
    KnownNameMapping("verl", "timing_s/gen", "grpo.phase.duration", {"grpo.phase": "generation"}, 1, False),
    KnownNameMapping("verl", "timing_s/reward", "grpo.phase.duration", {"grpo.phase": "reward"}, 1, False),
    KnownNameMapping("verl", "timing_s/old_log_prob", "grpo.phase.duration", {"grpo.phase": "old_logprob"}, 1, False),
    KnownNameMapping("verl", "timing_s/ref", "grpo.phase.duration", {"grpo.phase": "reference"}, 1, False),
    KnownNameMapping("verl", "timing_s/adv", "grpo.phase.duration", {"grpo.phase": "advantage"}, 1, False),
    KnownNameMapping("verl", "timing_s/update_actor", "grpo.phase.duration", {"grpo.phase": "update"}, 1, False),
    KnownNameMapping("verl", "timing_s/testing", "grpo.phase.duration", {"grpo.phase": "validation"}, 1, False),
    KnownNameMapping("verl", "timing_s/save_checkpoint", "grpo.phase.duration", {"grpo.phase": "checkpoint"}, 1, False),
    KnownNameMapping("verl", "timing_s/step", "grpo.step.duration", {}, 1, False),
    KnownNameMapping("verl", "perf/time_per_step", "grpo.step.duration", {}, 1, False),
    KnownNameMapping("verl", "perf/throughput", "grpo.throughput.tokens", {}, 1, False),
    KnownNameMapping("verl", "perf/total_num_tokens", "grpo.training.tokens", {}, 1, False),
    KnownNameMapping("verl", "perf/max_memory_allocated_gb", "grpo.memory.peak_usage", {"grpo.memory.pool": "tensor"}, 1073741824, False),
    KnownNameMapping("verl", "training/global_step", "grpo.training.current_step", {}, 1, False),
    KnownNameMapping("verl", "training/epoch", "grpo.training.epoch", {}, 1, False),
    KnownNameMapping("openrlhf", "policy_loss", "grpo.policy.loss", {}, 1, False),
    KnownNameMapping("openrlhf", "kl", "grpo.policy.kl", {"grpo.kl.estimator": "k1"}, 1, False),
    KnownNameMapping("openrlhf", "reward", "grpo.reward.mean", {"grpo.reward.function": "total"}, 1, False),
    KnownNameMapping("openrlhf", "return", "grpo.reward.kl_penalized.mean", {}, 1, False),
    KnownNameMapping("openrlhf", "response_length", "grpo.completion.mean_length", {}, 1, False),
    KnownNameMapping("openrlhf", "total_length", "grpo.sequence.mean_length", {}, 1, False),
    KnownNameMapping("openrlhf", "actor_lr", "grpo.policy.learning_rate", {}, 1, False),
)
