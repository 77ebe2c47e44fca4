"""A ``transformers`` ``TrainerCallback`` for TRL's GRPOTrainer (transformers is imported only here, and
only if installed: without it the callback still works, e.g. driven by hand or in tests).

    from grpo_otel.trl import GrpoOtelCallback
    cb = GrpoOtelCallback("logging_config.yaml")
    trainer = GRPOTrainer(..., reward_funcs=[cb.track(correctness), cb.track(fmt)], callbacks=[cb])

``on_log`` maps TRL's logged names (``rewards/<f>/mean``, ``reward``, ``reward_std``,
``frac_reward_zero_std``, ``kl``, ``entropy``, ``completions/*``, ``clip_ratio/*``, ``loss``, ...) through
semconv's mapping onto our metrics at ``state.global_step``; reward functions wrapped with ``track``
give the step's completions and rewards, sent as the step's batch (``grpo.step.batch``) at its end.
With ``answer_column`` (and ``steps_column``, ``reasoning_column``, ``question_column``) naming dataset
columns (TRL passes a dataset's columns to reward functions), the batch also carries each completion's
references: the sink then computes correctness, reasoning completeness and hallucinations.
"""

from __future__ import annotations

import functools
import math
from typing import Any, Callable, Dict, List, Mapping, Optional

from . import _api
from ._api import log_training_progress, send_batch

try:  # Optional: the callback is a plain object without transformers.
    from transformers import TrainerCallback as _Base  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the environment
    _Base = object  # type: ignore[assignment,misc]


