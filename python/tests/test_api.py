"""The seed's API on the bridge: the same metric names, units and attributes as the TypeScript SDK,
records on the channels, the step's batch as one grpo.step.batch event, and bad input never raising."""

import math
import os
import threading
import time

import pytest

import grpo_otel
from conftest import BASE_CONFIG
from grpo_otel import semconv as S

TRAIN = {"grpo.split": "train"}


def fn(name):
    return {"grpo.reward.function": name, "grpo.split": "train"}


def test_reward_metrics_record_the_semconv_gauges_per_function_and_total(bridge):
    rewards = {"correctness": [1.0, 0.0, 1.0, 1.0], "format": [0.5, 0.5, 0.0, 1.0]}
    assert grpo_otel.log_reward_metrics(1, rewards, group_size=2) is True
    assert bridge.value("grpo.reward.mean", **{"grpo__reward__function": "correctness"}) == pytest.approx(0.75)
    assert bridge.value("grpo.reward.std", **{"grpo__reward__function": "correctness"}) == pytest.approx(math.sqrt(0.1875))
    assert bridge.value("grpo.reward.min", **{"grpo__reward__function": "format"}) == 0.0
    assert bridge.value("grpo.reward.max", **{"grpo__reward__function": "format"}) == 1.0
    assert bridge.value("grpo.reward.median", **{"grpo__reward__function": "format"}) == 0.5
    # the total is the (weighted) sum per completion: [1.5, 0.5, 1, 2]
    assert bridge.value("grpo.reward.mean", **{"grpo__reward__function": "total"}) == pytest.approx(1.25)
    m = bridge.metric("grpo.reward.mean")
    assert m.unit == "{reward}"
    for attrs, _ in bridge.points("grpo.reward.mean"):
        # and the step: the sink writes the point at it (the collector drops it on the way to Prometheus)
        assert attrs["grpo.split"] == "train" and attrs["grpo.step"] == 1
        assert set(attrs) == {"grpo.reward.function", "grpo.split", "grpo.step"}


def test_weights_make_the_total_a_weighted_sum(bridge):
    grpo_otel.log_reward_metrics(1, {"a": [1.0, 1.0], "b": [1.0, 0.0]}, weights={"a": 2.0})
    assert bridge.value("grpo.reward.mean", **{"grpo__reward__function": "total"}) == pytest.approx(2.5)


def test_the_batch_event_follows_the_contract(bridge):
    # step 1 is not a full-metrics step (full_metrics_frequency: 2): rewards only, sent with the step's report
    grpo_otel.log_reward_metrics(1, {"correctness": [1, 0, 1, 1], "format": [0.5, 0.5, 0, 1]}, group_size=2)
    assert bridge.batches() == []
    grpo_otel.log_training_progress(1, {"loss": 0.5})
    (b,) = bridge.batches()
    assert b["grpo.step"] == 1 and b["grpo.group.size"] == 2
    assert list(b["grpo.batch.reward_functions"]) == ["correctness", "format"]
    assert list(b["grpo.batch.rewards"]) == [1.0, 0.0, 1.0, 1.0, 0.5, 0.5, 0.0, 1.0]  # function-major
    assert b["event.name"] == "grpo.step.batch"
    (r,) = [r for r in bridge.records("rewards") if r.log_record.event_name == "grpo.step.batch"]
    assert r.instrumentation_scope.name == "rewards"
    assert r.resource.attributes["grpo.run.id"] == "pytest-run"


