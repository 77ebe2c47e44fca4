"""The seed's API on the bridge: each call checks and copies its values on the training thread and
hands them to the telemetry thread, which computes the few statistics the metrics need (mean, std,
min, max, median), records them on the semconv instruments, writes the channel's record, and sends
the step's raw batch (event ``grpo.step.batch``) for the analyses at the sink."""

from __future__ import annotations

import logging
import math
import numbers
from array import array
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from opentelemetry._logs import SeverityNumber

from . import semconv as S
from ._names import resolve_metric_key
from ._runtime import Telemetry

_active: Optional[Telemetry] = None

MAX_SAMPLES = 16
MAX_SAMPLE_CHARS = 500

_warned: set = set()
_INFO = SeverityNumber.INFO


def active() -> Optional[Telemetry]:
    return _active


def set_active(t: Optional[Telemetry]) -> None:
    global _active
    _active = t


# --- capture helpers (training thread) -------------------------------------------------------------


def _floats(values: Any) -> Optional[List[float]]:
    """A copy of numbers as Python floats (lists, tuples, numpy arrays, torch tensors); None if not numbers."""
    if hasattr(values, "detach"):  # torch.Tensor
        values = values.detach().cpu()
    if hasattr(values, "tolist") and not isinstance(values, (list, tuple)):
        floating = getattr(getattr(values, "dtype", None), "kind", None) == "f"
        values = values.tolist()
        if not isinstance(values, list):
            values = [values]
        elif floating:
            return values  # a fresh list of Python floats already (numpy/torch float arrays)
    if isinstance(values, (list, tuple)):
        try:
            return array("d", values).tolist()  # a copy as Python floats, converted in C
        except (TypeError, ValueError, OverflowError):
            pass
        try:
            return [float(v) if v is not None else math.nan for v in values]
        except (TypeError, ValueError):
            return None
    return None


def _ints(values: Any) -> Optional[List[int]]:
    f = _floats(values)
    if f is None:
        return None
    return [int(v) if math.isfinite(v) else 0 for v in f]


def _warn(t: Telemetry, channel: str, key: str, message: str) -> None:
    t.drops.record("metrics", "invalid_value", key)
    if key in _warned or len(_warned) > 1024:
        return
    _warned.add(key)
    t.channel(channel).warning(message)


def resolve_step(t: Telemetry, call: str, step: Any) -> Optional[int]:
    """The step of a call: the one it names, else the step the trainer is in (None: call dropped)."""
    if step is None:
        return t.steps.current
    if isinstance(step, bool) or not isinstance(step, numbers.Integral) or int(step) < 0:
        _warn(t, "training", f"{call}.step", f"{call}: step must be a non-negative integer, got {step!r}; the call is dropped")
        return None
    step = int(step)
    t.steps.name(step)
    return step


def is_logging_step(t: Optional[Telemetry], step: int, full: bool = False, final: bool = False) -> bool:
    if not isinstance(step, int) or step < 0:
        return False
    if final:
        return True
    m = t.config.metrics if t is not None else None
    every = (m.full_metrics_frequency if full else m.logging_frequency) if m is not None else (250 if full else 50)
    return step % every == 0


# --- statistics (telemetry thread) -----------------------------------------------------------------


def summarize(values: Sequence[float]) -> Dict[str, float]:
    """count, mean, population std, min, max, median of the finite values; ``skipped`` counts the others."""
    xs = sorted(v for v in values if math.isfinite(v))
    n = len(xs)
    skipped = len(values) - n
    if n == 0:
        nan = math.nan
        return {"count": 0, "mean": nan, "std": nan, "min": nan, "max": nan, "median": nan, "skipped": skipped}
    mean = math.fsum(xs) / n
    var = math.fsum((x - mean) ** 2 for x in xs) / n
    mid = n // 2
    median = xs[mid] if n % 2 else (xs[mid - 1] + xs[mid]) / 2
    return {"count": n, "mean": mean, "std": math.sqrt(var), "min": xs[0], "max": xs[-1], "median": median, "skipped": skipped}


def _fmt(v: float) -> str:
    if not math.isfinite(v):
        return str(v)
    if v == int(v) and abs(v) < 1e4:
        return str(int(v))
    return f"{v:.4g}"


# The reward gauges log_reward_metrics records on logging steps: a batch of log_reward_metrics lists
# them on every step (grpo.batch.reported_metrics), so the sink leaves them to this process on the others too.
_REWARD_SUMMARY = (S.REWARD_MEAN.name, S.REWARD_STD.name, S.REWARD_MIN.name, S.REWARD_MAX.name, S.REWARD_MEDIAN.name)


