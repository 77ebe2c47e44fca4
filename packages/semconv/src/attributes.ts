import type { AttributeDefinition } from './AttributeDefinition.js';
import * as K from './attributeKeys.js';
import {
  CHANNEL_VALUES,
  CORRELATION_METHOD_VALUES,
  DROP_REASON_VALUES,
  EXPORTER_VALUES,
  FORMAT_MODE_VALUES,
  KL_ESTIMATOR_VALUES,
  MEMORY_POOL_VALUES,
  PHASE_VALUES,
  REWARD_FUNCTION_TOTAL,
  SANITIZE_REASON_VALUES,
  SIGNAL_KIND_VALUES,
  SPLIT_VALUES,
  TELEMETRY_SIGNAL_VALUES,
  TOKEN_TYPE_VALUES,
  VALIDATION_ERROR_TYPE_VALUES,
} from './attributeValues.js';
import { defineAttribute } from './internal/define.js';

/** Orders value descriptions as the values tuple; the Record type makes the list complete. */
function describe<T extends string>(
  values: readonly T[],
  meaning: Record<T, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) out[v] = meaning[v];
  return out;
}

const DEFINITIONS: readonly AttributeDefinition[] = [
  // --- Resource ------------------------------------------------------------------------------------
  defineAttribute({
    key: K.ATTR_GRPO_RUN_ID,
    type: 'string',
    description: 'Unique, sortable id of the training run. All signals of a run carry it.',
    examples: ['20250317T142501.123Z-9f2c41d8'],
    requirementLevel: 'required',
    resource: true,
    metricSafe: false,
    note:
      'Made by generateRunId(): UTC timestamp (ms) + 32 random bits, so ids sort by start time and are safe ' +
      'in file names. Also names the run directory of file sinks (logs, CSV, TensorBoard).',
  }),
  defineAttribute({
    key: K.ATTR_GRPO_RUN_NAME,
    type: 'string',
    description: 'Human-readable name of the run (like TRL `run_name`).',
    examples: ['gemma-2b-gsm8k-lr1e-6'],
    requirementLevel: 'opt_in',
    resource: true,
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GRPO_EXPERIMENT_NAME,
    type: 'string',
    description: 'Experiment the run belongs to; runs of one experiment are compared with each other.',
    examples: ['gsm8k-grpo', 'reward-ablation'],
    resource: true,
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GEN_AI_REQUEST_MODEL,
    type: 'string',
    description: 'Name of the policy model being fine-tuned (OpenTelemetry GenAI attribute, reused).',
    examples: ['google/gemma-2b-it', 'demo-gru-64'],
    reused: true,
    resource: true,
    metricSafe: false,
    note: 'On the Resource it names the policy; on `grpo.generate` spans, the model that sampled.',
  }),
  defineAttribute({
    key: K.ATTR_GRPO_RANK,
    type: 'int',
    description: 'Rank of this worker process in a distributed run, 0-based.',
    examples: [0, 3],
    requirementLevel: 'conditionally_required',
    resource: true,
    metricSafe: false,
    note: 'Required when `grpo.world_size` > 1.',
  }),
  defineAttribute({
    key: K.ATTR_GRPO_WORLD_SIZE,
    type: 'int',
    description: 'Number of worker processes in the run.',
    examples: [1, 8],
    requirementLevel: 'conditionally_required',
    resource: true,
    metricSafe: false,
    note: 'Required when greater than 1.',
  }),
  defineAttribute({
    key: K.ATTR_SERVICE_NAME,
    type: 'string',
    description: 'OpenTelemetry service name; the trainer program.',
    examples: ['grpo-trainer'],
    reused: true,
    resource: true,
    metricSafe: false,
    note: "The collector's Prometheus exporter turns it into the `job` label.",
  }),
  defineAttribute({
    key: K.ATTR_SERVICE_INSTANCE_ID,
    type: 'string',
    description: 'OpenTelemetry service instance id; `<grpo.run.id>-<grpo.rank>`, unique per worker process.',
    examples: ['20250317T142501.123Z-9f2c41d8-0'],
    reused: true,
    resource: true,
    metricSafe: false,
    note:
      "The Prometheus exporter turns it into the `instance` label, so each worker's series stay apart. " +
      'Resource attributes reach Prometheus as `target_info` labels; to filter series by run directly, ' +
      'enable `resource_to_telemetry_conversion` on the exporter.',
  }),

  // --- Common --------------------------------------------------------------------------------------
  defineAttribute({
    key: K.ATTR_GRPO_REWARD_FUNCTION,
    type: 'string',
    description: `Reward function name as registered with the trainer; \`${REWARD_FUNCTION_TOTAL}\` is the weighted sum of all of them.`,
    examples: ['correctness_reward', 'xml_format_reward', REWARD_FUNCTION_TOTAL],
    requirementLevel: 'required',
    note:
      `\`${REWARD_FUNCTION_TOTAL}\` is reserved: it is the weighted total the advantages are computed from ` +
      "(TRL's `reward`). Per-function and total series share one metric; exclude it when aggregating " +
      'over functions. A user reward function may not be named `total`.',
  }),
  defineAttribute({
    key: K.ATTR_GRPO_REWARD_OTHER_FUNCTION,
    type: 'string',
    description: 'The second reward function of a correlated pair (`grpo.reward.function` is the first).',
    examples: ['xml_format_reward'],
    requirementLevel: 'required',
    note: 'Each unordered pair is reported once, with `grpo.reward.function` < `grpo.reward.other_function`.',
  }),
  defineAttribute({
    key: K.ATTR_GRPO_CORRELATION_METHOD,
    type: 'string',
    description: 'Correlation coefficient used.',
    examples: ['spearman'],
    requirementLevel: 'required',
    values: describe(CORRELATION_METHOD_VALUES, {
      pearson: 'Pearson product-moment correlation (linear).',
      spearman: 'Spearman rank correlation (monotonic; robust to binary and skewed rewards).',
    }),
  }),
  defineAttribute({
    key: K.ATTR_GRPO_CHANNEL,
    type: 'string',
    description: "The seed's logging channel (one OpenTelemetry Logger each) a log record was written to.",
    examples: ['training', 'model_outputs'],
    requirementLevel: 'required',
    values: describe(CHANNEL_VALUES, {
      training: 'Training progress messages.',
      model_outputs: 'Model outputs: questions, answers, reasoning (the CSV sink).',
      rewards: 'Reward function diagnostics.',
      whitelist: 'Reward whitelist decisions.',
      metrics: 'Learning metrics written as log records.',
      system: 'Resource and SDK messages.',
    }),
  }),
  defineAttribute({
    key: K.ATTR_GRPO_STEP,
    type: 'int',
    description: "The trainer's global optimisation step the record belongs to.",
    examples: [0, 250],
    requirementLevel: 'required',
    metricSafe: false,
    note:
      "Unbounded, so never a metric attribute. Metrics are aligned to steps by the SDK's step sink " +
      '(TensorBoard) and by `grpo.training.current_step` (Prometheus).',
  }),
  defineAttribute({
    key: K.ATTR_GRPO_SPLIT,
    type: 'string',
    description: 'Data split the measurement was taken on.',
    examples: ['train', 'validation'],
    values: describe(SPLIT_VALUES, {
      train: 'Training batches (the default when absent).',
      validation: 'Held-out validation set, evaluated periodically.',
      test: 'Final test set.',
    }),
  }),
  defineAttribute({
    key: K.ATTR_ERROR_TYPE,
    type: 'string',
    description: 'Class of error (OpenTelemetry attribute, reused).',
    examples: ['wrong_answer', 'timeout', 'ECONNREFUSED', '503'],
    requirementLevel: 'required',
    reused: true,
    note:
      `For validation: one of ${VALIDATION_ERROR_TYPE_VALUES.map((v) => `\`${v}\``).join(', ')}, ` +
      'or the exception class name. For export errors: the error code, HTTP status or exception name. ' +
      'Otherwise `_OTHER`.',
  }),
  defineAttribute({
    key: K.ATTR_GRPO_KL_ESTIMATOR,
    type: 'string',
    description: 'Monte-Carlo estimator of the KL divergence (Schulman, "Approximating KL divergence").',
    examples: ['k3'],
    requirementLevel: 'required',
    values: describe(KL_ESTIMATOR_VALUES, {
      k1: 'log(p/q): unbiased, high variance, can be negative per token (OpenRLHF default, verl `kl`).',
      k2: '(log(p/q))^2 / 2: biased, low variance (verl `mse`).',
      k3: '(q/p - 1) - log(q/p): unbiased, low variance, non-negative (TRL, verl `low_var_kl`).',
    }),
  }),
  defineAttribute({
    key: K.ATTR_GRPO_FORMAT_MODE,
    type: 'string',
    description: 'Strictness of the XML format check (`<reasoning>...</reasoning><answer>...</answer>`).',
    examples: ['strict'],
    requirementLevel: 'required',
    values: describe(FORMAT_MODE_VALUES, {
      strict: 'Exact layout: both tags, in order, each on its own lines, nothing after </answer>.',
      lenient: 'Both tag pairs present in order, anywhere in the text.',
    }),
  }),
  defineAttribute({
    key: K.ATTR_GRPO_NGRAM_N,
    type: 'int',
    description: 'n-gram size of a distinct-n diversity measure.',
    examples: [1, 2, 4],
    requirementLevel: 'required',
  }),
  defineAttribute({
    key: K.ATTR_GRPO_PHASE,
    type: 'string',
    description: 'Phase of a training step (like the `timing_s/*` keys of verl).',
    examples: ['generation', 'update'],
    requirementLevel: 'required',
    values: describe(PHASE_VALUES, {
      generation: 'Sampling completions from the policy (verl `gen`).',
      reward: 'Scoring completions with the reward functions.',
      reference: 'Log-probabilities under the reference model (verl `ref`).',
      old_logprob: 'Log-probabilities under the sampling policy (verl `old_log_prob`).',
      advantage: 'Group-relative advantage computation (verl `adv`).',
      update: 'Policy gradient update (verl `update_actor`).',
      validation: 'Periodic validation run (verl `testing`).',
      checkpoint: 'Saving a checkpoint (verl `save_checkpoint`).',
    }),
  }),
  defineAttribute({
    key: K.ATTR_GRPO_WINDOW_SIZE,
    type: 'int',
    description: 'Length, in steps, of the window of a moving statistic.',
    examples: [100],
  }),
  defineAttribute({
    key: K.ATTR_GRPO_MEMORY_POOL,
    type: 'string',
    description: 'Memory pool a peak memory measurement refers to.',
    examples: ['rss', 'tensor'],
    requirementLevel: 'required',
    values: describe(MEMORY_POOL_VALUES, {
      rss: 'Resident set size of the process (`process.resourceUsage().maxRSS` for the peak).',
      v8_heap: 'V8 JavaScript heap, used bytes.',
      tensor: 'Tensor memory of the ML backend (tfjs `tf.memory().numBytes`; torch allocated memory).',
    }),
  }),
  defineAttribute({
    key: K.ATTR_GEN_AI_TOKEN_TYPE,
    type: 'string',
    description:
      'Token type (OpenTelemetry GenAI attribute, reused): prompt (`input`) or completion (`output`).',
    examples: ['output'],
    reused: true,
    values: describe(TOKEN_TYPE_VALUES, {
      input: 'Prompt tokens.',
      output: 'Completion (generated) tokens.',
    }),
  }),
  defineAttribute({
    key: K.ATTR_V8JS_HEAP_SPACE_NAME,
    type: 'string',
    description: 'V8 heap space name (OpenTelemetry attribute, reused).',
    examples: ['new_space', 'old_space', 'large_object_space'],
    requirementLevel: 'required',
    reused: true,
  }),
  defineAttribute({
    key: K.ATTR_GRPO_VALIDATION_DATASET,
    type: 'string',
    description: 'Name of the validation dataset, when a run validates on more than one.',
    examples: ['gsm8k-test', 'math500'],
    requirementLevel: 'conditionally_required',
    note: 'Required when more than one validation dataset is used.',
  }),

  // --- Signals -------------------------------------------------------------------------------------
  defineAttribute({
    key: K.ATTR_GRPO_SIGNAL_KIND,
    type: 'string',
    description: 'Kind of training-health signal raised by a detector.',
    examples: ['reward_plateau', 'entropy_collapse'],
    requirementLevel: 'required',
    values: describe(SIGNAL_KIND_VALUES, {
      reward_plateau: 'Moving-average total reward stopped improving (checkpoint / early-stop candidate).',
      validation_plateau: 'Validation accuracy stopped improving.',
      entropy_collapse: 'Policy entropy fell below its threshold: the policy became (near) deterministic.',
      diversity_collapse: 'Distinct-n fell or duplicates within groups rose past the threshold.',
      length_collapse: 'Completion length collapsed (very short) or saturated at the maximum.',
      format_collapse: 'Format adherence fell below its threshold.',
      kl_explosion: 'KL to the reference rose above its threshold.',
      zero_variance: 'Too many groups have zero reward variance: no learning signal.',
    }),
  }),
  defineAttribute({
    key: K.ATTR_GRPO_SIGNAL_VALUE,
    type: 'double',
    description: "The detector's statistic when the signal fired (e.g. relative improvement, entropy).",
    examples: [0.0012],
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GRPO_SIGNAL_THRESHOLD,
    type: 'double',
    description: 'The threshold the statistic crossed.',
    examples: [0.005],
    metricSafe: false,
  }),

  // --- SDK health ----------------------------------------------------------------------------------
  defineAttribute({
    key: K.ATTR_GRPO_SDK_SIGNAL,
    type: 'string',
    description: 'OpenTelemetry signal the record belongs to.',
    examples: ['logs'],
    requirementLevel: 'required',
    values: describe(TELEMETRY_SIGNAL_VALUES, {
      logs: 'Log records (including events).',
      metrics: 'Metric measurements or data points.',
      traces: 'Spans.',
    }),
  }),
  defineAttribute({
    key: K.ATTR_GRPO_SDK_DROP_REASON,
    type: 'string',
    description: 'Why the SDK dropped a record instead of exporting it.',
    examples: ['queue_full'],
    requirementLevel: 'required',
    values: describe(DROP_REASON_VALUES, {
      rate_limited: 'Over the configured rate limit of its channel.',
      sampled: 'Not selected by sampling (e.g. expensive metrics on a subset of steps).',
      queue_full: 'The bounded export queue was full (the trainer never waits).',
      export_failed: 'The exporter failed and retries were exhausted.',
      invalid_value: 'NaN, Infinity or a value of the wrong type.',
      shutdown: 'Recorded after shutdown().',
      timeout: 'Still queued when a flush or shutdown deadline expired.',
      sink_unavailable:
        'Routed to a handler that could not be opened (e.g. a TensorBoard log_dir that cannot be created).',
      process_exit:
        'Still held by a network export queue (queued, or sent but not acknowledged) when the process ended without shutdown(): process.exit(), an uncaught exception.',
    }),
  }),
  defineAttribute({
    key: K.ATTR_GRPO_SDK_SANITIZE_REASON,
    type: 'string',
    description: 'Why the SDK altered a value before exporting it.',
    examples: ['truncated'],
    requirementLevel: 'required',
    values: describe(SANITIZE_REASON_VALUES, {
      truncated: 'String longer than the configured limit.',
      formula_escaped: 'CSV cell starting with = + - @ (formula injection) was escaped.',
      control_characters: 'Binary or control characters were replaced.',
      coerced: 'Value converted to the expected type (e.g. bigint to number).',
      redacted: 'Parts matching a configured redaction pattern replaced by [REDACTED].',
    }),
  }),
  defineAttribute({
    key: K.ATTR_GRPO_SDK_EXPORTER,
    type: 'string',
    description: 'Exporter (sink) concerned.',
    examples: ['otlp', 'tensorboard'],
    values: describe(EXPORTER_VALUES, {
      console: 'Console output.',
      file: 'Rotating log file.',
      csv: 'CSV of model outputs.',
      tensorboard: 'TensorBoard event files.',
      otlp: 'OTLP/HTTP to a collector.',
    }),
  }),

  // --- Spans ---------------------------------------------------------------------------------------
  defineAttribute({
    key: K.ATTR_GRPO_BATCH_SIZE,
    type: 'int',
    description: "Number of prompts in the step's batch.",
    examples: [8],
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GRPO_GROUP_SIZE,
    type: 'int',
    description: 'Number of completions sampled per prompt (the GRPO group; TRL `num_generations`).',
    examples: [8],
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GRPO_VALIDATION_SAMPLE_COUNT,
    type: 'int',
    description: 'Number of samples evaluated by a validation run.',
    examples: [200],
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GEN_AI_OPERATION_NAME,
    type: 'string',
    description: 'GenAI operation (OpenTelemetry attribute, reused); `text_completion` for sampling.',
    examples: ['text_completion'],
    reused: true,
  }),
  defineAttribute({
    key: K.ATTR_GEN_AI_REQUEST_TEMPERATURE,
    type: 'double',
    description: 'Sampling temperature (OpenTelemetry attribute, reused).',
    examples: [0.9],
    reused: true,
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GEN_AI_REQUEST_TOP_P,
    type: 'double',
    description: 'Nucleus sampling top-p (OpenTelemetry attribute, reused).',
    examples: [1],
    reused: true,
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GEN_AI_REQUEST_MAX_TOKENS,
    type: 'int',
    description: 'Maximum completion length (OpenTelemetry attribute, reused; TRL `max_completion_length`).',
    examples: [256],
    reused: true,
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GEN_AI_REQUEST_CHOICE_COUNT,
    type: 'int',
    description: 'Completions requested per prompt (OpenTelemetry attribute, reused; the group size).',
    examples: [8],
    reused: true,
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GEN_AI_USAGE_INPUT_TOKENS,
    type: 'int',
    description: 'Prompt tokens processed (OpenTelemetry attribute, reused).',
    examples: [4096],
    reused: true,
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
    type: 'int',
    description: 'Completion tokens generated (OpenTelemetry attribute, reused).',
    examples: [16384],
    reused: true,
    metricSafe: false,
  }),

  // --- Samples -------------------------------------------------------------------------------------
  defineAttribute({
    key: K.ATTR_GRPO_SAMPLE_ID,
    type: 'string',
    description: 'Stable id of the dataset item (its index when the dataset has no id).',
    examples: ['gsm8k-test-0042'],
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GRPO_SAMPLE_QUESTION,
    type: 'string',
    description: 'The prompt / question text.',
    examples: ['Natalia sold clips to 48 of her friends...'],
    requirementLevel: 'opt_in',
    metricSafe: false,
    note: 'Large; truncated to the configured limit and escaped for CSV by the SDK.',
  }),
  defineAttribute({
    key: K.ATTR_GRPO_SAMPLE_EXPECTED_ANSWER,
    type: 'string',
    description: 'Reference (true) answer.',
    examples: ['72'],
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GRPO_SAMPLE_ANSWER,
    type: 'string',
    description: "Answer extracted from the model's completion (empty when none could be extracted).",
    examples: ['72'],
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GRPO_SAMPLE_REASONING,
    type: 'string',
    description: "The model's reasoning section.",
    examples: ['Natalia sold 48/2 = 24 clips in May...'],
    requirementLevel: 'opt_in',
    metricSafe: false,
    note: 'Large; truncated to the configured limit and escaped for CSV by the SDK.',
  }),
  defineAttribute({
    key: K.ATTR_GRPO_SAMPLE_COMPLETION,
    type: 'string',
    description: 'The full completion text (reasoning and answer).',
    examples: ['<reasoning>\n2+2=4\n</reasoning>\n<answer>\n4\n</answer>'],
    requirementLevel: 'opt_in',
    metricSafe: false,
    note: 'Large; truncated to the configured limit (limits.max_string_length) by the SDK.',
  }),
  defineAttribute({
    key: K.ATTR_GRPO_SAMPLE_CORRECT,
    type: 'boolean',
    description: 'Whether the extracted answer matches the reference.',
    examples: [true],
    requirementLevel: 'required',
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GRPO_SAMPLE_FORMAT_VALID,
    type: 'boolean',
    description: 'Whether the completion passes the strict format check.',
    examples: [true],
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GRPO_SAMPLE_REWARD,
    type: 'double',
    description: `Total (\`${REWARD_FUNCTION_TOTAL}\`) reward of the completion.`,
    examples: [2.5],
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GRPO_SAMPLE_COMPLETION_TOKENS,
    type: 'int',
    description: 'Length of the completion in tokens.',
    examples: [187],
    metricSafe: false,
  }),
  // --- Step batch (grpo.step.batch events, analysed by the sink) ------------------------------------
  defineAttribute({
    key: K.ATTR_GRPO_BATCH_REWARD_FUNCTIONS,
    type: 'string[]',
    description: 'Names of the reward functions of a step batch, in the order of `grpo.batch.rewards`.',
    examples: [['correctness', 'format']],
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GRPO_BATCH_REWARDS,
    type: 'double[]',
    description:
      "Rewards of a step's completions, function-major: the first function's reward of every completion, then the next function's.",
    examples: [[1, 0, 0.5, 0.5]],
    metricSafe: false,
    note: 'Its length is the number of reward functions times the number of completions.',
  }),
  defineAttribute({
    key: K.ATTR_GRPO_BATCH_COMPLETIONS,
    type: 'string[]',
    description: 'Completion texts of a step batch, in completion order (may be omitted).',
    examples: [['<reasoning>2+2=4</reasoning><answer>4</answer>']],
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GRPO_BATCH_COMPLETION_LENGTHS,
    type: 'int[]',
    description: 'Length in tokens of each completion of a step batch.',
    examples: [[187, 203]],
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GRPO_BATCH_ANSWERS,
    type: 'string[]',
    description: 'Answer extracted from each completion of a step batch.',
    examples: [['4', '5']],
    requirementLevel: 'opt_in',
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GRPO_BATCH_EXPECTED_ANSWERS,
    type: 'string[]',
    description: 'Expected answer of each completion of a step batch.',
    examples: [['4', '4']],
    requirementLevel: 'opt_in',
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GRPO_BATCH_QUESTIONS,
    type: 'string[]',
    description:
      'Question (prompt) of each completion of a step batch: its numbers count as supported in the hallucination check.',
    examples: [['Natalia sold 48 clips in April and half as many in May. How many in total?']],
    requirementLevel: 'opt_in',
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GRPO_BATCH_REFERENCE_STEPS,
    type: 'string[]',
    description:
      'Intermediate results a complete solution states (the reference reasoning steps) of every completion of a step batch, completion after completion.',
    examples: [['48 / 2 = 24', '48 + 24 = 72', '48 / 2 = 24', '48 + 24 = 72']],
    requirementLevel: 'opt_in',
    metricSafe: false,
    note: 'Sent with `grpo.batch.reference_step_counts` and `grpo.batch.expected_answers`: the sink computes `grpo.task.reasoning_completeness` and `grpo.task.hallucination_ratio` from them. A completion with no steps (count 0) and no reference reasoning has no reference for either.',
  }),
  defineAttribute({
    key: K.ATTR_GRPO_BATCH_REFERENCE_STEP_COUNTS,
    type: 'int[]',
    description:
      'Number of reference steps of each completion of a step batch in `grpo.batch.reference_steps`.',
    examples: [[2, 2]],
    requirementLevel: 'opt_in',
    metricSafe: false,
    note: 'Required when `grpo.batch.reference_steps` is sent; its length is the sum of these counts.',
  }),
  defineAttribute({
    key: K.ATTR_GRPO_BATCH_REFERENCE_REASONING,
    type: 'string[]',
    description:
      "Reference reasoning text of each completion of a step batch (empty for none), for the hallucination check; it takes precedence over the completion's reference steps there.",
    examples: [['She sold 48 / 2 = 24 clips in May, 48 + 24 = 72 in total.']],
    requirementLevel: 'opt_in',
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GRPO_BATCH_REPORTED_METRICS,
    type: 'string[]',
    description:
      'Names of the metrics the trainer records itself (its own gauges, at this step or before in the run): the analyses at the sink leave them out of what they write and send back, so a series has one source.',
    examples: [['grpo.reward.mean', 'grpo.reward.std', 'grpo.completion.mean_length']],
    requirementLevel: 'opt_in',
    metricSafe: false,
    note: 'The sink also leaves out the metrics whose points it has received from the run itself; this attribute says so before they arrive.',
  }),
  defineAttribute({
    key: K.ATTR_GRPO_BATCH_TOKEN_COUNTS,
    type: 'int[]',
    description: 'Number of tokens of each completion in the per-token arrays of a step batch.',
    examples: [[187, 203]],
    requirementLevel: 'opt_in',
    metricSafe: false,
    note: 'Required when logprobs, reference logprobs or entropies are sent; they hold the sum of these counts.',
  }),
  defineAttribute({
    key: K.ATTR_GRPO_BATCH_LOGPROBS,
    type: 'double[]',
    description: 'Policy log-probabilities of the sampled tokens, completion after completion.',
    examples: [[-0.12, -1.5]],
    requirementLevel: 'opt_in',
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GRPO_BATCH_REF_LOGPROBS,
    type: 'double[]',
    description: 'Reference-model log-probabilities of the sampled tokens, completion after completion.',
    examples: [[-0.1, -1.7]],
    requirementLevel: 'opt_in',
    metricSafe: false,
  }),
  defineAttribute({
    key: K.ATTR_GRPO_BATCH_ENTROPIES,
    type: 'double[]',
    description: "Entropy of the policy's distribution at each sampled token, completion after completion.",
    examples: [[0.8, 1.2]],
    requirementLevel: 'opt_in',
    metricSafe: false,
  }),
];

/** Every attribute definition, keyed by attribute key. */
export const ATTRIBUTES: Readonly<Record<string, AttributeDefinition>> = Object.freeze(
  Object.fromEntries(DEFINITIONS.map((d) => [d.key, d])),
);

/** Every attribute definition, sorted by key. */
export const ALL_ATTRIBUTES: readonly AttributeDefinition[] = Object.freeze(
  [...DEFINITIONS].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
);

/** The attributes that belong on the OpenTelemetry Resource (they describe the run and the worker). */
export const RESOURCE_ATTRIBUTES: readonly AttributeDefinition[] = Object.freeze(
  ALL_ATTRIBUTES.filter((a) => a.resource),
);

/** The definition of an attribute key, or undefined when the key is not part of these conventions. */
export function attributeDefinition(key: string): AttributeDefinition | undefined {
  return Object.hasOwn(ATTRIBUTES, key) ? ATTRIBUTES[key] : undefined;
}

/** Number of definitions before de-duplication by key (a test checks it equals the registry size). */
export const ATTRIBUTE_DEFINITION_COUNT = DEFINITIONS.length;
