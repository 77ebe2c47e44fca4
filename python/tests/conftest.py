"""Fixtures: the bridge initialized with in-memory OpenTelemetry readers and exporters, and helpers
that read what it recorded (metric points by name, log records, spans)."""

from __future__ import annotations

import os
import sys
from typing import Any, Dict, List, Optional, Tuple

import pytest
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import grpo_otel  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

BASE_CONFIG = """version: 1
root: {level: WARNING, handlers: []}
loggers:
  training: {level: INFO, handlers: [file], propagate: false}
  rewards: {level: INFO, handlers: [file], propagate: false}
  metrics: {level: INFO, handlers: [file], propagate: false}
  model_outputs: {level: INFO, handlers: [file], propagate: false}
  system: {level: INFO, handlers: [file], propagate: false}
handlers:
  file: {class: file, filename: logs/training.log, formatter: standard}
formatters:
  standard: {format: "%(name)s - %(levelname)s - %(message)s"}
resource: {run_id: pytest-run, experiment: pytest, rank: 0, world_size: 1}
metrics:
  logging_frequency: 1
  full_metrics_frequency: 2
  sampling_ratio: 1
"""


class Bridge:
    """An initialized bridge and what it recorded."""

    def __init__(self, tmp_path: Any, config: str, env: Optional[Dict[str, str]] = None) -> None:
        self.dir = str(tmp_path)
        self.reader = InMemoryMetricReader()
        self.logs = InMemoryLogRecordExporter()
        self.spans = InMemorySpanExporter()
        path = os.path.join(self.dir, "config.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(config)
        self.telemetry = grpo_otel.initialize(
            path,
            base_dir=self.dir,
            env=env or {},
            metric_readers=[self.reader],
            log_processors=[SimpleLogRecordProcessor(self.logs)],
            span_processors=[SimpleSpanProcessor(self.spans)],
            handle_exit=False,
        )

    def flush(self) -> None:
        """Waits for the telemetry thread (the in-memory reader and exporter see everything at once);
        a step's batch still waiting for its completions stays pending, as in a run."""
        self.telemetry.drain()

    def points(self, name: str) -> List[Tuple[Dict[str, Any], Any]]:
        """(attributes, value) of every data point of a metric (a histogram's value is the point)."""
        self.flush()
        data = self.reader.get_metrics_data()
        out = []
        for rm in data.resource_metrics if data else []:
            for sm in rm.scope_metrics:
                for m in sm.metrics:
                    if m.name == name:
                        for p in m.data.data_points:
                            out.append((dict(p.attributes), getattr(p, "value", p)))
        return out

    def metric(self, name: str) -> Any:
        self.flush()
        data = self.reader.get_metrics_data()
        for rm in data.resource_metrics if data else []:
            for sm in rm.scope_metrics:
                for m in sm.metrics:
                    if m.name == name:
                        return m
        return None

    def value(self, name: str, **attrs: Any) -> Any:
        want = {k.replace("__", "."): v for k, v in attrs.items()}
        matching = [(a, v) for a, v in self.points(name) if all(a.get(k) == x for k, x in want.items())]
        if "grpo.step" not in want and any("grpo.step" in a for a, _ in matching):
            # A step-scoped gauge has one point per step (the sink writes each at its step); what
            # Prometheus shows, once the collector drops grpo.step, is the last step's.
            last = max(a.get("grpo.step", -1) for a, _ in matching)
            matching = [(a, v) for a, v in matching if a.get("grpo.step", -1) == last]
        found = [v for _, v in matching]
        assert len(found) == 1, f"{name}{want}: {self.points(name)}"
        return found[0]

    def records(self, scope: Optional[str] = None) -> List[Any]:
        self.flush()
        out = []
        for r in self.logs.get_finished_logs():
            if scope is None or (r.instrumentation_scope and r.instrumentation_scope.name == scope):
                out.append(r)
        return out

    def batches(self) -> List[Dict[str, Any]]:
        return [dict(r.log_record.attributes) for r in self.records("rewards") if r.log_record.event_name == "grpo.step.batch"]

    def log_text(self) -> str:
        self.flush()
        with open(os.path.join(self.dir, "logs", "training.log"), encoding="utf-8") as f:
            return f.read()


@pytest.fixture
def bridge(tmp_path: Any):
    b = Bridge(tmp_path, BASE_CONFIG)
    yield b
    grpo_otel.shutdown()


@pytest.fixture
def make_bridge(tmp_path: Any):
    made: List[Bridge] = []

    def make(config: str, env: Optional[Dict[str, str]] = None) -> Bridge:
        b = Bridge(tmp_path, config, env)
        made.append(b)
        return b

    yield make
    grpo_otel.shutdown()