def _record_summary(t: Telemetry, s: Mapping[str, float], attrs: Mapping[str, str], step: int) -> None:
    t.record(S.REWARD_MEAN, s["mean"], attrs, step)
    t.record(S.REWARD_STD, s["std"], attrs, step)
    t.record(S.REWARD_MIN, s["min"], attrs, step)
    t.record(S.REWARD_MAX, s["max"], attrs, step)
    t.record(S.REWARD_MEDIAN, s["median"], attrs, step)


def _reward_attrs(name: str, split: str = "train") -> Dict[str, str]:
    return {S.ATTR_GRPO_REWARD_FUNCTION: name, S.ATTR_GRPO_SPLIT: split}


def _log(t: Telemetry, channel: str, level: int, message: str, attrs: Dict[str, Any]) -> None:
    logger = t.channel(channel)
    if logger.isEnabledFor(level):
        logger.log(level, message, extra={"_grpo_attrs": attrs})


# --- log_reward ------------------------------------------------------------------------------------


def _log_reward_task(t: Telemetry, step: int, name: str, values: List[float], samples: Optional[List[str]]) -> None:
    s = summarize(values)
    if s["skipped"]:
        t.drops.record("metrics", "invalid_value", S.REWARD_VALUE.name, int(s["skipped"]))
    if s["count"]:
        _record_summary(t, s, _reward_attrs(name), step)
    attrs: Dict[str, Any] = {
        S.ATTR_GRPO_REWARD_FUNCTION: name,
        "grpo.reward.count": s["count"],
        "grpo.reward.mean": s["mean"],
        "grpo.reward.std": s["std"],
        "grpo.reward.min": s["min"],
        "grpo.reward.max": s["max"],
        "grpo.reward.median": s["median"],
        S.ATTR_GRPO_STEP: step,
    }
    if samples:
        attrs["grpo.reward.samples"] = samples
        attrs["grpo.reward.values"] = values[: len(samples)]
    stats = (
        f"mean={_fmt(s['mean'])} std={_fmt(s['std'])} min={_fmt(s['min'])} max={_fmt(s['max'])} "
        f"median={_fmt(s['median'])} n={s['count']}"
        if s["count"]
        else "no finite values"
    )
    dropped = f" ({s['skipped']} non-finite dropped)" if s["skipped"] else ""
    _log(t, "rewards", logging.INFO, f"reward {name}: {stats}{dropped}", attrs)


def log_reward(reward_name: str, values: Any, samples: Optional[Sequence[str]] = None, step: Optional[int] = None) -> None:
    """The seed's ``log_reward(reward_name, values, samples=None)``: the batch's mean/std/min/max/median
    gauges of one reward function, and one record on the ``rewards`` channel with the first samples."""
    t = _active
    if t is None or not t.config.metrics.reward_metrics:
        return
    s = resolve_step(t, "log_reward", step)
    if s is None:
        return
    if not isinstance(reward_name, str) or not reward_name:
        _warn(t, "rewards", "log_reward.name", f"log_reward: the reward name must be a non-empty string, got {reward_name!r}")
        return
    floats = _floats(values)
    if floats is None:
        _warn(t, "rewards", f"log_reward.{reward_name}", f"log_reward: values of '{reward_name}' must be numbers, got {type(values).__name__}")
        return
    shown = None
    if samples is not None:
        shown = [str(x)[:MAX_SAMPLE_CHARS] for x in list(samples)[:MAX_SAMPLES]]
    t.submit(_log_reward_task, t, s, reward_name, floats, shown, where="log_reward")


# --- the step's batch ------------------------------------------------------------------------------