def test_on_full_steps_the_batch_waits_for_the_completions_and_is_one_record(bridge):
    grpo_otel.log_reward_metrics(2, {"correctness": [1, 0]}, group_size=2)
    assert bridge.batches() == []
    gens = [
        {"text": "<answer>4</answer>", "tokens": [1, 2, 3], "logprobs": [-0.1, -0.2, -0.3], "ref_logprobs": [-0.2, -0.2, -0.2], "entropies": [1.0, 0.5, 0.2]},
        {"text": "five", "tokens": [4, 5], "logprobs": [-1.0, -2.0], "ref_logprobs": [-1.0, -1.5], "entropies": [0.1, 0.1]},
    ]
    assert grpo_otel.log_generation_metrics(2, gens, ["4", {"answer": 4}]) is True
    grpo_otel.log_training_progress(2, {"loss": 0.5})
    (b,) = bridge.batches()
    assert list(b["grpo.batch.completions"]) == ["<answer>4</answer>", "five"]
    assert list(b["grpo.batch.completion_lengths"]) == [3, 2]
    assert list(b["grpo.batch.expected_answers"]) == ["4", "4"]
    assert list(b["grpo.batch.token_counts"]) == [3, 2]
    assert list(b["grpo.batch.logprobs"]) == [-0.1, -0.2, -0.3, -1.0, -2.0]
    assert list(b["grpo.batch.ref_logprobs"]) == [-0.2, -0.2, -0.2, -1.0, -1.5]
    assert list(b["grpo.batch.entropies"]) == [1.0, 0.5, 0.2, 0.1, 0.1]
    assert bridge.value("grpo.completion.mean_length", **{"grpo__split": "train"}) == 2.5
    assert bridge.value("grpo.completion.max_length") == 3
    # generations on a step that is not a full-metrics step are not taken
    assert grpo_otel.log_generation_metrics(3, ["x"]) is False


def test_a_pending_batch_goes_with_its_report_the_next_step_or_at_shutdown(bridge):
    grpo_otel.log_reward_metrics(2, {"f": [1, 0]})
    grpo_otel.log_reward_metrics(3, {"f": [0, 0]})
    assert [b["grpo.step"] for b in bridge.batches()] == [2]  # step 3 waits for its report
    grpo_otel.log_training_progress(3, {"loss": 1.0})
    assert [b["grpo.step"] for b in bridge.batches()] == [2, 3]
    grpo_otel.log_training_progress(5, {"loss": 1.0})  # reported first: its batch goes once complete
    grpo_otel.log_reward_metrics(5, {"f": [1, 1]})
    assert [b["grpo.step"] for b in bridge.batches()] == [2, 3, 5]
    grpo_otel.log_reward_metrics(7, {"f": [1, 1]})
    grpo_otel.shutdown()
    assert [b["grpo.step"] for b in bridge.batches()] == [2, 3, 5, 7]


def test_logging_frequency_gates_the_gauges_but_every_step_is_in_a_batch(make_bridge):
    b = make_bridge(BASE_CONFIG.replace("logging_frequency: 1", "logging_frequency: 5"))
    assert grpo_otel.log_reward_metrics(3, {"f": [1.0]}) is False
    assert b.points("grpo.reward.mean") == []
    assert grpo_otel.log_reward_metrics(5, {"f": [0.5]}) is True
    assert b.value("grpo.reward.mean") == 0.5
    assert grpo_otel.log_reward_metrics(7, {"f": [0.25]}, final=True) is True
    assert grpo_otel.is_logging_step(10) and not grpo_otel.is_logging_step(11)
    grpo_otel.shutdown()
    assert [x["grpo.step"] for x in b.batches()] == [3, 5, 7]


def test_disabled_reward_metrics_record_nothing(make_bridge):
    b = make_bridge(BASE_CONFIG + "  enable: {reward_metrics: false}\n")
    assert grpo_otel.log_reward_metrics(1, {"f": [1.0]}) is False
    grpo_otel.log_reward("f", [1.0])
    assert b.points("grpo.reward.mean") == [] and b.batches() == []


def test_log_reward_records_gauges_and_a_rewards_record(bridge):
    grpo_otel.log_reward("correctness_reward", [1.0, 0.0, 1.0], samples=["a", "b", "c"], step=4)
    assert bridge.value("grpo.reward.mean") == pytest.approx(2 / 3)
    (r,) = [r for r in bridge.records("rewards") if r.log_record.event_name is None]
    a = r.log_record.attributes
    assert a["grpo.step"] == 4 and a["grpo.reward.function"] == "correctness_reward" and a["grpo.reward.count"] == 3
    assert list(a["grpo.reward.samples"]) == ["a", "b", "c"]
    assert r.log_record.body.startswith("reward correctness_reward: mean=0.6667 std=")
    assert "rewards - INFO - reward correctness_reward: mean=0.6667" in bridge.log_text()


