"""Which metric a name logged by a trainer is recorded on: the rules of the TypeScript SDK's
``logTrainingProgress`` and semconv's ``lookupKnownName``, on the generated names of semconv.py."""

from __future__ import annotations

import re
from typing import Dict, List, NamedTuple, Optional, Tuple, Union

from . import semconv as S

AttrValue = Union[str, int, float, bool]


class Resolved(NamedTuple):
    metric: S.MetricDefinition
    attributes: Dict[str, AttrValue]
    scale: float
    cumulative: bool


_PLACEHOLDER = re.compile(r"<([a-z_]+)>")


def _compile(m: S.KnownNameMapping) -> Tuple[S.KnownNameMapping, "re.Pattern[str]", List[str]]:
    placeholders: List[str] = []
    source = ""
    last = 0
    for p in _PLACEHOLDER.finditer(m.name):
        source += re.escape(m.name[last : p.start()]) + "([^/]+)"
        placeholders.append(p.group(0))
        last = p.end()
    source += re.escape(m.name[last:])
    return m, re.compile(f"^{source}$"), placeholders


# Exact names before templates, then framework priority, then declaration order (sorted() is stable).
_MATCHERS = sorted(
    (_compile(m) for m in S.KNOWN_NAME_MAPPINGS),
    key=lambda t: (1 if t[2] else 0, S.FRAMEWORKS.index(t[0].framework)),
)


def _match(name: str, framework: Optional[str]) -> Optional[Resolved]:
    for mapping, regex, placeholders in _MATCHERS:
        if framework is not None and mapping.framework != framework:
            continue
        found = regex.match(name)
        if found is None:
            continue
        attributes: Dict[str, AttrValue] = {}
        for key, value in mapping.attributes.items():
            index = placeholders.index(value) if isinstance(value, str) and value in placeholders else -1
            attributes[key] = found.group(index + 1) if index >= 0 else value
        return Resolved(S.METRICS[mapping.metric], attributes, mapping.scale, mapping.cumulative)
    return None


def lookup_known_name(name: str, framework: Optional[str] = None) -> Optional[Resolved]:
    """Our metric for a TRL/verl/OpenRLHF name (``rewards/correctness/mean`` -> ``grpo.reward.mean``
    with ``grpo.reward.function=correctness``); a ``train/``, ``eval/`` or ``eval_`` prefix sets
    ``grpo.split``. None for unknown names."""
    direct = _match(name, framework)
    if direct is not None:
        return direct
    for prefix, split in S.SPLIT_PREFIXES:
        if not name.startswith(prefix):
            continue
        resolved = _match(name[len(prefix) :], framework)
        if resolved is None:
            return None
        if S.ATTR_GRPO_SPLIT in resolved.metric.attributes:
            return resolved._replace(attributes={**resolved.attributes, S.ATTR_GRPO_SPLIT: split})
        return resolved if split == "train" else None
    return None


# Short names people write in training loops (the TypeScript SDK's logTrainingProgress aliases).
_ALIASES = {
    "lr": S.POLICY_LEARNING_RATE,
    "accuracy": S.TASK_ACCURACY,
    "correctness": S.TASK_ACCURACY,
    "epoch": S.TRAINING_EPOCH,
}

_custom: Dict[str, S.MetricDefinition] = {}


def custom_metric(key: str) -> S.MetricDefinition:
    """A gauge ``grpo.custom.<key>`` for a name semconv does not know (the TypeScript SDK's rule)."""
    d = _custom.get(key)
    if d is not None:
        return d
    segments = []
    for s in re.split(r"[/.]+", key.lower()):
        s = re.sub(r"[^a-z0-9_]+", "_", s).strip("_")
        if s:
            segments.append(f"_{s}" if s[0].isdigit() else s)
    d = S.MetricDefinition(
        name=f"grpo.custom.{'.'.join(segments) if segments else 'unnamed'}",
        instrument="gauge",
        unit="",
        description=f"Training metric '{key}' reported through log_training_progress.",
        value_type="double",
        attributes=(),
        buckets=None,
        category="progress",
    )
    if len(_custom) < 1024:
        _custom[key] = d
    return d


_resolved: Dict[str, Resolved] = {}


def resolve_metric_key(key: str) -> Resolved:
    """The instrument a ``metrics`` key of ``log_training_progress`` is recorded on: a semconv name, a
    TRL/verl/OpenRLHF name, a short alias, else ``grpo.custom.<key>``. Without a split, a metric that
    has one is a training value (``grpo.split=train``), as in the TypeScript SDK."""
    r = _resolved.get(key)
    if r is not None:
        return r
    own = S.METRICS.get(key)
    if own is not None:
        r = Resolved(own, {}, 1.0, False)
    else:
        r = lookup_known_name(key)
        if r is None:
            alias = _ALIASES.get(key.lower())
            r = Resolved(alias, {}, 1.0, False) if alias is not None else Resolved(custom_metric(key), {}, 1.0, False)
    if S.ATTR_GRPO_SPLIT in r.metric.attributes and S.ATTR_GRPO_SPLIT not in r.attributes:
        r = r._replace(attributes={**r.attributes, S.ATTR_GRPO_SPLIT: "train"})
    if len(_resolved) < 1024:
        _resolved[key] = r
    return r