class _Batch:
    __slots__ = (
        "step", "group_size", "functions", "rewards", "completions", "lengths", "answers", "expected", "questions",
        "reference_steps", "reference_reasoning", "token_counts", "logprobs", "ref_logprobs", "entropies", "wants_completions",
        "reports",
    )

    def __init__(self, step: int) -> None:
        self.step = step
        self.group_size: Optional[int] = None
        self.functions: Optional[List[str]] = None
        self.rewards: Optional[List[float]] = None
        self.completions: Optional[List[str]] = None
        self.lengths: Optional[List[int]] = None
        self.answers: Optional[List[str]] = None
        self.expected: Optional[List[str]] = None
        self.questions: Optional[List[str]] = None
        # per completion: the steps a complete solution states ([] for none)
        self.reference_steps: Optional[List[List[str]]] = None
        self.reference_reasoning: Optional[List[str]] = None
        self.token_counts: Optional[List[int]] = None
        self.logprobs: Optional[List[float]] = None
        self.ref_logprobs: Optional[List[float]] = None
        self.entropies: Optional[List[float]] = None
        self.wants_completions = False
        # Metrics this process records itself for this batch's calls, beyond those already recorded.
        self.reports: Tuple[str, ...] = ()

    def attributes(self) -> Dict[str, Any]:
        a: Dict[str, Any] = {S.ATTR_GRPO_STEP: self.step, S.ATTR_GRPO_GROUP_SIZE: self.group_size or 1}
        for key, v in (
            (S.ATTR_GRPO_BATCH_REWARD_FUNCTIONS, self.functions),
            (S.ATTR_GRPO_BATCH_REWARDS, self.rewards),
            (S.ATTR_GRPO_BATCH_COMPLETIONS, self.completions),
            (S.ATTR_GRPO_BATCH_COMPLETION_LENGTHS, self.lengths),
            (S.ATTR_GRPO_BATCH_ANSWERS, self.answers),
            (S.ATTR_GRPO_BATCH_EXPECTED_ANSWERS, self.expected),
            (S.ATTR_GRPO_BATCH_QUESTIONS, self.questions),
            (S.ATTR_GRPO_BATCH_REFERENCE_REASONING, self.reference_reasoning),
            (S.ATTR_GRPO_BATCH_TOKEN_COUNTS, self.token_counts),
            (S.ATTR_GRPO_BATCH_LOGPROBS, self.logprobs),
            (S.ATTR_GRPO_BATCH_REF_LOGPROBS, self.ref_logprobs),
            (S.ATTR_GRPO_BATCH_ENTROPIES, self.entropies),
        ):
            if v is not None:
                a[key] = v
        if self.reference_steps is not None:
            a[S.ATTR_GRPO_BATCH_REFERENCE_STEPS] = [x for steps in self.reference_steps for x in steps]
            a[S.ATTR_GRPO_BATCH_REFERENCE_STEP_COUNTS] = [len(steps) for steps in self.reference_steps]
        return a


def _consistent(t: Telemetry, b: _Batch) -> bool:
    """The contract's checks (the sink refuses a batch that fails them): rewards present, every
    per-completion array one value per completion, the per-token arrays as long as the token counts
    add up to, the references beyond the expected answers only with them. An array that does not fit is
    left out and counted; a batch without rewards is dropped."""
    if not b.rewards or not b.functions or len(b.rewards) % len(b.functions):
        t.drops.record("logs", "invalid_value", S.EVENT_GRPO_STEP_BATCH)
        return False
    n = len(b.rewards) // len(b.functions)
    for name in ("completions", "lengths", "answers", "expected", "questions", "reference_steps", "reference_reasoning", "token_counts"):
        v = getattr(b, name)
        if v is not None and len(v) != n:
            setattr(b, name, None)
            t.drops.record("logs", "invalid_value", f"{S.EVENT_GRPO_STEP_BATCH}.{name}")
    if b.expected is None:
        for name in ("questions", "reference_steps", "reference_reasoning"):
            if getattr(b, name) is not None:
                setattr(b, name, None)
                t.drops.record("logs", "invalid_value", f"{S.EVENT_GRPO_STEP_BATCH}.{name}")
    total = sum(b.token_counts) if b.token_counts is not None else None
    for name in ("logprobs", "ref_logprobs", "entropies"):
        v = getattr(b, name)
        if v is not None and (total is None or len(v) != total):
            setattr(b, name, None)
            t.drops.record("logs", "invalid_value", f"{S.EVENT_GRPO_STEP_BATCH}.{name}")
    return True


def _emit_batch(t: Telemetry, b: _Batch) -> None:
    if not _consistent(t, b):
        return
    attrs = b.attributes()
    attrs["event.name"] = S.EVENT_GRPO_STEP_BATCH
    # The gauges this process records itself: so far (this step's among them: their tasks ran first),
    # and those its calls record on their logging steps.
    reported = list(dict.fromkeys([*t.reported_metrics, *b.reports]))
    if reported:
        attrs[S.ATTR_GRPO_BATCH_REPORTED_METRICS] = reported
    for key in (S.ATTR_GRPO_BATCH_COMPLETIONS, S.ATTR_GRPO_BATCH_QUESTIONS, S.ATTR_GRPO_BATCH_REFERENCE_REASONING):
        if key in attrs:
            attrs[key] = t.limit(attrs[key])
    for provider in t.batch_targets():
        provider.get_logger("rewards").emit(
            event_name=S.EVENT_GRPO_STEP_BATCH,
            severity_text="INFO",
            severity_number=_INFO,
            body=f"step {b.step} batch",
            attributes=attrs,
        )