def test_training_progress_maps_names_and_reports_the_step(bridge):
    grpo_otel.log_training_progress(1, {"loss": 0.5, "learning_rate": 1e-5, "num_tokens": 100, "my metric": 3})
    grpo_otel.log_training_progress(2, {"loss": 0.25, "num_tokens": 250, "accuracy": 0.5})
    assert bridge.value("grpo.policy.loss") == 0.25
    assert bridge.metric("grpo.policy.loss").unit == S.POLICY_LOSS.unit
    assert bridge.value("grpo.policy.learning_rate") == 1e-5
    assert bridge.value("grpo.training.tokens") == 250  # a running total becomes increases of the counter
    assert bridge.value("grpo.training.current_step") == 2
    assert bridge.value("grpo.training.steps") == 2
    assert bridge.value("grpo.custom.my_metric") == 3
    assert bridge.value("grpo.task.accuracy") == 0.5
    bodies = [r.log_record.body for r in bridge.records("training")]
    assert bodies == ["step 1: loss=0.5, learning_rate=1e-05, num_tokens=100, my metric=3", "step 2: loss=0.25, num_tokens=250, accuracy=0.5"]
    assert [r.log_record.attributes["grpo.step"] for r in bridge.records("training")] == [1, 2]
    # the step after a report is the current one (TRL's order)
    assert grpo_otel.get_telemetry().steps.current == 3


def test_model_output_record(bridge):
    grpo_otel.log_model_output("What is 2+2?", "4", "<reasoning>\n2+2=4\n</reasoning>\n<answer>\n4\n</answer>", step=7)
    (r,) = bridge.records("model_outputs")
    a = r.log_record.attributes
    assert a["grpo.sample.answer"] == "4" and a["grpo.sample.reasoning"] == "2+2=4" and a["grpo.sample.correct"] is True
    assert a["grpo.step"] == 7 and a["grpo.sample.question"] == "What is 2+2?"
    assert r.log_record.body == "correct: What is 2+2? -> 4 (expected 4)"


def test_memory_usage(bridge):
    snap = grpo_otel.log_memory_usage()
    assert snap["rss"] > 0 and snap["peak_rss"] >= snap["rss"]
    (r,) = bridge.records("system")
    assert r.log_record.body.startswith("memory: rss=")
    assert bridge.value("process.memory.usage") > 0
    assert bridge.value("grpo.memory.peak_usage", **{"grpo__memory__pool": "rss"}) >= snap["rss"]


def test_channels_levels_and_handlers(bridge):
    log = grpo_otel.get_logger("training")
    log.info("step %d/%d completed", 5, 10)
    log.debug("not at INFO")
    grpo_otel.get_logger("whitelist").info("unconfigured: root is WARNING")
    grpo_otel.get_logger("whitelist").warning("goes to root, which has no handlers")
    text = bridge.log_text()
    assert "training - INFO - step 5/10 completed" in text
    assert "not at INFO" not in text and "unconfigured" not in text
    bodies = [r.log_record.body for r in bridge.records("training")]
    assert bodies == ["step 5/10 completed"]
    assert [r.log_record.body for r in bridge.records("whitelist")] == ["goes to root, which has no handlers"]


def test_records_are_written_on_the_telemetry_thread(bridge):
    threads = []

    class Probe(grpo_otel._runtime.logging.Handler):
        def emit(self, record):
            threads.append(threading.current_thread().name)

    t = grpo_otel.get_telemetry()
    (target,) = [h for h in grpo_otel.get_logger("training").handlers if isinstance(h, grpo_otel._runtime.CaptureHandler)]
    target.targets.append(Probe())
    grpo_otel.log_training_progress(1, {"loss": 1.0})
    bridge.flush()
    assert threads == ["grpo-otel-telemetry"]
    assert t is grpo_otel.get_telemetry()


