"""GrpoOtelCallback with TRL's logged dicts as GRPOTrainer writes them.

torch and TRL are not installed here (see python/README.md: the PyPI torch wheel pulls the CUDA
libraries); the dicts below use the key names of trl/trainer/grpo_trainer.py (GRPOTrainer._metrics and
log(), huggingface/trl at f2cd57710) plus those transformers' Trainer adds (loss, grad_norm,
learning_rate, epoch), and the callback is driven as transformers' CallbackHandler drives it."""

from types import SimpleNamespace

import pytest

import grpo_otel
from grpo_otel.trl import GrpoOtelCallback, numeric_logs

# What GRPOTrainer.log passes to on_log in training (values averaged over the logging interval).
TRAIN_LOGS = {
    "loss": 0.0123,
    "grad_norm": 0.85,
    "learning_rate": 1e-06,
    "num_tokens": 10813.0,
    "completions/mean_length": 53.35,
    "completions/min_length": 35.3,
    "completions/max_length": 80.0,
    "completions/clipped_ratio": 0.0,
    "completions/mean_terminated_length": 53.35,
    "completions/min_terminated_length": 35.3,
    "completions/max_terminated_length": 80.0,
    "rewards/correctness_reward_func/mean": 0.65,
    "rewards/correctness_reward_func/std": 0.3536,
    "rewards/strict_format_reward_func/mean": 0.15,
    "rewards/strict_format_reward_func/std": 0.2,
    "reward": 0.8,
    "reward_std": 0.41,
    "frac_reward_zero_std": 0.25,
    "kl": 0.0021,
    "entropy": 1.7,
    "clip_ratio/low_mean": 0.01,
    "clip_ratio/low_min": 0.0,
    "clip_ratio/high_mean": 0.02,
    "clip_ratio/high_max": 0.05,
    "clip_ratio/region_mean": 0.03,
    "epoch": 0.01,
}
# In evaluation TRL prefixes every key with eval_ (and the Trainer adds runtime figures).
EVAL_LOGS = {
    "eval_loss": 0.02,
    "eval_reward": 0.5,
    "eval_rewards/correctness_reward_func/mean": 0.4,
    "eval_runtime": 3.2,
    "epoch": 0.01,
}


def state(step, main=True):
    return SimpleNamespace(global_step=step, is_world_process_zero=main)


ARGS = SimpleNamespace(num_generations=4)
CONTROL = SimpleNamespace()


def test_callback_works_without_transformers():
    try:
        import transformers  # noqa: F401

        pytest.skip("transformers is installed here")
    except ImportError:
        assert GrpoOtelCallback.__mro__[1] is object


def test_numeric_logs_keeps_numbers_only():
    assert numeric_logs({"a": 1, "b": None, "c": "x", "d": float("nan"), "e": True, "f": 2.5}) == {"a": 1.0, "f": 2.5}


def test_on_log_maps_trl_names_onto_our_metrics_at_the_global_step(bridge):
    cb = GrpoOtelCallback()
    cb.on_train_begin(ARGS, state(0), CONTROL)
    cb.on_log(ARGS, state(10), CONTROL, logs={**TRAIN_LOGS, "num_tokens": 5000.0})
    cb.on_log(ARGS, state(20), CONTROL, logs=dict(TRAIN_LOGS))
    cb.on_log(ARGS, state(20), CONTROL, logs=dict(EVAL_LOGS))
    v = bridge.value
    f = "grpo__reward__function"
    assert v("grpo.reward.mean", **{f: "correctness_reward_func", "grpo__split": "train"}) == 0.65
    assert v("grpo.reward.std", **{f: "strict_format_reward_func", "grpo__split": "train"}) == 0.2
    assert v("grpo.reward.mean", **{f: "total", "grpo__split": "train"}) == 0.8
    assert v("grpo.reward.mean", **{f: "total", "grpo__split": "validation"}) == 0.5
    assert v("grpo.reward.mean", **{f: "correctness_reward_func", "grpo__split": "validation"}) == 0.4
    assert v("grpo.reward.mean_group_std", **{f: "total"}) == 0.41
    assert v("grpo.reward.zero_std_ratio", **{f: "total"}) == 0.25
    assert v("grpo.policy.kl", grpo__kl__estimator="k3") == 0.0021
    assert v("grpo.policy.entropy") == 1.7
    assert v("grpo.completion.mean_length", grpo__split="train") == 53.35
    assert v("grpo.completion.clipped_ratio", grpo__split="train") == 0.0
    assert v("grpo.policy.clip.low_ratio") == 0.01
    assert v("grpo.policy.clip.high_ratio") == 0.02
    assert v("grpo.policy.clip.region_ratio") == 0.03
    assert v("grpo.policy.loss") == 0.0123
    assert v("grpo.policy.grad_norm") == 0.85
    assert v("grpo.policy.learning_rate") == 1e-06
    assert v("grpo.training.epoch") == 0.01
    assert v("grpo.training.tokens") == 10813  # 5000, then the increase to 10813
    assert v("grpo.training.current_step") == 20
    assert v("grpo.training.steps") == 20
    # names semconv does not map become grpo.custom.* gauges, as in the TypeScript SDK
    assert v("grpo.custom.clip_ratio.low_min") == 0.0
    assert v("grpo.custom.eval_runtime") == 3.2
    steps = [r.log_record.attributes["grpo.step"] for r in bridge.records("training")]
    assert steps == [10, 20, 20]