def _pending(t: Telemetry) -> Optional[_Batch]:
    return getattr(t, "_grpo_batch", None)


def flush_pending_batch(t: Telemetry) -> None:
    b = _pending(t)
    if b is not None:
        t._grpo_batch = None  # type: ignore[attr-defined]
        t.submit(_emit_batch, t, b, where=S.EVENT_GRPO_STEP_BATCH, signal="logs")


def _batch_for(t: Telemetry, step: int) -> _Batch:
    b = _pending(t)
    if b is not None and b.step != step:
        flush_pending_batch(t)
        b = None
    if b is None:
        b = _Batch(step)
        t._grpo_batch = b  # type: ignore[attr-defined]
    return b


def _complete(b: _Batch) -> bool:
    return b.rewards is not None and (b.completions is not None or b.lengths is not None or not b.wants_completions)


def _maybe_complete(t: Telemetry, b: _Batch) -> None:
    """Sends a complete batch once its step is reported (``log_training_progress``): then it lists
    every gauge the step recorded (``grpo.batch.reported_metrics``). Before the report it waits for it,
    for the next step's first call, or for a flush."""
    reported = t.steps.reported
    if _complete(b) and reported is not None and reported >= b.step:
        flush_pending_batch(t)


def _full_step(t: Telemetry, step: int, final: bool) -> bool:
    return t.config.metrics.generation_metrics and is_logging_step(t, step, full=True, final=final)


# --- log_reward_metrics ----------------------------------------------------------------------------


def _reward_metrics_task(t: Telemetry, step: int, names: List[str], lists: List[List[float]], weights: Optional[Dict[str, float]]) -> None:
    per: Dict[str, Dict[str, float]] = {}
    for name, values in zip(names, lists):
        s = summarize(values)
        if s["skipped"]:
            t.drops.record("metrics", "invalid_value", S.REWARD_VALUE.name, int(s["skipped"]))
        if s["count"]:
            _record_summary(t, s, _reward_attrs(name), step)
        per[name] = s
    if len(names) > 1:
        n = len(lists[0])
        total = [0.0] * n
        for name, values in zip(names, lists):
            w = (weights or {}).get(name, 1.0)
            for i, v in enumerate(values):
                if math.isfinite(v):
                    total[i] += w * v
        s = summarize(total)
        _record_summary(t, s, _reward_attrs(S.REWARD_FUNCTION_TOTAL), step)
        per[S.REWARD_FUNCTION_TOTAL] = s
    parts = ", ".join(f"{k} mean={_fmt(v['mean'])} std={_fmt(v['std'])}" for k, v in per.items())
    attrs: Dict[str, Any] = {S.ATTR_GRPO_STEP: step}
    for k, v in per.items():
        attrs[f"grpo.reward.{k}.mean"] = v["mean"]
    _log(t, "metrics", logging.INFO, f"step {step} rewards: {parts}", attrs)


def log_reward_metrics(
    step: Optional[int],
    rewards_dict: Mapping[str, Any],
    history_window: int = 100,
    *,
    group_size: Optional[int] = None,
    weights: Optional[Mapping[str, float]] = None,
    final: bool = False,
) -> bool:
    """The seed's ``log_reward_metrics(step, rewards_dict, history_window=100)``. Every step: the rewards
    go into the step's batch (event ``grpo.step.batch``), from which the sink computes moving averages
    (over ``history_window``), correlations, group statistics and plateau signals. On logging steps
    (``metrics.logging_frequency``, or ``final=True``) the mean/std/min/max/median gauges of each
    function and of the weighted total are recorded too (the batch names them as this process's, so the
    sink does not write them again). The batch goes with the step's report (``log_training_progress``),
    else with the next step's first call. Returns whether it was a logging step."""
    t = _active
    if t is None or not t.config.metrics.reward_metrics:
        return False
    s = resolve_step(t, "log_reward_metrics", step)
    if s is None:
        return False
    if not isinstance(rewards_dict, Mapping):
        _warn(t, "metrics", "log_reward_metrics", "log_reward_metrics: rewards_dict must map reward function names to arrays of numbers; the batch is dropped")
        return False
    names: List[str] = []
    lists: List[List[float]] = []
    for name, values in rewards_dict.items():
        f = _floats(values) if isinstance(name, str) and name and name != S.REWARD_FUNCTION_TOTAL else None
        if f is None:
            _warn(t, "metrics", f"log_reward_metrics.{name}", f"log_reward_metrics: reward function {name!r} skipped (expected an array of numbers; '{S.REWARD_FUNCTION_TOTAL}' is reserved)")
            continue
        names.append(name)
        lists.append(f)
    if not names:
        return False
    n = len(lists[0])
    if any(len(x) != n for x in lists):
        _warn(t, "metrics", "log_reward_metrics.lengths", f"log_reward_metrics(step {s}): the reward arrays must have one value per completion, got {', '.join(f'{k}: {len(x)}' for k, x in zip(names, lists))}; the batch is dropped")
        return False
    if group_size is not None and not (isinstance(group_size, int) and group_size > 0 and n % group_size == 0):
        _warn(t, "metrics", "log_reward_metrics.group_size", f"log_reward_metrics(step {s}): group_size must be a positive integer that divides the {n} completions, got {group_size!r}; the batch is dropped")
        return False
    w = {k: float(v) for k, v in weights.items() if isinstance(v, (int, float)) and math.isfinite(v)} if weights else None
    b = _batch_for(t, s)
    b.functions = names
    b.rewards = [v for x in lists for v in x]
    b.group_size = group_size or b.group_size
    b.wants_completions = b.wants_completions or _full_step(t, s, final)
    b.reports = _REWARD_SUMMARY
    logging_step = is_logging_step(t, s, final=final)
    if logging_step:
        t.submit(_reward_metrics_task, t, s, names, lists, w, where="log_reward_metrics")
    _maybe_complete(t, b)
    return logging_step