def test_validation(bridge):
    answers = {"1+1": "<reasoning>\nadd\n</reasoning>\n<answer>\n2\n</answer>", "2+2": "<answer>5</answer>", "3+3": ""}

    def generate(q):
        if q == "boom":
            raise RuntimeError("model failed")
        return answers[q]

    data = [{"question": "1+1", "answer": "2"}, {"question": "2+2", "answer": 4}, {"question": "3+3", "answer": "6"}, {"question": "boom", "answer": "0"}]
    grpo_otel.log_training_progress(9, {"accuracy": 0.75})
    r = grpo_otel.run_validation(generate, data, 10)
    assert r["samples"] == 4 and r["correct"] == 1 and r["accuracy"] == 0.25
    assert r["errors"] == {"wrong_answer": 1, "empty": 1, "exception": 1}
    assert r["generalization_gap"] == pytest.approx(0.5)
    ds = {"grpo__validation__dataset": "default"}
    assert bridge.value("grpo.validation.accuracy", **ds) == 0.25
    assert bridge.value("grpo.validation.generalization_gap", **ds) == pytest.approx(0.5)
    assert bridge.value("grpo.validation.samples", **ds) == 4
    assert bridge.value("grpo.validation.errors", **ds, error__type="wrong_answer") == 1
    (span,) = [s for s in bridge.spans.get_finished_spans() if s.name == "grpo.validation"]
    assert span.attributes["grpo.step"] == 10
    events = [e for e in span.events if e.name == "grpo.validation.sample"]
    assert [e.attributes["grpo.sample.correct"] for e in events] == [True, False, False, False]
    assert events[0].attributes["grpo.sample.format_valid"] is True
    assert any("validation at step 10: accuracy 0.250 (1/4)" in r.log_record.body for r in bridge.records("metrics"))


def test_validation_timeout_and_dataset_file(make_bridge, tmp_path):
    (tmp_path / "val.jsonl").write_text('{"question": "q1", "answer": "1"}\n{"question": "q2", "answer": "2"}\n')
    b = make_bridge(BASE_CONFIG + "  validation: {dataset_path: val.jsonl, timeout_per_sample: 0.05}\n  validation_frequency: 5\n")

    def generate(q):
        if q == "q2":
            time.sleep(0.1)
        return "<answer>1</answer>"

    r = grpo_otel.run_validation(generate, step=5)
    assert r["dataset"] == "val.jsonl" and r["errors"] == {"timeout": 1} and r["correct"] == 1
    assert b.value("grpo.validation.timeouts") == 1
    assert grpo_otel.should_validate(10) and not grpo_otel.should_validate(11)


def test_bad_input_never_raises_and_is_counted(bridge):
    assert grpo_otel.log_reward_metrics(1, {"a": [1.0, 2.0], "b": [1.0]}) is False  # different lengths
    assert grpo_otel.log_reward_metrics(-1, {"a": [1.0]}) is False  # bad step
    assert grpo_otel.log_reward_metrics(1, {"a": [1.0, 2.0]}, group_size=3) is False
    assert grpo_otel.log_reward_metrics(1, "nope") is False
    grpo_otel.log_reward_metrics(1, {"a": [1.0, math.nan, math.inf], "total": [1.0]})
    grpo_otel.log_training_progress(1, {"loss": "high", "nan": math.nan})
    grpo_otel.log_reward("", [1.0])
    grpo_otel.log_reward("x", object())
    assert bridge.value("grpo.reward.mean") == 1.0  # the finite value only
    dropped = bridge.points("grpo.sdk.record.dropped")
    assert sum(v for _, v in dropped) >= 8
    warnings = [r.log_record.body for r in bridge.records("metrics") if r.log_record.severity_text == "WARNING"]
    assert any("different" not in w and "one value per completion" in w for w in warnings)


def test_numpy_like_and_tensor_like_values_are_copied():
    class Arr:
        def __init__(self, xs):
            self.xs = xs

        def tolist(self):
            return list(self.xs)

    from grpo_otel._api import _floats

    assert _floats(Arr([1, 2])) == [1.0, 2.0]
    assert _floats((1, None)) == [1.0, math.nan] or math.isnan(_floats((1, None))[1])
    assert _floats("12") is None


def test_shutdown_is_idempotent_and_calls_after_it_are_no_ops(bridge):
    grpo_otel.shutdown()
    grpo_otel.shutdown()
    grpo_otel.log_reward_metrics(1, {"f": [1.0]})
    grpo_otel.log_training_progress(1, {"loss": 1.0})
    assert grpo_otel.get_telemetry() is None