def test_only_the_main_process_reports_unless_asked(bridge):
    GrpoOtelCallback().on_log(ARGS, state(3, main=False), CONTROL, logs={"loss": 1.0})
    assert bridge.points("grpo.policy.loss") == []
    GrpoOtelCallback(all_ranks=True).on_log(ARGS, state(3, main=False), CONTROL, logs={"loss": 1.0})
    assert bridge.value("grpo.policy.loss") == 1.0


def test_tracked_reward_functions_send_the_steps_batch(bridge):
    cb = GrpoOtelCallback()
    cb.on_train_begin(ARGS, state(0), CONTROL)

    def correctness_reward_func(prompts, completions, completion_ids, **kwargs):
        return [1.0 if "4" in c[0]["content"] else 0.0 for c in completions]

    def strict_format_reward_func(prompts, completions, **kwargs):
        return [0.5, None, 0.5, 0.0]

    funcs = [cb.track(correctness_reward_func), cb.track(strict_format_reward_func)]
    assert [f.__name__ for f in funcs] == ["correctness_reward_func", "strict_format_reward_func"]
    completions = [[{"role": "assistant", "content": t}] for t in ["4", "5", "4", "four"]]
    ids = [[1, 2], [3], [4, 5, 6], [7, 8, 9, 10]]
    for f in funcs:  # as GRPOTrainer._calculate_rewards calls them
        f(prompts=["q"] * 4, completions=completions, completion_ids=ids, trainer_state=state(6), log_extra=None)
    cb.on_step_end(ARGS, state(7), CONTROL)
    (b,) = bridge.batches()
    assert b["grpo.step"] == 7 and b["grpo.group.size"] == 4
    assert list(b["grpo.batch.reward_functions"]) == ["correctness_reward_func", "strict_format_reward_func"]
    r = list(b["grpo.batch.rewards"])
    assert r[:4] == [1.0, 0.0, 1.0, 0.0] and r[4] == 0.5 and r[5] != r[5] and r[6:] == [0.5, 0.0]  # None -> NaN
    assert list(b["grpo.batch.completions"]) == ["4", "5", "4", "four"]
    assert list(b["grpo.batch.completion_lengths"]) == [2, 1, 3, 4]
    cb.on_step_end(ARGS, state(8), CONTROL)  # nothing new: nothing sent
    assert len(bridge.batches()) == 1


def test_callback_initializes_and_shuts_down_when_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    cb = GrpoOtelCallback()
    assert grpo_otel.get_telemetry() is not None
    cb.on_log(ARGS, state(1), CONTROL, logs={"loss": 0.5})
    cb.on_train_end(ARGS, state(1), CONTROL)
    assert grpo_otel.get_telemetry() is None
    assert "step 1: loss=0.5" in (tmp_path / "logs" / "training.log").read_text()


def test_reference_columns_of_the_dataset_go_into_the_batch(bridge):
    cb = GrpoOtelCallback(answer_column="answer", steps_column="steps", reasoning_column="solution", question_column="prompts")
    cb.on_train_begin(ARGS, state(0), CONTROL)
    f = cb.track(lambda completions, **kwargs: [1.0 if "72" in c else 0.0 for c in completions], name="correct")
    prompts = [[{"role": "user", "content": "48 and half as many?"}]] * 2
    f(prompts=prompts, completions=["72", "60"], answer=[72, 72], steps=[[24, 72], ("24",)], solution=["48 / 2 = 24", None], trainer_state=state(2))
    cb.on_step_end(ARGS, state(3), CONTROL)
    (b,) = bridge.batches()
    assert list(b["grpo.batch.expected_answers"]) == ["72", "72"]
    assert list(b["grpo.batch.questions"]) == ["48 and half as many?"] * 2
    assert list(b["grpo.batch.reference_steps"]) == ["24", "72", "24"]
    assert list(b["grpo.batch.reference_step_counts"]) == [2, 1]
    assert list(b["grpo.batch.reference_reasoning"]) == ["48 / 2 = 24", ""]
    # without the answers column, no references: the sink needs the expected answers with them
    cb2 = GrpoOtelCallback(steps_column="steps")
    g = cb2.track(lambda completions, **kwargs: [0.0], name="r")
    g(completions=["x"], steps=[[1]], trainer_state=state(4))
    cb2.on_step_end(ARGS, state(5), CONTROL)
    last = bridge.batches()[-1]
    assert last["grpo.step"] == 5 and "grpo.batch.reference_steps" not in last


def test_a_logging_step_sends_its_batch_after_the_report_listing_what_it_recorded(bridge):
    cb = GrpoOtelCallback()
    cb.on_train_begin(ARGS, state(0), CONTROL)
    f = cb.track(lambda completions, **kwargs: [1.0, 0.0], name="correctness_reward_func")
    f(completions=["4", "5"], trainer_state=state(0))
    logging = SimpleNamespace(should_log=True)
    cb.on_step_end(ARGS, state(1), logging)
    assert bridge.batches() == []  # waits for on_log
    cb.on_log(ARGS, state(1), logging, logs=TRAIN_LOGS)
    (b,) = bridge.batches()
    assert b["grpo.step"] == 1
    # TRL's rewards/<f>/mean, reward, kl, entropy, completions/mean_length: this process's own series
    assert {"grpo.reward.mean", "grpo.reward.std", "grpo.policy.entropy", "grpo.completion.mean_length"} <= set(b["grpo.batch.reported_metrics"])
