"""One initialized bridge: the OpenTelemetry providers built from a config, the channels (Python
loggers) and their handlers, the step model, and the telemetry thread.

The training thread only captures: a facade call checks and copies its values and hands them to the
telemetry thread through a bounded queue (a full queue drops and counts); statistics, instruments,
formatting, log handlers and OTLP encoding run on that thread (and the OTel SDK's export threads).
"""

from __future__ import annotations

import atexit
import json
import logging
import logging.handlers
import math
import os
import queue
import random
import re
import sys
import threading
import time
from datetime import datetime, timezone
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from opentelemetry import context as otel_context
from opentelemetry._logs import SeverityNumber
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.sdk._logs import LoggerProvider, LogRecordProcessor
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
from opentelemetry.sdk.metrics import MeterProvider, ObservableGauge
from opentelemetry.sdk.metrics.export import AggregationTemporality, MetricReader, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from . import semconv as S
from ._config import SINK_KINDS, ChannelConfig, Config, FormatterConfig, HandlerConfig, OtlpConfig
from ._files import ModeRotatingFileHandler, make_dirs
from ._signals import SigtermFlush
from .version import __version__

SCOPE_NAME = "grpo_otel"

try:  # the SDK's synchronous gauge class: a private name (opentelemetry-sdk 1.45 has only `_Gauge`)
    from opentelemetry.sdk.metrics import _Gauge as _SdkGauge
except ImportError:  # pragma: no cover - an SDK that exports it as `Gauge`
    from opentelemetry.sdk.metrics import Gauge as _SdkGauge  # type: ignore[attr-defined,no-redef]

# The step-scoped gauges (rewards, completion lengths, training progress, validation, the current step,
# the memory peak read by log_memory_usage) carry their step as `grpo.step`: the sink writes each point
# at that step in TensorBoard, as the TypeScript SDK's step pipeline does, instead of whatever step it
# saw last when a periodic export arrived (only the last value of an interval would reach it at all).
# Gauges are exported as delta (no temporality on the wire for a gauge): each point once, in the
# collection after it was set, so the per-step attribute sets do not pile up in the OTel SDK. The
# collector drops `grpo.step` from metric points on the way to Prometheus (collector-config/*.yaml).
STEP_GAUGE_TEMPORALITY = {_SdkGauge: AggregationTemporality.DELTA, ObservableGauge: AggregationTemporality.DELTA}

#: The seed's channels.
CHANNELS = ("training", "model_outputs", "rewards", "whitelist", "metrics", "system")

_diag = logging.getLogger("grpo_otel")

# LogRecord fields of Python's logging module (not attributes of the record).
_RESERVED = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


def generate_run_id() -> str:
    """A run id in semconv's format: UTC start time to the millisecond and 32 random bits."""
    now = datetime.now(timezone.utc)
    return f"{now.strftime('%Y%m%dT%H%M%S')}.{now.microsecond // 1000:03d}Z-{random.getrandbits(32):08x}"


def _severity(levelno: int) -> SeverityNumber:
    if levelno >= logging.CRITICAL:
        return SeverityNumber.FATAL
    if levelno >= logging.ERROR:
        return SeverityNumber.ERROR
    if levelno >= logging.WARNING:
        return SeverityNumber.WARN
    if levelno >= logging.INFO:
        return SeverityNumber.INFO
    return SeverityNumber.DEBUG


def record_attributes(record: logging.LogRecord) -> Dict[str, Any]:
    """A log record's attributes: the facade's (``_grpo_attrs``) and the caller's ``extra`` ones."""
    attrs = {k: v for k, v in vars(record).items() if k not in _RESERVED and not k.startswith("_grpo")}
    own = getattr(record, "_grpo_attrs", None)
    if own:
        attrs.update(own)
    return attrs