def test_otel_sdk_disabled(tmp_path):
    assert grpo_otel.initialize(env={"OTEL_SDK_DISABLED": "true"}) is None
    grpo_otel.log_training_progress(1, {"loss": 1.0})


def test_resource_identifies_the_run(bridge):
    r = grpo_otel.get_telemetry().resource.attributes
    assert r["grpo.run.id"] == "pytest-run" and r["service.instance.id"] == "pytest-run-0"
    assert r["grpo.experiment.name"] == "pytest" and r["grpo.rank"] == 0 and r["grpo.world_size"] == 1
    assert r["service.name"] == "grpo-training" and r["telemetry.distro.name"] == "grpo-otel"


def test_default_config_writes_under_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    grpo_otel.initialize(env={}, handle_exit=False)
    try:
        grpo_otel.get_logger("training").info("hello")
        grpo_otel.force_flush()
        assert "training - INFO - hello" in (tmp_path / "logs" / "training.log").read_text()
    finally:
        grpo_otel.shutdown()
    assert not os.path.exists(tmp_path / "logs" / "model_outputs.csv")


def test_channel_sample_and_rate_limit_drop_and_count(make_bridge):
    b = make_bridge(
        BASE_CONFIG.replace(
            "  training: {level: INFO, handlers: [file], propagate: false}",
            "  training: {level: INFO, handlers: [file], propagate: false, sample: 0.5}\n"
            "  whitelist: {level: INFO, handlers: [file], propagate: false, rate_limit: {records_per_second: 0.001, burst: 2}}",
        )
    )
    for i in range(6):
        grpo_otel.get_logger("training").info("t%d", i)
        grpo_otel.get_logger("whitelist").info("w%d", i)
    assert [r.log_record.body for r in b.records("training")] == ["t0", "t2", "t4"] or len(b.records("training")) == 3
    assert [r.log_record.body for r in b.records("whitelist")] == ["w0", "w1"]
    dropped = {tuple(sorted(a.items())): v for a, v in b.points("grpo.sdk.record.dropped")}
    assert dropped[(("grpo.sdk.drop.reason", "sampled"), ("grpo.sdk.signal", "logs"))] == 3
    assert dropped[(("grpo.sdk.drop.reason", "rate_limited"), ("grpo.sdk.signal", "logs"))] == 4


def test_limits_cut_and_redact_strings_and_count_them_as_sanitized(make_bridge):
    b = make_bridge(BASE_CONFIG + "limits: {max_string_length: 20, redact: ['sk-[a-z0-9]+']}\n")
    grpo_otel.get_training_logger().info("x" * 50)
    grpo_otel.get_training_logger().info("key sk-abc123")
    bodies = [r.log_record.body for r in b.records("training")]
    assert bodies == ["x" * 20 + "…[truncated 30 chars]", "key [REDACTED]"]
    sanitized = {tuple(sorted(a.items())): v for a, v in b.points("grpo.sdk.value.sanitized")}
    assert sanitized == {
        (("grpo.sdk.sanitize.reason", "truncated"), ("grpo.sdk.signal", "logs")): 1,
        (("grpo.sdk.sanitize.reason", "redacted"), ("grpo.sdk.signal", "logs")): 1,
    }


def test_per_token_values_of_a_sampling_ratio_share_of_the_completions(make_bridge):
    b = make_bridge(BASE_CONFIG.replace("sampling_ratio: 1", "sampling_ratio: 0.5"))
    gens = [{"text": str(i), "tokens": [1] * (i + 1), "logprobs": [-float(i)] * (i + 1)} for i in range(4)]
    grpo_otel.log_reward_metrics(2, {"f": [1, 0, 1, 0]})
    grpo_otel.log_generation_metrics(2, gens)
    grpo_otel.log_training_progress(2, {"loss": 1.0})
    (batch,) = b.batches()
    assert list(batch["grpo.batch.completion_lengths"]) == [1, 2, 3, 4]
    assert list(batch["grpo.batch.token_counts"]) == [0, 2, 0, 4]  # completions 1 and 3 of 4
    assert list(batch["grpo.batch.logprobs"]) == [-1.0, -1.0, -3.0, -3.0, -3.0, -3.0]
    assert "grpo.batch.entropies" not in batch


