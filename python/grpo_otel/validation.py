"""``run_validation``: the model's generate (a callable) on held-out samples, inside one
``grpo.validation`` span with a ``grpo.validation.sample`` event per sample; zero-shot accuracy, the
generalization gap, sample/error/timeout counts and the duration on the semconv instruments."""

from __future__ import annotations

import json
import logging
import math
import re
import time
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from opentelemetry.trace import Status, StatusCode

from . import _api
from . import semconv as S

Sample = Mapping[str, Any]
Scorer = Callable[[str, str], Tuple[bool, Optional[str]]]

_NUMBER = re.compile(r"(?<![A-Za-z0-9_.)])[-+\u2212]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:/\d+)?")
_STRICT = re.compile(r"<reasoning>\n(.*?)\n</reasoning>\n<answer>\n(.*?)\n</answer>\n?", re.S)
_LENIENT = re.compile(r"<reasoning>.*?</reasoning>.*?<answer>.*?</answer>", re.S)


def _numbers(text: str) -> List[float]:
    out = []
    for m in _NUMBER.finditer(text):
        s = m.group(0).replace(",", "").replace("\u2212", "-")
        if not any(c.isdigit() for c in s):
            continue
        try:
            if "/" in s:
                a, b = s.split("/", 1)
                out.append(float(a) / float(b))
            else:
                out.append(float(s))
        except (ValueError, ZeroDivisionError):
            continue
    return out


def numeric_answer(text: str) -> Optional[float]:
    """The last number of the last ``<answer>`` section, else of the whole text (None without one)."""
    i = text.rfind("<answer>")
    if i >= 0:
        part = text[i + 8 :]
        j = part.find("</answer>")
        nums = _numbers(part[:j] if j >= 0 else part)
    else:
        nums = _numbers(text)
    return nums[-1] if nums else None


def default_score(completion: str, expected: str) -> Tuple[bool, Optional[str]]:
    """Whether a completion's numeric answer equals the expected one, else why not (semconv
    ``error.type``: empty, wrong_answer, no_answer, format_error)."""
    if completion.strip() == "":
        return False, "empty"
    got = numeric_answer(completion)
    want = numeric_answer(expected)
    if got is not None:
        ok = want is not None and abs(got - want) <= 1e-6 * max(1.0, abs(want))
        return ok, None if ok else "wrong_answer"
    return False, "no_answer" if _LENIENT.search(completion) else "format_error"