class Drops:
    """Records the bridge did not deliver, by signal, reason and place; the first of each kind is said once."""

    def __init__(self) -> None:
        self.counts: Dict[Tuple[str, str, str], int] = {}
        self._lock = threading.Lock()

    def record(self, signal: str, reason: str, where: str, count: int = 1) -> None:
        if count <= 0:
            return
        key = (signal, reason, where)
        with self._lock:
            first = key not in self.counts
            self.counts[key] = self.counts.get(key, 0) + count
        if first:
            _diag.warning("grpo-otel: dropping %s at %s (%s); further drops of this kind are only counted", signal, where, reason)

    def observe(self, _options: CallbackOptions) -> Iterable[Observation]:
        sums: Dict[Tuple[str, str], int] = {}
        with self._lock:
            for (signal, reason, _where), n in self.counts.items():
                sums[(signal, reason)] = sums.get((signal, reason), 0) + n
        for (signal, reason), n in sums.items():
            yield Observation(n, {S.ATTR_GRPO_SDK_SIGNAL: signal, S.ATTR_GRPO_SDK_DROP_REASON: reason})


class Sanitized:
    """Values the bridge changed before sending them (``limits``: strings cut, secrets redacted), by signal
    and reason: ``grpo.sdk.value.sanitized``, as the TypeScript SDK counts them."""

    def __init__(self) -> None:
        self.counts: Dict[Tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def record(self, signal: str, reason: str) -> None:
        with self._lock:
            self.counts[(signal, reason)] = self.counts.get((signal, reason), 0) + 1

    def observe(self, _options: CallbackOptions) -> Iterable[Observation]:
        with self._lock:
            items = list(self.counts.items())
        for (signal, reason), n in items:
            yield Observation(n, {S.ATTR_GRPO_SDK_SIGNAL: signal, S.ATTR_GRPO_SDK_SANITIZE_REASON: reason})


class StepModel:
    """Which step a value belongs to (the TypeScript SDK's rule, without step scopes): the step a call
    names, else the step after the last one reported by ``log_training_progress`` (TRL's order), and
    at least the highest step a call has named."""

    def __init__(self) -> None:
        self.reported: Optional[int] = None
        self.named = 0
        self.highest: Optional[int] = None

    @property
    def current(self) -> int:
        return max(0 if self.reported is None else self.reported + 1, self.named)

    def report(self, step: int) -> None:
        if self.reported is None or step > self.reported:
            self.reported = step
        self._note(step)

    def name(self, step: int) -> None:
        if step > self.named:
            self.named = step

    def _note(self, step: int) -> None:
        if self.highest is None or step > self.highest:
            self.highest = step


class JsonFormatter(logging.Formatter):
    """One JSON object per line with the configured fields."""

    def __init__(self, fields: Sequence[str], datefmt: Optional[str] = None) -> None:
        super().__init__(datefmt=datefmt)
        self.fields = tuple(fields)

    def format(self, record: logging.LogRecord) -> str:
        out: Dict[str, Any] = {}
        for f in self.fields:
            if f == "timestamp":
                out[f] = datetime.fromtimestamp(record.created, timezone.utc).isoformat().replace("+00:00", "Z")
            elif f in ("level", "levelname"):
                out[f] = record.levelname
            elif f == "levelno":
                out[f] = record.levelno
            elif f == "name":
                out[f] = record.name
            elif f == "message":
                out[f] = record.getMessage()
            elif f == "attributes":
                out[f] = record_attributes(record)
            elif f == "exception" and record.exc_info:
                out[f] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


def _formatter(f: Optional[FormatterConfig]) -> Optional[logging.Formatter]:
    if f is None:
        return None
    if f.json:
        return JsonFormatter(f.fields, f.datefmt)
    formatter = logging.Formatter(f.fmt, f.datefmt, style=f.style)  # type: ignore[arg-type]
    if f.utc:
        formatter.converter = time.gmtime
    return formatter


class OtlpTarget(logging.Handler):
    """Sends the records it handles as OTel log records (on the telemetry thread), with the trace
    context captured at the call and the facade's and the caller's attributes."""

    def __init__(self, provider: LoggerProvider, limit: Callable[[Any], Any]) -> None:
        super().__init__()
        self.provider = provider
        self.limit = limit
        self._loggers: Dict[str, Any] = {}

    def emit(self, record: logging.LogRecord) -> None:
        logger = self._loggers.get(record.name)
        if logger is None:
            logger = self.provider.get_logger(record.name, __version__)
            if len(self._loggers) < 1024:
                self._loggers[record.name] = logger
        attrs = {k: self.limit(v) for k, v in record_attributes(record).items()}
        logger.emit(
            timestamp=int(record.created * 1e9),
            context=getattr(record, "_grpo_context", None),
            severity_number=_severity(record.levelno),
            severity_text=record.levelname,
            body=self.limit(record.getMessage()),
            attributes=attrs,
        )


class TokenBucket:
    """``take()`` is true while the rate (per second) and the burst allow."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.last = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class StrideSampler:
    """Keeps exactly the fraction ``ratio`` of calls, evenly spaced (deterministic)."""

    def __init__(self, ratio: float) -> None:
        self.ratio = ratio
        self.n = 0

    def keep(self) -> bool:
        n = self.n
        self.n += 1
        return math.floor((n + 1) * self.ratio) > math.floor(n * self.ratio)


class CaptureHandler(logging.Handler):
    """The one handler the bridge puts on a channel's Python logger: it captures the record (message
    formatted, trace context) and hands it to the telemetry thread with the channel's targets. The
    channel's `sample` and `rate_limit` apply to the records that start at it (dropped and counted)."""

    def __init__(
        self,
        telemetry: "Telemetry",
        channel: str,
        targets: List[logging.Handler],
        origin_only: List[logging.Handler],
        sampler: Optional[StrideSampler] = None,
        limiter: Optional[TokenBucket] = None,
    ) -> None:
        super().__init__()
        self.telemetry = telemetry
        self.channel = channel
        self.targets = targets
        # Targets only for records that start at this channel (OTLP: once per record, not per ancestor).
        self.origin_only = origin_only
        self.sampler = sampler
        self.limiter = limiter

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name != self.channel and not (self.channel == "root" and record.name == "root"):
            return super().filter(record)
        if self.sampler is not None and not self.sampler.keep():
            self.telemetry.drops.record("logs", "sampled", self.channel)
            return False
        if self.limiter is not None and not self.limiter.take():
            self.telemetry.drops.record("logs", "rate_limited", self.channel)
            return False
        return super().filter(record)

    def emit(self, record: logging.LogRecord) -> None:
        targets = self.targets + self.origin_only if record.name == self.channel else self.targets
        if not targets:
            return
        if record.args:
            record.msg = record.getMessage()
            record.args = None
        if not hasattr(record, "_grpo_context"):
            record._grpo_context = otel_context.get_current()  # type: ignore[attr-defined]
        self.telemetry.submit(_dispatch, targets, record, where=self.channel, signal="logs")