def test_an_otlp_handler_routes_its_channels_and_the_batch_to_its_own_endpoint(tmp_path):
    config = grpo_otel.parse_config(
        "root: {level: WARNING, handlers: []}\n"
        "loggers:\n  rewards: {level: INFO, handlers: [o], propagate: false}\n"
        "handlers:\n  o: {class: logging.custom.OTLPHandler, endpoint: 'http://127.0.0.1:9', timeout: 0.5, max_queue_size: 100}\n"
        "otlp: {metrics: false, traces: false}\n",
        env={},
    )
    assert config.otlp.enabled and not config.otlp.logs  # an otlp handler says which channels go
    assert config.handlers["o"].options["otlp"].max_records == 100
    t = grpo_otel.initialize(config=config, env={}, handle_exit=False)
    try:
        assert t.batch_targets() == [t._handler_providers["o"]]
        rewards = grpo_otel.get_logger("rewards")
        targets = [h for h in rewards.handlers if isinstance(h, grpo_otel._runtime.CaptureHandler)][0].targets
        assert [type(x).__name__ for x in targets] == ["OtlpTarget"]
    finally:
        grpo_otel.shutdown()


def test_a_batch_the_sink_would_refuse_is_not_sent_whole(bridge):
    # completions without rewards: nothing to analyse, dropped
    grpo_otel.log_generation_metrics(2, ["a", "b"])
    grpo_otel.log_reward_metrics(3, {"f": [1.0, 0.0, 1.0]})  # step 3 sends step 2's pending batch
    grpo_otel.log_reward_metrics(4, {"f": [1.0, 0.0]})
    grpo_otel.log_generation_metrics(4, ["only one"], ["x", "y"])  # a completion count that does not match
    grpo_otel.log_training_progress(4, {"loss": 1.0})
    batches = {b["grpo.step"]: b for b in bridge.batches()}
    assert sorted(batches) == [3, 4]
    assert "grpo.batch.completions" not in batches[4]
    assert list(batches[4]["grpo.batch.rewards"]) == [1.0, 0.0]


def test_references_with_steps_reasoning_and_questions_go_into_the_batch(bridge):
    grpo_otel.log_reward_metrics(2, {"correctness": [1, 0, 0]}, group_size=3)
    q = "Natalia sold 48 clips in April and half as many in May. How many in all?"
    refs = [
        {"answer": 72, "steps": [24.0, "48 + 24 = 72", 0.5], "question": q},
        {"answer": "72", "reasoning": "48 / 2 = 24; 48 + 24 = 72", "question": q},
        "72",  # an expected answer only: no steps, no reasoning, no question
    ]
    assert grpo_otel.log_generation_metrics(2, ["<answer>72</answer>", "<answer>60</answer>", "x"], refs) is True
    grpo_otel.log_training_progress(2, {"loss": 1.0})
    (b,) = bridge.batches()
    assert list(b["grpo.batch.expected_answers"]) == ["72", "72", "72"]
    assert list(b["grpo.batch.questions"]) == [q, q, ""]
    # flattened, completion after completion, numbers as their text (as JavaScript's String writes them)
    assert list(b["grpo.batch.reference_steps"]) == ["24", "48 + 24 = 72", "0.5"]
    assert list(b["grpo.batch.reference_step_counts"]) == [3, 0, 0]
    assert list(b["grpo.batch.reference_reasoning"]) == ["", "48 / 2 = 24; 48 + 24 = 72", ""]


def test_answers_only_references_send_no_reference_steps(bridge):
    grpo_otel.log_reward_metrics(2, {"correctness": [1, 0]})
    grpo_otel.log_generation_metrics(2, ["a", "b"], ["1", {"answer": 2}])
    grpo_otel.log_training_progress(2, {"loss": 1.0})
    (b,) = bridge.batches()
    assert list(b["grpo.batch.expected_answers"]) == ["1", "2"]
    for key in ("grpo.batch.questions", "grpo.batch.reference_steps", "grpo.batch.reference_step_counts", "grpo.batch.reference_reasoning"):
        assert key not in b, key