# --- log_generation_metrics ------------------------------------------------------------------------


def _generation_task(t: Telemetry, step: int, lengths: Optional[List[int]]) -> None:
    if not lengths:
        return
    attrs = {S.ATTR_GRPO_SPLIT: "train"}
    t.record(S.COMPLETION_MEAN_LENGTH, math.fsum(lengths) / len(lengths), attrs, step)
    t.record(S.COMPLETION_MIN_LENGTH, min(lengths), attrs, step)
    t.record(S.COMPLETION_MAX_LENGTH, max(lengths), attrs, step)


def _answer(r: Any) -> str:
    if isinstance(r, Mapping):
        r = r.get("answer", "")
    return "" if r is None else str(r)


def _step_text(v: Any) -> Optional[str]:
    """A reference step as the TypeScript SDK sends it (``String(step)``): a string, or a number's text
    (a whole float without ``.0``, as JavaScript writes it); None for anything else."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        return None
    if isinstance(v, numbers.Integral):
        return str(int(v))
    f = float(v)
    return str(int(f)) if math.isfinite(f) and f.is_integer() and abs(f) < 1e21 else repr(f)


def _strings(values: Any) -> Optional[List[str]]:
    """A list of reference steps as strings (see ``_step_text``); None if not a list of strings or numbers."""
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        return None
    out = [_step_text(v) for v in values]
    return None if any(x is None for x in out) else out  # type: ignore[return-value]


class _References:
    """What ``references`` give the step's batch, as the TypeScript SDK's ``logGenerationMetrics`` takes
    them: each an expected answer, or a mapping with ``answer`` and optionally ``steps`` (the
    intermediate results a complete solution states), ``reasoning`` (a reference reasoning text) and
    ``question``. A key no reference has is not sent; a reference without it has ``[]`` or ``''``
    (none). ``bad`` counts the values left out (steps not a list of strings or numbers, a reasoning or
    question not a string)."""

    __slots__ = ("expected", "questions", "steps", "reasoning", "bad")

    def __init__(self, references: Iterable[Any], n: int) -> None:
        refs = list(references)[:n]
        self.expected = [_answer(r) for r in refs]
        self.bad = 0
        questions: List[str] = []
        steps: List[List[str]] = []
        reasoning: List[str] = []
        have = {"question": False, "steps": False, "reasoning": False}
        for r in refs:
            m = r if isinstance(r, Mapping) else {}
            q, st, rs = m.get("question"), m.get("steps"), m.get("reasoning")
            if q is not None and not isinstance(q, str):
                self.bad += 1
                q = None
            if rs is not None and not isinstance(rs, str):
                self.bad += 1
                rs = None
            listed = _strings(st) if st is not None else None
            if st is not None and listed is None:
                self.bad += 1
            have["question"] |= q is not None
            have["steps"] |= listed is not None
            have["reasoning"] |= rs is not None
            questions.append(q or "")
            steps.append(listed or [])
            reasoning.append(rs or "")
        self.questions = questions if have["question"] else None
        self.steps = steps if have["steps"] else None
        self.reasoning = reasoning if have["reasoning"] else None


def log_generation_metrics(
    step: Optional[int],
    generations: Sequence[Any],
    references: Optional[Sequence[Any]] = None,
    *,
    group_size: Optional[int] = None,
    final: bool = False,
) -> bool:
    """The seed's ``log_generation_metrics(step, generations, references=None)``. On full-metrics steps
    (``metrics.full_metrics_frequency``, or ``final=True``): the completions (texts, token lengths,
    references, and per-token ``logprobs``/``ref_logprobs``/``entropies`` when given) go into the
    step's batch for the sink's analyses (entropy, KL, diversity, format, correctness; reasoning
    completeness and hallucinations with references that have ``steps`` or ``reasoning``), and the mean,
    min and max completion length gauges are recorded. Per-token values are sent for an evenly spaced
    ``metrics.sampling_ratio`` share of the completions (the others have 0 in ``token_counts``). A generation is a string or a mapping with
    ``text`` and optionally ``tokens`` (ids or a count), ``logprobs``, ``ref_logprobs``, ``entropies``.
    A reference is the expected answer, or a mapping with ``answer`` and optionally ``steps`` (the
    intermediate results a complete solution states), ``reasoning`` (a reference reasoning) and
    ``question`` (the TypeScript SDK's references). Returns whether the batch was taken."""
    t = _active
    if t is None:
        return False
    s = resolve_step(t, "log_generation_metrics", step)
    if s is None or not _full_step(t, s, final):
        return False
    if not isinstance(generations, Sequence) or isinstance(generations, (str, bytes)):
        _warn(t, "metrics", "log_generation_metrics", "log_generation_metrics: generations must be a list of strings or mappings; dropped")
        return False
    texts: List[str] = []
    lengths: List[int] = []
    have_lengths = True
    counts: List[int] = []
    per_token: Dict[str, List[float]] = {"logprobs": [], "ref_logprobs": [], "entropies": []}
    have = {k: True for k in per_token}
    # Per-token values of a `sampling_ratio` share of the completions, evenly spaced (the TypeScript
    # SDK's rule for its expensive metrics); the others count 0 tokens in `grpo.batch.token_counts`.
    ratio = t.config.metrics.sampling_ratio
    for i, g in enumerate(generations):
        if isinstance(g, str):
            texts.append(g)
            have_lengths = False
            for k in have:
                have[k] = False
            continue
        if not isinstance(g, Mapping):
            texts.append("" if g is None else str(g))
            have_lengths = False
            continue
        texts.append(str(g.get("text", "")))
        tokens = g.get("tokens")
        n_tokens = tokens if isinstance(tokens, int) else (len(tokens) if tokens is not None and hasattr(tokens, "__len__") else None)
        lp = g.get("logprobs")
        if n_tokens is None and lp is not None and hasattr(lp, "__len__"):
            n_tokens = len(lp)
        if n_tokens is None:
            have_lengths = False
        else:
            lengths.append(int(n_tokens))
        count = None
        if math.floor((i + 1) * ratio) <= math.floor(i * ratio):
            counts.append(0)
            continue
        for k in per_token:
            v = g.get(k) if k != "ref_logprobs" else g.get("ref_logprobs", g.get("refLogprobs"))
            f = _floats(v) if v is not None else None
            if f is None:
                have[k] = False
                continue
            if count is None:
                count = len(f)
            per_token[k].extend(f)
        counts.append(count or 0)
    b = _batch_for(t, s)
    b.completions = texts
    b.lengths = lengths if have_lengths else None
    if group_size is not None and b.group_size is None:
        b.group_size = group_size
    if references is not None:
        if isinstance(references, Iterable) and not isinstance(references, (str, bytes, Mapping)):
            refs = _References(references, len(texts))
            b.expected, b.questions, b.reference_steps, b.reference_reasoning = refs.expected, refs.questions, refs.steps, refs.reasoning
            if refs.bad:
                t.drops.record("metrics", "invalid_value", "log_generation_metrics.references", refs.bad - 1)
                _warn(t, "metrics", "log_generation_metrics.references", "log_generation_metrics: a reference's steps must be a list of strings or numbers, its reasoning and question strings; left out")
        else:
            _warn(t, "metrics", "log_generation_metrics.references", "log_generation_metrics: references must be a list (one per generation); left out")
    if any(have.values()):
        b.token_counts = counts
        b.logprobs = per_token["logprobs"] if have["logprobs"] else None
        b.ref_logprobs = per_token["ref_logprobs"] if have["ref_logprobs"] else None
        b.entropies = per_token["entropies"] if have["entropies"] else None
    t.submit(_generation_task, t, s, b.lengths, where="log_generation_metrics")
    _maybe_complete(t, b)
    return True


def send_batch(
    step: Optional[int],
    rewards: Mapping[str, Any],
    completions: Optional[Sequence[str]] = None,
    *,
    group_size: Optional[int] = None,
    completion_lengths: Optional[Sequence[int]] = None,
    answers: Optional[Sequence[str]] = None,
    expected_answers: Optional[Sequence[str]] = None,
    questions: Optional[Sequence[str]] = None,
    reference_steps: Optional[Sequence[Sequence[Any]]] = None,
    reference_reasoning: Optional[Sequence[str]] = None,
    token_counts: Optional[Sequence[int]] = None,
    logprobs: Any = None,
    ref_logprobs: Any = None,
    entropies: Any = None,
) -> bool:
    """Sends one step's raw batch now (event ``grpo.step.batch``): rewards per function (each one value
    per completion), and optionally the completions and per-token values, for the sink's analyses.
    With ``expected_answers``, per completion also its ``questions``, ``reference_steps`` (a list of
    strings or numbers each, ``[]`` for none) and ``reference_reasoning`` (``''`` for none): the sink's
    reasoning completeness and hallucination ratio. No gauges are recorded (``log_reward_metrics`` does
    that). Returns whether it was sent."""
    t = _active
    if t is None:
        return False
    s = resolve_step(t, "send_batch", step)
    if s is None:
        return False
    names = [k for k in rewards if isinstance(k, str) and k and k != S.REWARD_FUNCTION_TOTAL]
    lists = [_floats(rewards[k]) for k in names]
    if not names or any(x is None for x in lists) or len({len(x or []) for x in lists}) != 1:
        _warn(t, "rewards", "send_batch", "send_batch: rewards must map function names to equally long arrays of numbers; dropped")
        return False
    b = _batch_for(t, s)
    b.functions = names
    b.rewards = [v for x in lists for v in (x or [])]
    if group_size is not None:
        b.group_size = int(group_size)
    if completions is not None:
        b.completions = [str(c) for c in completions]
    if completion_lengths is not None:
        b.lengths = _ints(completion_lengths)
    if answers is not None:
        b.answers = [str(a) for a in answers]
    if expected_answers is not None:
        b.expected = [str(a) for a in expected_answers]
    if questions is not None:
        b.questions = [str(q) for q in questions]
    if reference_steps is not None:
        steps = [_strings(x) for x in reference_steps]
        if any(x is None for x in steps):
            _warn(t, "rewards", "send_batch.reference_steps", "send_batch: reference_steps must hold a list of strings or numbers per completion; left out")
        else:
            b.reference_steps = steps  # type: ignore[assignment]
    if reference_reasoning is not None:
        b.reference_reasoning = [str(r) for r in reference_reasoning]
    if token_counts is not None:
        b.token_counts = _ints(token_counts)
        b.logprobs = _floats(logprobs) if logprobs is not None else None
        b.ref_logprobs = _floats(ref_logprobs) if ref_logprobs is not None else None
        b.entropies = _floats(entropies) if entropies is not None else None
    flush_pending_batch(t)
    return True


# --- log_training_progress -------------------------------------------------------------------------


def _progress_task(t: Telemetry, step: int, items: List[Tuple[str, float]], before: Optional[int], highest: Optional[int]) -> None:
    if highest is not None and highest != before:
        t.record_step_change(before, highest)
    parts = []
    attrs: Dict[str, Any] = {S.ATTR_GRPO_STEP: step}
    for key, value in items:
        r = resolve_metric_key(key)
        if r.cumulative:
            t.record_cumulative(r.metric, value * r.scale, r.attributes)
        else:
            t.record(r.metric, value * r.scale, r.attributes, step)
        parts.append(f"{key}={_fmt(value)}")
        attrs[key] = value if math.isfinite(value) else str(value)
    _log(t, "training", logging.INFO, f"step {step}{': ' + ', '.join(parts) if parts else ''}", attrs)


def log_training_progress(step: Any = None, metrics: Optional[Mapping[str, Any]] = None) -> None:
    """The seed's ``log_training_progress(step, metrics)``: one record on the ``training`` channel and each
    metric on its semconv instrument (semconv names, TRL/verl/OpenRLHF names, ``lr``/``accuracy``/
    ``epoch``, else ``grpo.custom.<key>``), with the step on the current-step gauge. It is the step's
    report: without a step it reports the current one; values logged after it belong to the next."""
    t = _active
    if t is None:
        return
    if isinstance(step, Mapping) and metrics is None:
        step, metrics = None, step
    s = resolve_step(t, "log_training_progress", step)
    if s is None:
        return
    items: List[Tuple[str, float]] = []
    for key, raw in (metrics or {}).items():
        if hasattr(raw, "item") and callable(raw.item):
            raw = raw.item()
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            _warn(t, "training", f"log_training_progress.{key}", f"log_training_progress: metrics.{key} must be a number, got {type(raw).__name__}; left out (counted in grpo.sdk.record.dropped)")
            continue
        items.append((str(key), float(raw)))
        r = resolve_metric_key(str(key))
        if r.metric is S.TASK_ACCURACY and r.attributes.get(S.ATTR_GRPO_SPLIT, "train") == "train" and math.isfinite(raw):
            # Known at once: a validation right after this report compares against it.
            t.training_accuracy = float(raw)
    before = t.steps.highest
    t.steps.report(s)
    t.submit(_progress_task, t, s, items, before, t.steps.highest, where="log_training_progress")
    b = _pending(t)
    if b is not None and b.step <= s:
        _maybe_complete(t, b)  # after the report's gauges: the batch lists them as this process's own


# --- log_memory_usage ------------------------------------------------------------------------------

_MiB = 1024 * 1024


def _memory_task(t: Telemetry, step: int, rss: int, peak: int) -> None:
    t.note_step_memory(step, peak)
    _log(
        t,
        "system",
        logging.INFO,
        f"memory: rss={rss / _MiB:.1f} MiB (peak {peak / _MiB:.1f})",
        {S.ATTR_GRPO_STEP: step, "process.memory.usage": rss, "process.memory.peak_usage": peak},
    )


def log_memory_usage() -> Optional[Dict[str, int]]:
    """The seed's ``log_memory_usage()``: reads the process's resident memory, updates the peak
    (exported as ``grpo.memory.peak_usage``; current use is exported as ``process.memory.usage`` at
    each collection) and logs one record on the ``system`` channel. Returns the reading."""
    t = _active
    if t is None:
        return None
    rss = t.rss()
    peak = t.note_peak(rss)
    snap = {"rss": rss, "peak_rss": peak}
    if t.config.metrics.resource_metrics:
        t.submit(_memory_task, t, t.steps.current, rss, peak, where="log_memory_usage")
    return snap


# --- log_model_output ------------------------------------------------------------------------------


def _extract_tag(text: str, tag: str) -> Optional[str]:
    start = text.find(f"<{tag}>")
    if start < 0:
        return None
    start += len(tag) + 2
    end = text.find(f"</{tag}>", start)
    return text[start:end].strip() if end >= 0 else None


def _normalize(answer: str) -> str:
    a = answer.replace(",", "").strip()
    try:
        n = float(a)
        return repr(n) if a else a
    except ValueError:
        return answer.strip().lower()


def _model_output_task(t: Telemetry, step: int, question: str, expected: str, output: str, reasoning: Optional[str]) -> None:
    answer = _extract_tag(output, "answer")
    if answer is None:
        answer = output.strip()
    why = reasoning if reasoning is not None else (_extract_tag(output, "reasoning") or "")
    correct = _normalize(answer) == _normalize(expected)
    attrs = {
        S.ATTR_GRPO_SAMPLE_QUESTION: question,
        S.ATTR_GRPO_SAMPLE_EXPECTED_ANSWER: expected,
        S.ATTR_GRPO_SAMPLE_ANSWER: answer,
        S.ATTR_GRPO_SAMPLE_REASONING: why,
        S.ATTR_GRPO_SAMPLE_COMPLETION: output,
        S.ATTR_GRPO_SAMPLE_CORRECT: correct,
        S.ATTR_GRPO_STEP: step,
    }
    q = question if len(question) <= 80 else question[:77] + "..."
    _log(t, "model_outputs", logging.INFO, f"{'correct' if correct else 'wrong'}: {q} -> {answer} (expected {expected})", attrs)


def log_model_output(question: Any, true_answer: Any, model_output: Any, reasoning: Optional[str] = None, step: Optional[int] = None) -> None:
    """The seed's ``log_model_output(question, true_answer, model_output, reasoning=None)``: one record on
    the ``model_outputs`` channel with ``grpo.sample.*`` attributes (question, expected answer, the
    ``<answer>`` part, the reasoning, the completion, whether it matches)."""
    t = _active
    if t is None or not t.channel("model_outputs").isEnabledFor(logging.INFO):
        return
    s = resolve_step(t, "log_model_output", step)
    if s is None:
        return
    t.submit(
        _model_output_task,
        t,
        s,
        "" if question is None else str(question),
        "" if true_answer is None else str(true_answer),
        "" if model_output is None else str(model_output),
        reasoning,
        where="log_model_output",
        signal="logs",
    )