def load_dataset(path: str) -> List[Dict[str, Any]]:
    """A JSON array (or ``{"samples": [...]}``) or JSON Lines file of ``{question, answer}`` objects."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    stripped = text.lstrip()
    if stripped.startswith("[") or stripped.startswith('{"samples"'):
        data = json.loads(text)
        return list(data["samples"] if isinstance(data, dict) else data)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _sample(raw: Any, index: int) -> Dict[str, str]:
    if not isinstance(raw, Mapping):
        raise ValueError(f"validation sample {index}: expected a mapping with 'question' and 'answer'")
    q = raw.get("question", raw.get("prompt"))
    a = raw.get("answer", raw.get("true_answer", raw.get("expected")))
    if not isinstance(q, str) or not q or a is None:
        raise ValueError(f"validation sample {index}: 'question' must be a non-empty string and 'answer' set")
    return {"id": str(raw.get("id", index)), "question": q, "answer": str(a)}


def should_validate(step: int) -> bool:
    """Validation metrics are on and ``step`` is a multiple of ``metrics.validation_frequency``."""
    t = _api.active()
    if t is None or not t.config.metrics.validation_metrics:
        return False
    return isinstance(step, int) and step >= 0 and step % t.config.metrics.validation_frequency == 0


def run_validation(
    model_generate: Callable[[str], Union[str, Mapping[str, Any]]],
    dataset: Union[None, str, Sequence[Sample]] = None,
    step: Optional[int] = None,
    *,
    num_samples: Optional[int] = None,
    tokenizer: Any = None,
    dataset_name: Optional[str] = None,
    score: Optional[Scorer] = None,
) -> Optional[Dict[str, Any]]:
    """The seed's ``run_validation``: ``model_generate(question)`` (a string, or a mapping with ``text`` and
    optionally ``tokens``) for each held-out sample of ``dataset`` (samples, a JSON/JSONL path, or
    ``metrics.validation.dataset_path``), at most ``num_samples`` (default ``max_samples``). A call that
    takes longer than ``timeout_per_sample`` counts as a timeout. ``score(completion, expected)`` returns
    ``(correct, error_type)``; the default compares numeric answers. Returns the result, or None when
    validation metrics are off, the bridge is not initialized or there are no samples."""
    t = _api.active()
    if t is None or not t.config.metrics.validation_metrics:
        return None
    cfg = t.config.metrics
    s = _api.resolve_step(t, "run_validation", step)
    if s is None:
        return None
    if dataset is None:
        dataset = cfg.dataset_path
    if isinstance(dataset, str):
        name = dataset_name or dataset.replace("\\", "/").rsplit("/", 1)[-1]
        dataset = load_dataset(dataset)
    else:
        name = dataset_name or "default"
    samples = [_sample(x, i) for i, x in enumerate(dataset or [])]
    if not samples:
        t.channel("metrics").warning(f"run_validation(step {s}): no validation samples; nothing validated")
        return None
    limit = max(0, min(num_samples if num_samples is not None else cfg.max_samples, len(samples)))
    chosen = samples[:limit]
    scorer = score or default_score
    timeout = cfg.timeout_per_sample_s
    ds = {S.ATTR_GRPO_VALIDATION_DATASET: name}
    results: List[Dict[str, Any]] = []
    errors: Dict[str, int] = {}
    t0 = time.perf_counter()
    with t.tracer.start_as_current_span(
        "grpo.validation",
        attributes={S.ATTR_GRPO_STEP: s, S.ATTR_GRPO_SPLIT: "validation", S.ATTR_GRPO_VALIDATION_DATASET: name, S.ATTR_GRPO_VALIDATION_SAMPLE_COUNT: len(chosen)},
        record_exception=False,
        set_status_on_exception=False,
    ) as span:
        for sample in chosen:
            s0 = time.perf_counter()
            tokens = None
            text = ""
            try:
                out = model_generate(sample["question"])
                if isinstance(out, Mapping):
                    text = str(out.get("text", ""))
                    tokens = out.get("tokens")
                else:
                    text = "" if out is None else str(out)
                if tokens is None and tokenizer is not None:
                    tokens = len(tokenizer.encode(text))
                if time.perf_counter() - s0 > timeout:
                    correct, error = False, "timeout"
                else:
                    correct, error = scorer(text, sample["answer"])
            except Exception as e:  # noqa: BLE001 - a failing sample is counted, not raised
                span.record_exception(e)
                correct, error = False, "exception"
            duration_ms = (time.perf_counter() - s0) * 1000
            if error:
                errors[error] = errors.get(error, 0) + 1
            answer = numeric_answer(text) if text else None
            r = {"id": sample["id"], "correct": bool(correct), "format_valid": bool(_STRICT.fullmatch(text)), "duration_ms": duration_ms}
            if error:
                r["error_type"] = error
            results.append(r)
            attrs: Dict[str, Any] = {
                S.ATTR_GRPO_STEP: s,
                S.ATTR_GRPO_SAMPLE_ID: sample["id"],
                S.ATTR_GRPO_SAMPLE_QUESTION: sample["question"][:500],
                S.ATTR_GRPO_SAMPLE_EXPECTED_ANSWER: sample["answer"],
                S.ATTR_GRPO_SAMPLE_ANSWER: "" if answer is None else f"{answer:g}",
                S.ATTR_GRPO_SAMPLE_CORRECT: r["correct"],
                S.ATTR_GRPO_SAMPLE_FORMAT_VALID: r["format_valid"],
                "grpo.sample.duration_ms": duration_ms,
            }
            if isinstance(tokens, int):
                attrs[S.ATTR_GRPO_SAMPLE_COMPLETION_TOKENS] = tokens
            if error:
                attrs[S.ATTR_ERROR_TYPE] = error
            span.add_event(S.EVENT_GRPO_VALIDATION_SAMPLE, attrs)
        if not results:
            span.set_status(Status(StatusCode.ERROR, "no validation samples"))
    correct_n = sum(1 for r in results if r["correct"])
    accuracy = correct_n / len(results) if results else math.nan
    train = t.training_accuracy
    gap = train - accuracy if train is not None else math.nan
    duration_ms = (time.perf_counter() - t0) * 1000
    t.submit(_record_validation, t, s, ds, accuracy, gap, duration_ms, len(results), dict(errors), correct_n, where="run_validation")
    return {
        "step": s,
        "dataset": name,
        "samples": len(results),
        "correct": correct_n,
        "accuracy": accuracy,
        "generalization_gap": gap,
        "errors": errors,
        "duration_ms": duration_ms,
        "results": results,
    }


def _record_validation(t: Any, step: int, ds: Dict[str, str], accuracy: float, gap: float, duration_ms: float, n: int, errors: Dict[str, int], correct: int) -> None:
    if math.isfinite(accuracy):
        t.record(S.VALIDATION_ACCURACY, accuracy, ds, step)
    if math.isfinite(gap):
        t.record(S.VALIDATION_GENERALIZATION_GAP, gap, ds, step)
    t.record(S.VALIDATION_DURATION, duration_ms / 1000, ds)
    t.record(S.VALIDATION_SAMPLES, n, ds)
    for kind, count in errors.items():
        t.record(S.VALIDATION_ERRORS, count, {**ds, S.ATTR_ERROR_TYPE: kind})
    if errors.get("timeout"):
        t.record(S.VALIDATION_TIMEOUTS, errors["timeout"], ds)
    err_text = ", ".join(f"{k} {v}" for k, v in errors.items())
    acc = f"{accuracy:.3f}" if math.isfinite(accuracy) else "n/a"
    gap_text = f", generalization gap {gap:.3f}" if math.isfinite(gap) else ""
    attrs: Dict[str, Any] = {S.ATTR_GRPO_STEP: step, "grpo.validation.samples": n, "grpo.validation.duration_ms": duration_ms}
    if math.isfinite(accuracy):
        attrs["grpo.validation.accuracy"] = accuracy
    if math.isfinite(gap):
        attrs["grpo.validation.generalization_gap"] = gap
    for k, v in errors.items():
        attrs[f"grpo.validation.errors.{k}"] = v
    _api._log(t, "metrics", logging.INFO, f"validation at step {step}: accuracy {acc} ({correct}/{n}){gap_text}{'; errors: ' + err_text if err_text else ''}", attrs)