def test_bad_references_are_left_out_and_counted(bridge):
    grpo_otel.log_reward_metrics(2, {"correctness": [1, 0]})
    refs = [{"answer": 1, "steps": "not a list", "reasoning": 5}, {"answer": 2, "steps": [object()], "question": 3}]
    assert grpo_otel.log_generation_metrics(2, ["a", "b"], refs) is True
    grpo_otel.log_training_progress(2, {"loss": 1.0})
    (b,) = bridge.batches()
    assert list(b["grpo.batch.expected_answers"]) == ["1", "2"]
    for key in ("grpo.batch.questions", "grpo.batch.reference_steps", "grpo.batch.reference_reasoning"):
        assert key not in b, key
    dropped = bridge.points("grpo.sdk.record.dropped")
    assert sum(v for _, v in dropped) == 4, dropped  # the four values left out
    warnings = [r.log_record.body for r in bridge.records("metrics") if r.log_record.severity_text == "WARNING"]
    assert any("a reference's steps must be a list" in w for w in warnings)
    grpo_otel.log_reward_metrics(4, {"correctness": [1]})
    assert grpo_otel.log_generation_metrics(4, ["a"], "72") is True  # a string is not a list of references
    grpo_otel.log_training_progress(4, {"loss": 1.0})
    assert "grpo.batch.expected_answers" not in bridge.batches()[-1]


def test_send_batch_sends_references_only_with_expected_answers(bridge):
    assert grpo_otel.send_batch(
        5,
        {"f": [1.0, 0.0]},
        ["<answer>4</answer>", "5"],
        expected_answers=["4", "4"],
        questions=["2 + 2?", "2 + 2?"],
        reference_steps=[["2 + 2 = 4"], []],
        reference_reasoning=["two and two make 4", ""],
    )
    (b,) = bridge.batches()
    assert list(b["grpo.batch.reference_steps"]) == ["2 + 2 = 4"]
    assert list(b["grpo.batch.reference_step_counts"]) == [1, 0]
    assert list(b["grpo.batch.questions"]) == ["2 + 2?", "2 + 2?"]
    assert list(b["grpo.batch.reference_reasoning"]) == ["two and two make 4", ""]
    # without expected answers the sink would refuse the batch: the references are left out and counted
    assert grpo_otel.send_batch(6, {"f": [1.0]}, ["x"], reference_steps=[["1"]], questions=["q"])
    last = bridge.batches()[-1]
    assert last["grpo.step"] == 6 and "grpo.batch.reference_steps" not in last and "grpo.batch.questions" not in last
    # a step count per completion, or the steps are left out
    assert grpo_otel.send_batch(7, {"f": [1.0, 0.0]}, expected_answers=["1", "2"], reference_steps=[["1"]])
    assert "grpo.batch.reference_steps" not in bridge.batches()[-1]
    assert sum(v for _, v in bridge.points("grpo.sdk.record.dropped")) == 3


def test_the_batch_lists_the_gauges_this_process_records_itself(make_bridge):
    b = make_bridge(BASE_CONFIG.replace("logging_frequency: 1", "logging_frequency: 5"))
    reward_gauges = {"grpo.reward.mean", "grpo.reward.std", "grpo.reward.min", "grpo.reward.max", "grpo.reward.median"}
    # step 1 is not a logging step: no reward gauge recorded, but log_reward_metrics records them on
    # logging steps, so the sink leaves them to this process on every step; the batch goes after the
    # step's report, with what the report recorded
    grpo_otel.log_reward_metrics(1, {"f": [1.0, 0.0]})
    grpo_otel.log_training_progress(1, {"accuracy": 0.5, "loss": 1.0})
    grpo_otel.log_reward_metrics(2, {"f": [1.0, 0.0]})
    grpo_otel.log_generation_metrics(2, [{"text": "a", "tokens": 3}, {"text": "b", "tokens": 5}])
    grpo_otel.log_training_progress(2, {"loss": 0.5})
    first, second = b.batches()
    assert set(first["grpo.batch.reported_metrics"]) == reward_gauges | {"grpo.task.accuracy", "grpo.policy.loss", "grpo.training.current_step"}
    # and step 2's completion lengths
    assert reward_gauges | {"grpo.task.accuracy", "grpo.completion.mean_length"} <= set(second["grpo.batch.reported_metrics"])
    assert "grpo.reward.moving_average" not in second["grpo.batch.reported_metrics"]