def _text(completion: Any) -> str:
    """A completion's text: a string, or TRL's conversational form (a list of messages)."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, list):
        return "".join(str(m.get("content", "")) if isinstance(m, Mapping) else str(m) for m in completion)
    return str(completion)


def numeric_logs(logs: Optional[Mapping[str, Any]]) -> Dict[str, float]:
    """The numbers of a ``logs`` dict as TRL passes it to ``on_log`` (None, strings and NaN-only values left out)."""
    out: Dict[str, float] = {}
    for k, v in (logs or {}).items():
        if hasattr(v, "item") and callable(v.item):
            v = v.item()
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            continue
        if isinstance(v, float) and math.isnan(v):
            continue
        out[k] = float(v)
    return out


class GrpoOtelCallback(_Base):  # type: ignore[misc,valid-type]
    """Sends what GRPOTrainer logs to grpo-otel.

    ``config_path``: initialize the bridge with this config (or $GRPO_OTEL_CONFIG / the default) unless it
    is already initialized; then the callback also shuts it down at ``on_train_end``.
    ``all_ranks``: by default only the main process reports (TRL's values are gathered over processes).
    ``answer_column``, ``steps_column``, ``reasoning_column``, ``question_column``: the dataset columns
    (reward function keyword arguments, e.g. ``"prompts"`` for the question) holding each completion's
    expected answer, reference steps (a list), reference reasoning and question; the other three are
    sent only with the answers.
    """

    def __init__(
        self,
        config_path: Optional[str] = None,
        *,
        initialize: bool = True,
        all_ranks: bool = False,
        answer_column: Optional[str] = None,
        steps_column: Optional[str] = None,
        reasoning_column: Optional[str] = None,
        question_column: Optional[str] = None,
    ) -> None:
        self.all_ranks = all_ranks
        self._columns = {"expected_answers": answer_column, "reference_steps": steps_column, "reference_reasoning": reasoning_column, "questions": question_column}
        self._owned = False
        if initialize and _api.active() is None:
            import grpo_otel

            self._owned = grpo_otel.initialize(config_path) is not None
        self._rewards: Dict[str, List[float]] = {}
        self._order: List[str] = []
        self._completions: Optional[List[str]] = None
        self._lengths: Optional[List[int]] = None
        self._references: Dict[str, List[Any]] = {}
        self._step: Optional[int] = None
        self._group_size: Optional[int] = None

    # --- reward function wrapper ------------------------------------------------------------------
    def track(self, reward_func: Callable[..., Any], name: Optional[str] = None) -> Callable[..., Any]:
        """Wraps a TRL reward function: the rewards it returns, the completions and their token counts are
        kept for the step's batch. The wrapper keeps the function's name (TRL's ``rewards/<name>/...``)."""
        fname = name or getattr(reward_func, "__name__", "reward")

        @functools.wraps(reward_func)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            out = reward_func(*args, **kwargs)
            try:
                self.record_rewards(fname, out, kwargs.get("completions"), kwargs.get("completion_ids"), kwargs.get("trainer_state"), columns=kwargs)
            except Exception:  # noqa: BLE001 - telemetry never breaks training
                pass
            return out

        wrapped.__name__ = fname
        return wrapped

    def record_rewards(
        self,
        name: str,
        rewards: Any,
        completions: Any = None,
        completion_ids: Any = None,
        trainer_state: Any = None,
        *,
        columns: Optional[Mapping[str, Any]] = None,
    ) -> None:
        """Keeps one reward function's rewards for the step's batch (what ``track`` does per call), and
        the references in the configured ``columns`` (the reward function's keyword arguments)."""
        values = [math.nan if v is None else float(v) for v in rewards]
        if trainer_state is not None and getattr(trainer_state, "global_step", None) is not None:
            step = int(trainer_state.global_step) + 1
            if self._step is not None and step != self._step:
                self.flush_batch()
            self._step = step
        if name not in self._rewards:
            self._order.append(name)
        self._rewards[name] = values
        if completions is not None and self._completions is None:
            self._completions = [_text(c) for c in completions]
        if completion_ids is not None and self._lengths is None:
            self._lengths = [len(ids) for ids in completion_ids]
        if columns is not None and not self._references:
            for key, column in self._columns.items():
                v = columns.get(column) if column else None
                if v is None or isinstance(v, (str, bytes)):
                    continue
                if key == "questions":
                    self._references[key] = [_text(q) for q in v]
                elif key == "reference_steps":
                    self._references[key] = [list(x) if isinstance(x, (list, tuple)) else x for x in v]
                else:
                    self._references[key] = ["" if x is None else str(x) for x in v]

    def flush_batch(self, step: Optional[int] = None) -> bool:
        """Sends the kept rewards and completions as one step's batch."""
        if not self._rewards:
            return False
        n = {len(v) for v in self._rewards.values()}
        ok = False
        if len(n) == 1:
            ok = send_batch(
                self._step if self._step is not None else step,
                {k: self._rewards[k] for k in self._order},
                self._completions,
                group_size=self._group_size,
                completion_lengths=self._lengths,
                **(self._references if "expected_answers" in self._references else {}),
            )
        self._rewards, self._order, self._completions, self._lengths, self._step = {}, [], None, None, None
        self._references = {}
        return ok

    # --- TrainerCallback --------------------------------------------------------------------------
    def _reports(self, state: Any) -> bool:
        return self.all_ranks or getattr(state, "is_world_process_zero", True)

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> Any:
        g = getattr(args, "num_generations", None)
        if isinstance(g, int) and g > 0:
            self._group_size = g
        return control

    def on_log(self, args: Any, state: Any, control: Any, logs: Optional[Mapping[str, Any]] = None, **kwargs: Any) -> Any:
        if self._reports(state):
            values = numeric_logs(logs)
            values.pop("step", None)
            if values:
                log_training_progress(int(state.global_step), values)
        if self._rewards:
            # After the step's report: the batch lists the metrics it recorded (rewards/<f>/mean, entropy,
            # ...) as this process's own, so the sink does not write them again from its analyses.
            self.flush_batch(int(state.global_step))
        return control

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> Any:
        # A step that logs (transformers' flow callback has set should_log) sends its batch in on_log.
        if self._rewards and not getattr(control, "should_log", False):
            self.flush_batch(int(state.global_step))
        return control

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> Any:
        self.flush_batch(int(getattr(state, "global_step", 0)))
        if self._owned:
            import grpo_otel

            grpo_otel.shutdown()
            self._owned = False
        else:
            import grpo_otel

            grpo_otel.force_flush()
        return control