def _dispatch(targets: List[logging.Handler], record: logging.LogRecord) -> None:
    for t in targets:
        if record.levelno >= t.level:
            t.handle(record)


class Telemetry:
    """The providers, channels, instruments and telemetry thread of one ``initialize()``."""

    def __init__(
        self,
        config: Config,
        *,
        metric_readers: Sequence[MetricReader] = (),
        log_processors: Sequence[LogRecordProcessor] = (),
        span_processors: Sequence[SpanProcessor] = (),
        handle_exit: bool = True,
    ) -> None:
        self.config = config
        self.drops = Drops()
        self.sanitized = Sanitized()
        self.steps = StepModel()
        self.run_id = config.resource.run_id or generate_run_id()
        self.resource = self._resource()
        self._redact = [re.compile(r) for r in config.redact]
        self._closed = False
        self._lock = threading.Lock()
        self.training_accuracy: Optional[float] = None
        self._peak_rss = 0
        self._step_peaks: Dict[int, int] = {}
        self._cumulative: Dict[Tuple[str, Tuple[Tuple[str, Any], ...]], float] = {}

        otlp = config.otlp if config.otlp.enabled else None
        if otlp is not None and otlp.protocol == "http/json":
            _diag.warning("grpo-otel: the Python bridge sends OTLP as http/protobuf (http/json is not supported by the OTel Python exporter)")

        readers: List[MetricReader] = list(metric_readers)
        if otlp is not None and otlp.metrics:
            from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

            readers.append(
                PeriodicExportingMetricReader(
                    OTLPMetricExporter(
                        endpoint=f"{otlp.endpoint}/v1/metrics",
                        preferred_temporality=STEP_GAUGE_TEMPORALITY,
                        **_exporter_args(otlp),
                    ),
                    export_interval_millis=otlp.export_interval_s * 1000,
                    export_timeout_millis=min(otlp.timeout_s, otlp.export_interval_s) * 1000,
                )
            )
        self.meter_provider = MeterProvider(resource=self.resource, metric_readers=readers, shutdown_on_exit=False)
        self.meter = self.meter_provider.get_meter(SCOPE_NAME, __version__)
        self._instruments: Dict[str, Any] = {}
        # Names of the step-scoped gauges recorded so far (telemetry thread): each step's batch lists them
        # (grpo.batch.reported_metrics), so the sink's analyses do not write these series a second time.
        self.reported_metrics: Dict[str, None] = {}

        self.logger_provider = LoggerProvider(resource=self.resource, shutdown_on_exit=False)
        self._has_global_logs = bool(log_processors) or (otlp is not None and otlp.logs)
        for p in log_processors:
            self.logger_provider.add_log_record_processor(p)
        if otlp is not None and otlp.logs:
            self.logger_provider.add_log_record_processor(_otlp_log_processor(otlp))
        # One provider per `otlp` handler (its own endpoint and queue).
        self._handler_providers: Dict[str, LoggerProvider] = {}

        span_list = list(span_processors)
        if otlp is not None and otlp.traces:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            span_list.append(BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{otlp.endpoint}/v1/traces", **_exporter_args(otlp))))
        self.tracer_provider = TracerProvider(resource=self.resource, shutdown_on_exit=False)
        for sp in span_list:
            self.tracer_provider.add_span_processor(sp)
        self.tracer = self.tracer_provider.get_tracer(SCOPE_NAME, __version__)

        self._queue: "queue.Queue[Any]" = queue.Queue(maxsize=config.max_queue_size)
        self._thread = threading.Thread(target=self._run, name="grpo-otel-telemetry", daemon=True)
        self._thread.start()

        if config.metrics.resource_metrics:
            self.meter.create_observable_up_down_counter(
                S.PROCESS_MEMORY_USAGE.name, [self._observe_rss], S.PROCESS_MEMORY_USAGE.unit, S.PROCESS_MEMORY_USAGE.description
            )
            self.meter.create_observable_gauge(
                S.MEMORY_PEAK_USAGE.name, [self._observe_peak], S.MEMORY_PEAK_USAGE.unit, S.MEMORY_PEAK_USAGE.description
            )
        self.meter.create_observable_counter(
            S.SDK_RECORD_DROPPED.name, [self.drops.observe], S.SDK_RECORD_DROPPED.unit, S.SDK_RECORD_DROPPED.description
        )
        self.meter.create_observable_counter(
            S.SDK_VALUE_SANITIZED.name, [self.sanitized.observe], S.SDK_VALUE_SANITIZED.unit, S.SDK_VALUE_SANITIZED.description
        )

        self._channels: Dict[str, logging.Logger] = {}
        self._saved: Dict[str, Tuple[int, bool]] = {}
        self._handlers = self._build_handlers()
        self._setup_channels()
        self._atexit: Optional[Callable[[], None]] = None
        self._in_shutdown = False
        if config.ignored:
            _diag.warning(
                "grpo-otel: %s: the Python bridge does not apply %s",
                config.source,
                "; ".join(f"{key} ({why})" for key, why in config.ignored),
            )
        self._sigterm = SigtermFlush(self._shutdown_on_signal)
        if handle_exit:
            self._atexit = self.shutdown
            atexit.register(self._atexit)
            self._sigterm.install()

    # --- resource -------------------------------------------------------------------------------------
    def _resource(self) -> Resource:
        r = self.config.resource
        attrs: Dict[str, Any] = dict(r.attributes)
        attrs[S.ATTR_SERVICE_NAME] = r.service_name
        attrs.setdefault("service.version", __version__)
        attrs[S.ATTR_GRPO_RUN_ID] = self.run_id
        attrs["telemetry.distro.name"] = "grpo-otel"
        attrs["telemetry.distro.version"] = __version__
        if r.experiment:
            attrs[S.ATTR_GRPO_EXPERIMENT_NAME] = r.experiment
        if r.model:
            attrs[S.ATTR_GEN_AI_REQUEST_MODEL] = r.model
        if r.rank is not None:
            attrs[S.ATTR_GRPO_RANK] = r.rank
        if r.world_size is not None:
            attrs[S.ATTR_GRPO_WORLD_SIZE] = r.world_size
        # One instance per worker process: the collector's Prometheus exporter makes it `instance`.
        attrs.setdefault(S.ATTR_SERVICE_INSTANCE_ID, f"{self.run_id}-{r.rank or 0}")
        attrs["process.pid"] = os.getpid()
        return Resource.create(attrs)

    # --- limits ---------------------------------------------------------------------------------------
    def limit(self, v: Any) -> Any:
        """`limits`: strings cut to max_string_length (with a marker) and redacted."""
        if isinstance(v, str):
            for r in self._redact:
                v, k = r.subn("[REDACTED]", v)
                if k:
                    self.sanitized.record("logs", "redacted")
            n = self.config.max_string_length
            if len(v) > n:
                self.sanitized.record("logs", "truncated")
                return f"{v[:n]}…[truncated {len(v) - n} chars]"
            return v
        if isinstance(v, (list, tuple)) and v and isinstance(v[0], str):
            return [self.limit(x) for x in v]
        return v

    # --- channels -------------------------------------------------------------------------------------
    def _build_handlers(self) -> Dict[str, Optional[logging.Handler]]:
        out: Dict[str, Optional[logging.Handler]] = {}
        skipped = []
        for name, h in self.config.handlers.items():
            handler = self._build_handler(h)
            if handler is None:
                skipped.append(name)
            else:
                handler.setLevel(h.level)
                fmt = _formatter(self.config.formatters.get(h.formatter)) if h.formatter else None
                if fmt is not None:
                    handler.setFormatter(fmt)
            out[name] = handler
        if skipped and not self.config.otlp.enabled:
            _diag.warning(
                "grpo-otel: handlers %s are written by `grpo-otel sink` behind the collector from what this process "
                "sends over OTLP, and OTLP is not enabled (set otlp.endpoint or OTEL_EXPORTER_OTLP_ENDPOINT)",
                ", ".join(skipped),
            )
        return out

    def _build_handler(self, h: HandlerConfig) -> Optional[logging.Handler]:
        if h.kind == "console":
            return logging.StreamHandler(sys.stdout if h.options["stream"] == "stdout" else sys.stderr)
        if h.kind == "file":
            path = h.options["filename"]
            make_dirs(os.path.dirname(path) or ".", self.config.dir_mode)
            return ModeRotatingFileHandler(
                self.config.file_mode,
                path,
                mode=h.options["mode"],
                maxBytes=h.options["maxBytes"] if h.options["backupCount"] > 0 else 0,
                backupCount=h.options["backupCount"],
                encoding="utf-8",
                delay=h.options["delay"],
            )
        if h.kind == "null":
            return logging.NullHandler()
        if h.kind == "otlp":
            o: OtlpConfig = h.options["otlp"]
            provider = LoggerProvider(resource=self.resource, shutdown_on_exit=False)
            provider.add_log_record_processor(_otlp_log_processor(o))
            self._handler_providers[h.name] = provider
            return OtlpTarget(provider, self.limit)
        assert h.kind in SINK_KINDS
        return None

    def _channel_targets(self, names: Sequence[str]) -> List[logging.Handler]:
        return [h for h in (self._handlers.get(n) for n in names) if h is not None]

    def _setup_channels(self) -> None:
        self._global_otlp = OtlpTarget(self.logger_provider, self.limit) if self._has_global_logs else None
        self._attach(logging.getLogger(), self.config.root)
        for name in (*CHANNELS, *self.config.loggers):
            self.channel(name)

    def _attach(self, logger: logging.Logger, cfg: ChannelConfig) -> None:
        name = cfg.name
        self._saved.setdefault(name, (logger.level, logger.propagate))
        for h in [h for h in logger.handlers if isinstance(h, CaptureHandler)]:
            logger.removeHandler(h)
        logger.setLevel(cfg.level)
        logger.propagate = cfg.propagate
        origin = [self._global_otlp] if self._global_otlp is not None else []
        logger.addHandler(
            CaptureHandler(
                self,
                name,
                self._channel_targets(cfg.handlers),
                origin,
                StrideSampler(cfg.sample) if cfg.sample < 1 else None,
                TokenBucket(*cfg.rate_limit) if cfg.rate_limit else None,
            )
        )
        self._channels[name] = logger

    def channel(self, name: str) -> logging.Logger:
        """The Python logger of a channel, set up with the config's level, handlers and propagation."""
        if name == "root":
            return logging.getLogger()
        logger = self._channels.get(name)
        if logger is not None:
            return logger
        logger = logging.getLogger(name)
        self._attach(logger, self.config.loggers.get(name) or ChannelConfig(name=name))
        return logger

    def batch_targets(self) -> List[LoggerProvider]:
        """Where the `rewards` channel's OTLP records go: the global OTLP logs, else its otlp handlers."""
        if self._has_global_logs:
            return [self.logger_provider]
        cfg = self.config.loggers.get("rewards")
        names = list(cfg.handlers) if cfg else []
        if cfg is None or cfg.propagate:
            names += self.config.root.handlers
        return [self._handler_providers[n] for n in names if n in self._handler_providers]

    # --- instruments ----------------------------------------------------------------------------------
    def instrument(self, d: S.MetricDefinition) -> Any:
        inst = self._instruments.get(d.name)
        if inst is not None:
            return inst
        m = self.meter
        if d.instrument == "gauge":
            inst = m.create_gauge(d.name, d.unit, d.description)
        elif d.instrument == "counter":
            inst = m.create_counter(d.name, d.unit, d.description)
        elif d.instrument == "updowncounter":
            inst = m.create_up_down_counter(d.name, d.unit, d.description)
        elif d.instrument == "histogram":
            inst = m.create_histogram(d.name, d.unit, d.description, explicit_bucket_boundaries_advisory=d.buckets)
        else:
            raise ValueError(f"{d.name} is an observable instrument")
        self._instruments[d.name] = inst
        return inst

    def record(self, d: S.MetricDefinition, value: float, attributes: Optional[Mapping[str, Any]] = None, step: Optional[int] = None) -> bool:
        """Records a value on its semconv instrument (telemetry thread); non-finite values are dropped and counted.
        A gauge's value of a ``step`` carries it as ``grpo.step`` (see STEP_GAUGE_TEMPORALITY)."""
        if not isinstance(value, (int, float)) or value != value or value in (float("inf"), float("-inf")):
            self.drops.record("metrics", "invalid_value", d.name)
            return False
        if d.instrument == "counter" and value < 0:
            self.drops.record("metrics", "invalid_value", d.name)
            return False
        v = int(value) if d.value_type == "int" else float(value)
        inst = self.instrument(d)
        attrs = dict(attributes) if attributes else None
        if d.instrument == "gauge":
            if step is not None:
                attrs = {**(attrs or {}), S.ATTR_GRPO_STEP: step}
                self.reported_metrics[d.name] = None
            inst.set(v, attrs)
        elif d.instrument == "histogram":
            inst.record(v, attrs)
        else:
            inst.add(v, attrs)
        return True

    def record_cumulative(self, d: S.MetricDefinition, total: float, attributes: Mapping[str, Any]) -> None:
        """A framework's running total on our counter: the increase since its previous value."""
        key = (d.name, tuple(sorted(attributes.items())))
        before = self._cumulative.get(key)
        self._cumulative[key] = total
        if before is None:
            self.record(d, total, attributes)
        elif total > before:
            self.record(d, total - before, attributes)

    def record_step_change(self, before: Optional[int], highest: int) -> None:
        """After a step's report (telemetry thread): the current-step gauge and the steps counter."""
        self.record(S.TRAINING_CURRENT_STEP, highest, step=highest)
        if highest > (before or 0):
            self.record(S.TRAINING_STEPS, highest - (before or 0))

    # --- memory ---------------------------------------------------------------------------------------
    @staticmethod
    def rss() -> int:
        try:
            with open("/proc/self/statm", encoding="ascii") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            import resource

            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    def note_peak(self, rss: int) -> int:
        self._peak_rss = max(self._peak_rss, rss)
        return self._peak_rss

    def note_step_memory(self, step: int, peak: int) -> None:
        """A ``log_memory_usage`` reading of a step (telemetry thread): the next collection exports the peak
        at that step (as the TypeScript SDK writes it at the current step), one point per step read."""
        with self._lock:
            self._step_peaks[step] = peak

    def _observe_rss(self, _options: CallbackOptions) -> Iterable[Observation]:
        rss = self.rss()
        self.note_peak(rss)
        yield Observation(rss)

    def _observe_peak(self, _options: CallbackOptions) -> Iterable[Observation]:
        with self._lock:
            stamped, self._step_peaks = self._step_peaks, {}
        if not stamped:
            yield Observation(self.note_peak(self.rss()), {S.ATTR_GRPO_MEMORY_POOL: "rss"})
        for step, peak in stamped.items():
            yield Observation(peak, {S.ATTR_GRPO_MEMORY_POOL: "rss", S.ATTR_GRPO_STEP: step})

    # --- the telemetry thread -------------------------------------------------------------------------
    def submit(self, fn: Callable[..., None], *args: Any, where: str, signal: str = "metrics") -> bool:
        """Hands work to the telemetry thread (run inline when called from it); a full queue drops and counts."""
        if threading.current_thread() is self._thread:
            self._call(fn, args)
            return True
        if self._closed:
            self.drops.record(signal, "shutdown", where)
            return False
        try:
            self._queue.put_nowait((fn, args))
            return True
        except queue.Full:
            self.drops.record(signal, "queue_full", where)
            return False

    def _call(self, fn: Callable[..., None], args: Tuple[Any, ...]) -> None:
        try:
            fn(*args)
        except Exception:  # noqa: BLE001 - telemetry never crashes the trainer; said once per kind
            self.drops.record("logs", "export_failed", getattr(fn, "__name__", "task"))
            _diag.debug("grpo-otel: telemetry task failed", exc_info=True)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                fn, args = item
                self._call(fn, args)
            finally:
                self._queue.task_done()

    def drain(self, timeout_s: float = 10.0) -> bool:
        """Waits until the telemetry thread has handled everything submitted so far."""
        if threading.current_thread() is self._thread or not self._thread.is_alive():
            return True
        done = threading.Event()
        try:
            self._queue.put((done.set, ()), timeout=timeout_s)
        except queue.Full:
            return False
        return done.wait(timeout_s)

    def force_flush(self, timeout_s: float = 10.0) -> None:
        from . import _api

        _api.flush_pending_batch(self)
        self.drain(timeout_s)
        millis = int(timeout_s * 1000)
        self.meter_provider.force_flush(millis)
        self.logger_provider.force_flush(millis)
        for p in self._handler_providers.values():
            p.force_flush(millis)
        self.tracer_provider.force_flush(millis)
        for h in self._handlers.values():
            if h is not None:
                h.flush()

    def _shutdown_on_signal(self) -> None:
        # A signal that lands inside shutdown() (which holds the lock) must not wait for it.
        if not self._in_shutdown:
            self.shutdown()

    def shutdown(self, timeout_s: float = 10.0) -> None:
        """Flushes everything to every sink and stops; idempotent."""
        self._in_shutdown = True
        self._sigterm.uninstall()
        with self._lock:
            if self._closed:
                return
            from . import _api

            _api.flush_pending_batch(self)
            self.drain(timeout_s)
            self._closed = True
        if self._atexit is not None:
            atexit.unregister(self._atexit)
        try:
            self._queue.put((lambda: None, ()), timeout=timeout_s)
            self._queue.put(None, timeout=timeout_s)
        except queue.Full:
            pass
        self._thread.join(timeout_s)
        for name, logger in self._channels.items():
            for h in [h for h in logger.handlers if isinstance(h, CaptureHandler) and h.telemetry is self]:
                logger.removeHandler(h)
            level, propagate = self._saved.get(name, (logging.NOTSET, True))
            logger.setLevel(level)
            logger.propagate = propagate
        self.meter_provider.shutdown()
        self.logger_provider.shutdown()
        for p in self._handler_providers.values():
            p.shutdown()
        self.tracer_provider.shutdown()
        for h in self._handlers.values():
            if h is not None:
                h.close()
        lost = sum(self.drops.counts.values())
        if lost:
            _diag.warning("grpo-otel: %d records were dropped during the run (see grpo.sdk.record.dropped)", lost)


def _exporter_args(o: OtlpConfig) -> Dict[str, Any]:
    from opentelemetry.exporter.otlp.proto.http import Compression

    args: Dict[str, Any] = {
        "headers": dict(o.headers),
        "timeout": o.timeout_s,
        "compression": Compression.Gzip if o.compression == "gzip" else Compression.NoCompression,
    }
    if o.tls.get("ca_file"):
        args["certificate_file"] = o.tls["ca_file"]
    if o.tls.get("cert_file"):
        args["client_certificate_file"] = o.tls["cert_file"]
    if o.tls.get("key_file"):
        args["client_key_file"] = o.tls["key_file"]
    return args


def _fast_log_exporter_class() -> Any:
    from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
    from opentelemetry.sdk._logs.export import LogRecordExportResult

    from . import _fastencode

    class FastOTLPLogExporter(OTLPLogExporter):
        """OTLPLogExporter whose requests holding a step's batch are encoded by `_fastencode` (the per-token
        arrays as wire bytes); other requests, and any surprise, go the exporter's own way."""

        def export(self, batch: Sequence[Any]) -> Any:
            client = getattr(self, "_client", None)
            if self._shutdown or client is None or not any(_fastencode.is_batch_record(r) for r in batch):
                return super().export(batch)
            try:
                data = _fastencode.encode_request(batch)
            except Exception:  # noqa: BLE001 - the exporter's own encoder then
                return super().export(batch)
            result = client.export(data)
            return LogRecordExportResult.SUCCESS if result.success else LogRecordExportResult.FAILURE

    return FastOTLPLogExporter


def _otlp_log_processor(o: OtlpConfig) -> LogRecordProcessor:
    return BatchLogRecordProcessor(
        _fast_log_exporter_class()(endpoint=f"{o.endpoint}/v1/logs", **_exporter_args(o)),
        schedule_delay_millis=1000,
        # The OTel SDK refuses a batch larger than the queue.
        max_export_batch_size=min(o.max_export_batch_size, o.max_records),
        max_queue_size=o.max_records,
    )
