"""grpo_otel: the Python bridge of grpo-otel. The seed's logging API on the OpenTelemetry Python SDK,
with the metric names, units and attributes of ``@grpo-otel/semconv`` (generated into semconv.py),
so a Python trainer's series match the TypeScript SDK's in Prometheus and Grafana; the step's raw batch
goes to the collector as one ``grpo.step.batch`` event, and ``grpo-otel sink`` behind the collector
runs the analyses and writes TensorBoard, CSV and log files.

    import grpo_otel
    grpo_otel.initialize("logging_config.yaml")   # otlp.endpoint, or OTEL_EXPORTER_OTLP_ENDPOINT
    grpo_otel.log_reward_metrics(step, {"correctness": [...], "format": [...]}, group_size=8)
    grpo_otel.log_training_progress(step, {"loss": loss, "learning_rate": lr})
    grpo_otel.shutdown()
"""

from __future__ import annotations

import logging
import os
from typing import Any, Mapping, Optional, Sequence

from . import _api
from ._api import (
    log_generation_metrics,
    log_memory_usage,
    log_model_output,
    log_reward,
    log_reward_metrics,
    log_training_progress,
    send_batch,
)
from ._config import Config, ConfigError, load_config, parse_config
from ._runtime import CHANNELS, Telemetry
from .validation import run_validation, should_validate
from .version import __version__

__all__ = [
    "CHANNELS",
    "Config",
    "ConfigError",
    "Telemetry",
    "__version__",
    "force_flush",
    "get_logger",
    "get_metrics_logger",
    "get_model_logger",
    "get_reward_logger",
    "get_system_logger",
    "get_telemetry",
    "get_training_logger",
    "get_whitelist_logger",
    "initialize",
    "is_logging_step",
    "log_generation_metrics",
    "log_memory_usage",
    "log_model_output",
    "log_reward",
    "log_reward_metrics",
    "log_training_progress",
    "parse_config",
    "run_validation",
    "send_batch",
    "should_validate",
    "shutdown",
]


def initialize(
    config_path: Optional[str] = None,
    *,
    config: Optional[Config] = None,
    env: Optional[Mapping[str, str]] = None,
    base_dir: Optional[str] = None,
    metric_readers: Sequence[Any] = (),
    log_processors: Sequence[Any] = (),
    span_processors: Sequence[Any] = (),
    handle_exit: bool = True,
) -> Optional[Telemetry]:
    """Initializes the bridge from a YAML config (the seed's ``initialize(config_path=None)``): the file
    given, else $GRPO_OTEL_CONFIG, else the embedded default. Relative paths resolve against ``base_dir``
    (default: the working directory). Calling it again shuts the previous setup down first. With
    OTEL_SDK_DISABLED=true nothing is set up and every call is a no-op. Raises :class:`ConfigError`
    (file, line, key, what was expected) for a bad config. ``metric_readers``, ``log_processors`` and
    ``span_processors`` add OpenTelemetry readers and processors (tests use in-memory ones)."""
    environ = os.environ if env is None else env
    previous = _api.active()
    if previous is not None:
        _api.set_active(None)
        previous.shutdown()
    if str(environ.get("OTEL_SDK_DISABLED", "")).lower() == "true":
        return None
    cfg = config or load_config(config_path, environ, base_dir)
    t = Telemetry(
        cfg,
        metric_readers=metric_readers,
        log_processors=log_processors,
        span_processors=span_processors,
        handle_exit=handle_exit,
    )
    _api.set_active(t)
    return t


def shutdown() -> None:
    """Sends the pending batch, flushes everything to every sink and stops. Safe to call more than once."""
    t = _api.active()
    _api.set_active(None)
    if t is not None:
        t.shutdown()


def force_flush(timeout_s: float = 10.0) -> None:
    """Everything logged so far is handled by the telemetry thread, written and sent."""
    t = _api.active()
    if t is not None:
        t.force_flush(timeout_s)


def get_telemetry() -> Optional[Telemetry]:
    """The active bridge, if initialized."""
    return _api.active()


def get_logger(channel: str = "root") -> logging.Logger:
    """The Python logger of a channel (any name; ``root`` is the root logger), set up from the config."""
    t = _api.active()
    if t is None:
        return logging.getLogger() if channel == "root" else logging.getLogger(channel)
    return t.channel(channel)


def get_training_logger() -> logging.Logger:
    return get_logger("training")


def get_model_logger() -> logging.Logger:
    return get_logger("model_outputs")


def get_reward_logger() -> logging.Logger:
    return get_logger("rewards")


def get_whitelist_logger() -> logging.Logger:
    return get_logger("whitelist")


def get_metrics_logger() -> logging.Logger:
    return get_logger("metrics")


def get_system_logger() -> logging.Logger:
    return get_logger("system")


def is_logging_step(step: int, full: bool = False, final: bool = False) -> bool:
    """Basic metrics every ``metrics.logging_frequency`` steps, full metrics (``full=True``) every
    ``metrics.full_metrics_frequency`` steps, and the run's last step (``final=True``)."""
    return _api.is_logging_step(_api.active(), step, full, final)
