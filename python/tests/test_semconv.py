"""The generated names (semconv.py) and the name resolution built on them."""

from grpo_otel import semconv as S
from grpo_otel._names import custom_metric, lookup_known_name, resolve_metric_key


def test_generated_metrics_carry_name_unit_instrument_and_attributes():
    assert S.REWARD_MEAN.name == "grpo.reward.mean"
    assert S.REWARD_MEAN.unit == "{reward}"
    assert S.REWARD_MEAN.instrument == "gauge"
    assert S.REWARD_MEAN.attributes == (S.ATTR_GRPO_REWARD_FUNCTION, S.ATTR_GRPO_SPLIT)
    assert S.TRAINING_STEPS.instrument == "counter" and S.TRAINING_STEPS.value_type == "int"
    assert S.REWARD_VALUE.buckets is not None and list(S.REWARD_VALUE.buckets) == sorted(S.REWARD_VALUE.buckets)
    assert all(S.METRICS[m.name] is m for m in S.METRICS.values())
    for mapping in S.KNOWN_NAME_MAPPINGS:
        assert mapping.metric in S.METRICS, mapping


def test_batch_event_contract_names():
    assert S.EVENT_GRPO_STEP_BATCH == "grpo.step.batch"
    assert S.ATTR_GRPO_BATCH_REWARDS == "grpo.batch.rewards"
    assert S.ATTR_GRPO_BATCH_REWARD_FUNCTIONS == "grpo.batch.reward_functions"
    assert S.ATTR_GRPO_BATCH_COMPLETION_LENGTHS == "grpo.batch.completion_lengths"
    assert S.ATTR_GRPO_GROUP_SIZE == "grpo.group.size"


def test_trl_names_resolve_as_in_typescript():
    r = lookup_known_name("rewards/correctness_reward/mean")
    assert r.metric is S.REWARD_MEAN and r.attributes == {S.ATTR_GRPO_REWARD_FUNCTION: "correctness_reward"}
    assert lookup_known_name("reward").attributes == {S.ATTR_GRPO_REWARD_FUNCTION: "total"}
    assert lookup_known_name("reward_std").metric is S.REWARD_MEAN_GROUP_STD
    assert lookup_known_name("kl").attributes == {S.ATTR_GRPO_KL_ESTIMATOR: "k3"}
    assert lookup_known_name("num_tokens").cumulative is True
    ev = lookup_known_name("eval_rewards/fmt/mean")
    assert ev.attributes == {S.ATTR_GRPO_REWARD_FUNCTION: "fmt", S.ATTR_GRPO_SPLIT: "validation"}
    assert lookup_known_name("eval_loss") is None  # a training-only metric has no validation value
    assert lookup_known_name("train/loss").metric is S.POLICY_LOSS
    assert lookup_known_name("no/such/name") is None
    # verl names resolve too
    assert lookup_known_name("critic/score/mean").attributes == {S.ATTR_GRPO_REWARD_FUNCTION: "total"}


def test_training_progress_keys_resolve_to_semconv_aliases_or_custom_gauges():
    assert resolve_metric_key("grpo.policy.loss").metric is S.POLICY_LOSS
    assert resolve_metric_key("lr").metric is S.POLICY_LEARNING_RATE
    assert resolve_metric_key("accuracy").metric is S.TASK_ACCURACY
    # without a split, a metric that has one is a training value
    assert resolve_metric_key("rewards/fmt/mean").attributes[S.ATTR_GRPO_SPLIT] == "train"
    assert resolve_metric_key("completions/mean_length").attributes == {S.ATTR_GRPO_SPLIT: "train"}
    assert custom_metric("Clip Ratio/low_min").name == "grpo.custom.clip_ratio.low_min"
    assert custom_metric("2nd.metric").name == "grpo.custom._2nd.metric"
    assert custom_metric("///").name == "grpo.custom.unnamed"
