"""The YAML config: the same file and schema as the TypeScript SDK (docs/configuration.md).

Loads with PyYAML, substitutes ``${env:VAR}`` and ``${env:VAR:-default}``, fills the defaults and
checks the keys the bridge uses; a bad file raises one :class:`ConfigError` naming the file, the line
and the key. Handler classes that only the sink behind the collector writes (csv, tensorboard,
traces) are accepted and left to it.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple

import yaml

LEVELS = {
    "NOTSET": 0,
    "DEBUG": 10,
    "INFO": 20,
    "WARNING": 30,
    "WARN": 30,
    "ERROR": 40,
    "CRITICAL": 50,
    "FATAL": 50,
}

HANDLER_KINDS = {
    "console": "console",
    "stream": "console",
    "logging.StreamHandler": "console",
    "file": "file",
    "rotating_file": "file",
    "logging.FileHandler": "file",
    "logging.handlers.RotatingFileHandler": "file",
    "csv": "csv",
    "logging.custom.CSVHandler": "csv",
    "tensorboard": "tensorboard",
    "logging.custom.TensorBoardHandler": "tensorboard",
    "otlp": "otlp",
    "logging.custom.OTLPHandler": "otlp",
    "traces": "traces",
    "logging.custom.TraceFileHandler": "traces",
    "null": "null",
    "logging.NullHandler": "null",
}

#: Handler kinds the sink behind the collector writes from what the bridge sends over OTLP.
SINK_KINDS = ("csv", "tensorboard", "traces")

DEFAULT_CONFIG_YAML = """# grpo-otel (Python bridge) embedded default: the seed's layout with the handlers a Python
# process writes itself; CSV and TensorBoard files are written by `grpo-otel sink` behind the collector.
version: 1
disable_existing_loggers: false
root:
  level: INFO
  handlers: [console, file]
loggers:
  training: {level: INFO, handlers: [console, file], propagate: false}
  model_outputs: {level: INFO, handlers: [file], propagate: false}
  rewards: {level: INFO, handlers: [file], propagate: false}
  whitelist: {level: INFO, handlers: [file], propagate: false}
  metrics: {level: INFO, handlers: [file], propagate: false}
  system: {level: INFO, handlers: [file], propagate: false}
handlers:
  console: {class: logging.StreamHandler, formatter: standard, level: INFO}
  file:
    class: logging.handlers.RotatingFileHandler
    formatter: standard
    filename: logs/training.log
    maxBytes: 10485760
    backupCount: 5
formatters:
  standard:
    format: "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
    datefmt: "%Y-%m-%d %H:%M:%S"
"""


class ConfigError(ValueError):
    """A bad config: ``file:line:column: key.path: what was expected`` (one line, no stack trace needed)."""

    def __init__(self, source: str, line: Optional[int], column: Optional[int], key: str, detail: str):
        where = source
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {key + ': ' if key else ''}{detail}")
        self.source = source
        self.line = line
        self.key = key
        self.detail = detail


@dataclass
class ChannelConfig:
    name: str
    level: int = 0
    handlers: List[str] = field(default_factory=list)
    propagate: bool = True
    #: (records per second, burst), or None for no limit.
    rate_limit: Optional[Tuple[float, int]] = None
    sample: float = 1.0


@dataclass
class HandlerConfig:
    name: str
    kind: str
    level: int = 0
    formatter: Optional[str] = None
    options: Dict[str, Any] = field(default_factory=dict)


@dataclass
class FormatterConfig:
    name: str
    fmt: str = "%(message)s"
    datefmt: Optional[str] = None
    style: str = "%"
    json: bool = False
    fields: Tuple[str, ...] = ("timestamp", "level", "name", "message", "attributes")
    utc: bool = False


@dataclass
class OtlpConfig:
    enabled: bool = False
    endpoint: str = "http://localhost:4318"
    protocol: str = "http/protobuf"
    headers: Dict[str, str] = field(default_factory=dict)
    timeout_s: float = 10.0
    compression: str = "none"
    tls: Dict[str, str] = field(default_factory=dict)
    max_records: int = 32768
    max_export_batch_size: int = 512
    metrics: bool = True
    traces: bool = True
    logs: bool = True
    export_interval_s: float = 5.0


@dataclass
class MetricsConfig:
    logging_frequency: int = 50
    full_metrics_frequency: int = 250
    validation_frequency: int = 250
    sampling_ratio: float = 0.1
    history_window: int = 100
    reward_metrics: bool = True
    generation_metrics: bool = True
    validation_metrics: bool = True
    resource_metrics: bool = True
    dataset_path: Optional[str] = None
    max_samples: int = 100
    timeout_per_sample_s: float = 5.0


@dataclass
class ResourceConfig:
    service_name: str = "grpo-training"
    run_id: Optional[str] = None
    experiment: Optional[str] = None
    model: Optional[str] = None
    rank: Optional[int] = None
    world_size: Optional[int] = None
    attributes: Dict[str, Any] = field(default_factory=dict)


@dataclass
class Config:
    source: str
    root: ChannelConfig
    loggers: Dict[str, ChannelConfig]
    handlers: Dict[str, HandlerConfig]
    formatters: Dict[str, FormatterConfig]
    metrics: MetricsConfig
    resource: ResourceConfig
    otlp: OtlpConfig
    max_string_length: int = 65536
    redact: Tuple[str, ...] = ()
    max_queue_size: int = 8192
    #: Permission bits of the files and directories the bridge's file handlers create (``files``).
    file_mode: int = 0o640
    dir_mode: int = 0o750
    #: Keys set in the config that the bridge does not apply: ``(key path, why)``, warned about once by
    #: ``initialize``.
    ignored: Tuple[Tuple[str, str], ...] = ()


# --- YAML with positions ------------------------------------------------------------------------------

_ENV = re.compile(r"\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class _Loaded:
    """Plain values, and the (line, column) of every key path."""

    def __init__(self) -> None:
        self.marks: Dict[Tuple[str, ...], Tuple[int, int]] = {}


def _substitute(text: str, env: Mapping[str, str]) -> Any:
    whole = _ENV.fullmatch(text)

    def value(m: "re.Match[str]") -> str:
        name, default = m.group(1), m.group(2)
        v = env.get(name)
        if v is None or (v == "" and default is not None):
            return default if default is not None else ""
        return v

    if whole is not None:
        # A whole value keeps its type: `maxBytes: ${env:MAX_BYTES:-1000}` is a number.
        text = value(whole)
        return yaml.safe_load(text) if text != "" else ""
    return _ENV.sub(value, text)


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _scalar(node: yaml.Node) -> Any:
    return _CONSTRUCTOR.construct_object(node, deep=True)


def _construct(node: yaml.Node, path: Tuple[str, ...], loaded: _Loaded, env: Mapping[str, str]) -> Any:
    loaded.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        out: Dict[str, Any] = {}
        for k, v in node.value:
            key = str(_scalar(k))
            loaded.marks[path + (key,)] = (k.start_mark.line + 1, k.start_mark.column + 1)
            out[key] = _construct(v, path + (key,), loaded, env)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, path + (str(i),), loaded, env) for i, v in enumerate(node.value)]
    value = _scalar(node)
    if isinstance(value, str) and "${env:" in value:
        return _substitute(value, env)
    return value


class _Checker:
    def __init__(self, source: str, loaded: _Loaded) -> None:
        self.source = source
        self.loaded = loaded

    def fail(self, path: Tuple[str, ...], detail: str) -> "ConfigError":
        p = path
        while p and p not in self.loaded.marks:
            p = p[:-1]
        line, col = self.loaded.marks.get(p, (None, None))
        return ConfigError(self.source, line, col, ".".join(path), detail)

    def mapping(self, value: Any, path: Tuple[str, ...], allowed: Optional[Tuple[str, ...]] = None) -> Dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(path, f"expected a mapping, got {type(value).__name__}")
        if allowed is not None:
            for k in value:
                if k not in allowed:
                    close = difflib.get_close_matches(k, allowed, n=1)
                    hint = f" (did you mean '{close[0]}'?)" if close else f" (expected one of {', '.join(allowed)})"
                    raise self.fail(path + (k,), f"unknown key{hint}")
        return value

    def integer(self, m: Dict[str, Any], key: str, path: Tuple[str, ...], default: Any, low: int = 0) -> Any:
        v = m.get(key, default)
        if v is default:
            return v
        if isinstance(v, bool) or not isinstance(v, int) or v < low:
            raise self.fail(path + (key,), f"expected an integer >= {low}, got {v!r}")
        return v

    def number(self, m: Dict[str, Any], key: str, path: Tuple[str, ...], default: Any, positive: bool = True) -> Any:
        v = m.get(key, default)
        if v is default:
            return v
        if isinstance(v, bool) or not isinstance(v, (int, float)) or (positive and v <= 0):
            raise self.fail(path + (key,), f"expected a number{' > 0' if positive else ''}, got {v!r}")
        return float(v)

    def boolean(self, m: Dict[str, Any], key: str, path: Tuple[str, ...], default: Any) -> Any:
        v = m.get(key, default)
        if v is not default and not isinstance(v, bool):
            raise self.fail(path + (key,), f"expected true or false, got {v!r}")
        return v

    def string(self, m: Dict[str, Any], key: str, path: Tuple[str, ...], default: Any, pattern: Optional[str] = None) -> Any:
        v = m.get(key, default)
        if v is default:
            return v
        if not isinstance(v, str) or v == "":
            raise self.fail(path + (key,), f"expected a non-empty string, got {v!r}")
        if pattern is not None and not re.match(pattern, v):
            raise self.fail(path + (key,), f"expected a string matching {pattern}, got {v!r}")
        return v

    def level(self, m: Dict[str, Any], path: Tuple[str, ...], default: int) -> int:
        v = m.get("level")
        if v is None:
            return default
        if not isinstance(v, str) or v.upper() not in LEVELS:
            raise self.fail(path + ("level",), f"expected one of {', '.join(LEVELS)}, got {v!r}")
        return LEVELS[v.upper()]

    def string_map(self, m: Dict[str, Any], key: str, path: Tuple[str, ...]) -> Dict[str, str]:
        v = self.mapping(m.get(key), path + (key,))
        out = {}
        for k, x in v.items():
            if not isinstance(x, str):
                raise self.fail(path + (key, k), f"expected a string, got {x!r}")
            out[k] = x
        return out


_CHANNEL_KEYS = ("level", "handlers", "propagate", "qualname", "rate_limit", "sample")
# Keys of the TypeScript SDK's config the bridge accepts but does not apply (warned once by initialize).
_IGNORED_HANDLER_KEYS: Dict[str, Tuple[str, ...]] = {
    "console": ("color", "flush_interval", "max_queue_size"),
    "file": ("async_writes", "flush_interval", "max_queue_size", "ranks"),
}
_IGNORED_WHY = {
    "telemetry_thread": "the bridge always hands its work to a telemetry thread of its own, with its own bounded queue",
    "color": "console lines are not coloured",
    "async_writes": "file writes already run on the bridge's telemetry thread",
    "flush_interval": "Python's handlers write each record when it is handled",
    "max_queue_size": "the bridge has one bounded queue for all its work",
    "ranks": "every rank writes its file handlers; give each rank its own filename",
}

_HANDLER_COMMON = ("class", "level", "formatter", "flush_interval", "max_queue_size")
_HANDLER_KEYS = {
    "console": ("stream", "color"),
    "file": ("filename", "mode", "maxBytes", "backupCount", "encoding", "delay", "async_writes", "ranks"),
    "csv": ("filename", "columns", "buffer_size", "maxBytes", "backupCount", "encoding", "async_writes", "ranks"),
    "tensorboard": ("log_dir", "max_file_bytes", "async_writes", "ranks"),
    "otlp": ("endpoint", "protocol", "headers", "timeout", "compression", "tls", "queue"),
    "traces": ("filename", "maxBytes", "backupCount", "async_writes", "ranks"),
    "null": (),
}
_OTLP_KEYS = (
    "enabled", "endpoint", "protocol", "headers", "timeout", "compression", "tls", "queue",
    "metrics", "traces", "logs", "export_interval",
)
_TOP_KEYS = (
    "version", "disable_existing_loggers", "incremental", "root", "loggers", "handlers", "formatters",
    "metrics", "resource", "otlp", "limits", "files", "telemetry_thread",
)


def _headers_from_env(text: Optional[str]) -> Dict[str, str]:
    out: Dict[str, str] = {}
    for part in (text or "").split(","):
        if "=" in part:
            k, v = part.split("=", 1)
            out[k.strip()] = v.strip()
    return out


def _channel(c: _Checker, name: str, raw: Any, path: Tuple[str, ...], default_level: int) -> ChannelConfig:
    m = c.mapping(raw, path, _CHANNEL_KEYS)
    handlers = m.get("handlers", [])
    if not isinstance(handlers, list) or not all(isinstance(h, str) and h for h in handlers):
        raise c.fail(path + ("handlers",), "expected a list of handler names")
    rl = m.get("rate_limit")
    rate: Optional[Tuple[float, int]] = None
    if isinstance(rl, (int, float)) and not isinstance(rl, bool) and rl > 0:
        rate = (float(rl), max(1, math.ceil(rl)))
    elif isinstance(rl, dict):
        rm = c.mapping(rl, path + ("rate_limit",), ("records_per_second", "burst"))
        rps = c.number(rm, "records_per_second", path + ("rate_limit",), None)
        if rps is None:
            raise c.fail(path + ("rate_limit", "records_per_second"), "required (a number > 0)")
        rate = (rps, c.integer(rm, "burst", path + ("rate_limit",), max(1, math.ceil(rps)), 1))
    elif rl is not None:
        raise c.fail(path + ("rate_limit",), f"expected a number > 0 or a mapping with records_per_second, got {rl!r}")
    sample = c.number(m, "sample", path, 1.0)
    if sample > 1:
        raise c.fail(path + ("sample",), f"expected a number > 0 and <= 1, got {sample}")
    return ChannelConfig(
        name=name,
        level=c.level(m, path, default_level),
        handlers=list(handlers),
        propagate=c.boolean(m, "propagate", path, True),
        rate_limit=rate,
        sample=sample,
    )


def _otlp_section(c: _Checker, m: Dict[str, Any], path: Tuple[str, ...], env: Mapping[str, str], base: OtlpConfig) -> OtlpConfig:
    o = OtlpConfig(**{**base.__dict__, "headers": dict(base.headers), "tls": dict(base.tls)})
    o.endpoint = c.string(m, "endpoint", path, o.endpoint, r"^https?://").rstrip("/")
    protocol = m.get("protocol", o.protocol)
    if protocol not in ("http/protobuf", "http/json"):
        raise c.fail(path + ("protocol",), f"expected one of http/protobuf, http/json, got {protocol!r}")
    o.protocol = protocol
    o.headers = {**o.headers, **c.string_map(m, "headers", path)}
    o.timeout_s = c.number(m, "timeout", path, o.timeout_s)
    compression = m.get("compression", o.compression)
    if compression not in ("gzip", "none"):
        raise c.fail(path + ("compression",), f"expected one of gzip, none, got {compression!r}")
    o.compression = compression
    tls = c.mapping(m.get("tls"), path + ("tls",), ("ca_file", "cert_file", "key_file"))
    o.tls = {**o.tls, **{k: str(v) for k, v in tls.items()}}
    q = c.mapping(m.get("queue"), path + ("queue",), ("max_records", "max_bytes", "overflow", "max_export_batch_size", "retry"))
    o.max_records = c.integer(q, "max_records", path + ("queue",), o.max_records, 1)
    o.max_export_batch_size = c.integer(q, "max_export_batch_size", path + ("queue",), o.max_export_batch_size, 1)
    return o


def parse_config(text: str, source: str = "<string>", env: Optional[Mapping[str, str]] = None, base_dir: Optional[str] = None) -> Config:
    """Parses config text; raises :class:`ConfigError` for a bad one."""
    env = os.environ if env is None else env
    base_dir = base_dir if base_dir is not None else os.getcwd()
    loaded = _Loaded()
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        raise ConfigError(source, mark.line + 1 if mark else None, mark.column + 1 if mark else None, "", f"invalid YAML: {e.problem}") from None
    raw = _construct(node, (), loaded, env) if node is not None else {}
    c = _Checker(source, loaded)
    top = c.mapping(raw, (), _TOP_KEYS)
    if top.get("version", 1) != 1:
        raise c.fail(("version",), f"expected 1, got {top.get('version')!r}")

    # Formatters.
    formatters: Dict[str, FormatterConfig] = {}
    for name, f in c.mapping(top.get("formatters"), ("formatters",)).items():
        p = ("formatters", name)
        fm = c.mapping(f, p, ("format", "datefmt", "style", "fields", "validate", "class", "utc"))
        fmt = fm.get("format", "%(message)s")
        if not isinstance(fmt, str):
            raise c.fail(p + ("format",), f"expected a string, got {fmt!r}")
        style = fm.get("style", "%")
        if style not in ("%", "{", "$"):
            raise c.fail(p + ("style",), f"expected one of %, {{, $, got {style!r}")
        is_json = fmt == "json" or fm.get("class") == "json"
        fields = fm.get("fields", FormatterConfig.fields)
        formatters[name] = FormatterConfig(
            name=name,
            fmt=fmt,
            datefmt=c.string(fm, "datefmt", p, None),
            style=style,
            json=is_json,
            fields=tuple(fields),
            utc=c.boolean(fm, "utc", p, False),
        )

    # Handlers.
    handlers: Dict[str, HandlerConfig] = {}
    for name, h in c.mapping(top.get("handlers"), ("handlers",)).items():
        p = ("handlers", name)
        hm = c.mapping(h, p)
        cls = hm.get("class")
        if cls not in HANDLER_KINDS:
            close = difflib.get_close_matches(str(cls), list(HANDLER_KINDS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise c.fail(p + ("class",), f"expected a handler class such as console, file, otlp, got {cls!r}{hint}")
        kind = HANDLER_KINDS[cls]
        c.mapping(hm, p, _HANDLER_COMMON + _HANDLER_KEYS[kind])
        fmt = hm.get("formatter")
        if fmt is not None and fmt not in formatters:
            raise c.fail(p + ("formatter",), f"no formatter named {fmt!r} (formatters: {', '.join(formatters) or 'none'})")
        options: Dict[str, Any] = {}
        if kind == "console":
            stream = hm.get("stream", "ext://sys.stderr")
            if stream not in ("ext://sys.stdout", "ext://sys.stderr", "stdout", "stderr"):
                raise c.fail(p + ("stream",), f"expected ext://sys.stdout or ext://sys.stderr, got {stream!r}")
            options["stream"] = "stdout" if "stdout" in stream else "stderr"
        elif kind == "file":
            filename = c.string(hm, "filename", p, None)
            if filename is None:
                raise c.fail(p + ("filename",), "required for a file handler")
            mode = hm.get("mode", "a")
            if mode not in ("a", "w"):
                raise c.fail(p + ("mode",), f"expected a or w, got {mode!r}")
            options.update(
                filename=os.path.join(base_dir, filename),
                mode=mode,
                maxBytes=c.integer(hm, "maxBytes", p, 0),
                backupCount=c.integer(hm, "backupCount", p, 0),
                delay=c.boolean(hm, "delay", p, False),
            )
        elif kind == "otlp":
            options["otlp"] = hm
        handlers[name] = HandlerConfig(name=name, kind=kind, level=c.level(hm, p, 0), formatter=fmt, options=options)

    # Channels.
    root = _channel(c, "root", top.get("root"), ("root",), LEVELS["WARNING"])
    loggers: Dict[str, ChannelConfig] = {}
    for name, lc in c.mapping(top.get("loggers"), ("loggers",)).items():
        loggers[name] = _channel(c, name, lc, ("loggers", name), 0)
    for ch in [root, *loggers.values()]:
        path = ("root",) if ch is root else ("loggers", ch.name)
        for i, h in enumerate(ch.handlers):
            if h not in handlers:
                raise c.fail(path + ("handlers", str(i)), f"no handler named {h!r} (handlers: {', '.join(handlers) or 'none'})")

    # Metrics.
    mm = c.mapping(
        top.get("metrics"),
        ("metrics",),
        ("logging_frequency", "full_metrics_frequency", "validation_frequency", "sampling_ratio", "history_window",
         "plateau", "collapse", "observe_interval", "max_pending_analyses", "enable", "validation"),
    )
    mp = ("metrics",)
    metrics = MetricsConfig()
    metrics.logging_frequency = c.integer(mm, "logging_frequency", mp, metrics.logging_frequency, 1)
    metrics.full_metrics_frequency = c.integer(mm, "full_metrics_frequency", mp, metrics.full_metrics_frequency, 1)
    metrics.validation_frequency = c.integer(mm, "validation_frequency", mp, metrics.validation_frequency, 1)
    metrics.sampling_ratio = c.number(mm, "sampling_ratio", mp, metrics.sampling_ratio)
    if metrics.sampling_ratio > 1:
        raise c.fail(mp + ("sampling_ratio",), f"expected a number > 0 and <= 1, got {metrics.sampling_ratio}")
    metrics.history_window = c.integer(mm, "history_window", mp, metrics.history_window, 1)
    en = c.mapping(mm.get("enable"), mp + ("enable",), ("reward_metrics", "generation_metrics", "validation_metrics", "resource_metrics"))
    for k in ("reward_metrics", "generation_metrics", "validation_metrics", "resource_metrics"):
        setattr(metrics, k, c.boolean(en, k, mp + ("enable",), True))
    vm = c.mapping(mm.get("validation"), mp + ("validation",), ("dataset_path", "max_samples", "timeout_per_sample"))
    ds = c.string(vm, "dataset_path", mp + ("validation",), None)
    metrics.dataset_path = os.path.join(base_dir, ds) if ds else None
    metrics.max_samples = c.integer(vm, "max_samples", mp + ("validation",), metrics.max_samples, 1)
    metrics.timeout_per_sample_s = c.number(vm, "timeout_per_sample", mp + ("validation",), metrics.timeout_per_sample_s)

    # Resource.
    rm = c.mapping(top.get("resource"), ("resource",), ("service_name", "run_id", "experiment", "model", "rank", "world_size", "attributes"))
    rp = ("resource",)
    resource = ResourceConfig()
    resource.service_name = c.string(rm, "service_name", rp, None) or env.get("OTEL_SERVICE_NAME") or "grpo-training"
    resource.run_id = c.string(rm, "run_id", rp, None, r"^[A-Za-z0-9_.:-]+$") or env.get("GRPO_RUN_ID") or env.get("TORCHELASTIC_RUN_ID") or None
    resource.experiment = c.string(rm, "experiment", rp, None)
    resource.model = c.string(rm, "model", rp, None)
    rank = c.integer(rm, "rank", rp, None)
    if rank is None and env.get("RANK", "").isdigit():
        rank = int(env["RANK"])
    resource.rank = rank
    world = c.integer(rm, "world_size", rp, None, 1)
    if world is None and env.get("WORLD_SIZE", "").isdigit():
        world = int(env["WORLD_SIZE"])
    resource.world_size = world
    resource.attributes = dict(c.mapping(rm.get("attributes"), rp + ("attributes",)))

    # OTLP: the section's key wins over OTEL_* variables, which win over the defaults.
    om = c.mapping(top.get("otlp"), ("otlp",), _OTLP_KEYS)
    op = ("otlp",)
    base = OtlpConfig()
    if env.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        base.endpoint = env["OTEL_EXPORTER_OTLP_ENDPOINT"].rstrip("/")
    if env.get("OTEL_EXPORTER_OTLP_PROTOCOL") == "http/json":
        base.protocol = "http/json"
    base.headers = _headers_from_env(env.get("OTEL_EXPORTER_OTLP_HEADERS"))
    if env.get("OTEL_EXPORTER_OTLP_TIMEOUT", "").isdigit():
        base.timeout_s = int(env["OTEL_EXPORTER_OTLP_TIMEOUT"]) / 1000
    if env.get("OTEL_EXPORTER_OTLP_COMPRESSION") == "gzip":
        base.compression = "gzip"
    if env.get("OTEL_METRIC_EXPORT_INTERVAL", "").isdigit():
        base.export_interval_s = int(env["OTEL_METRIC_EXPORT_INTERVAL"]) / 1000
    otlp = _otlp_section(c, om, op, env, base)
    otlp_handlers = [h for h in handlers.values() if h.kind == "otlp"]
    otlp.enabled = c.boolean(
        om,
        "enabled",
        op,
        bool(env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or "endpoint" in om or otlp_handlers),
    )
    otlp.metrics = c.boolean(om, "metrics", op, env.get("OTEL_METRICS_EXPORTER") != "none")
    otlp.traces = c.boolean(om, "traces", op, env.get("OTEL_TRACES_EXPORTER") != "none")
    otlp.logs = c.boolean(om, "logs", op, env.get("OTEL_LOGS_EXPORTER") != "none" and not otlp_handlers)
    otlp.export_interval_s = c.number(om, "export_interval", op, otlp.export_interval_s)
    for h in otlp_handlers:
        hp = ("handlers", h.name)
        h.options["otlp"] = _otlp_section(c, h.options["otlp"], hp, env, otlp)
        hm = c.mapping(top["handlers"][h.name], hp)
        if "max_queue_size" in hm:
            h.options["otlp"].max_records = c.integer(hm, "max_queue_size", hp, None, 1)

    # Limits.
    lm = c.mapping(top.get("limits"), ("limits",), ("max_string_length", "redact"))
    max_len = c.integer(lm, "max_string_length", ("limits",), 65536, 1)
    redact = lm.get("redact", [])
    if not isinstance(redact, list) or not all(isinstance(r, str) and r for r in redact):
        raise c.fail(("limits", "redact"), "expected a list of regular expressions")
    for i, r in enumerate(redact):
        try:
            re.compile(r)
        except re.error as e:
            raise c.fail(("limits", "redact", str(i)), f"not a regular expression: {e}") from None
    fm = c.mapping(top.get("files"), ("files",), ("mode", "dir_mode"))
    file_mode = _permission_bits(c, fm, "mode", 0o640)
    dir_mode = _permission_bits(c, fm, "dir_mode", 0o750)
    # The bridge always runs its work on a telemetry thread; the ring's settings are the TypeScript SDK's.
    tm = c.mapping(top.get("telemetry_thread"), ("telemetry_thread",), ("enabled", "ring_bytes", "block_timeout", "exit_timeout"))
    ignored = [(f"telemetry_thread.{k}", _IGNORED_WHY["telemetry_thread"]) for k in tm]
    for name, h in handlers.items():
        for key in _IGNORED_HANDLER_KEYS.get(h.kind, ()):
            if key in top["handlers"][name]:
                ignored.append((f"handlers.{name}.{key}", _IGNORED_WHY[key]))

    return Config(
        source=source,
        root=root,
        loggers=loggers,
        handlers=handlers,
        formatters=formatters,
        metrics=metrics,
        resource=resource,
        otlp=otlp,
        max_string_length=max_len,
        redact=tuple(redact),
        file_mode=file_mode,
        dir_mode=dir_mode,
        ignored=tuple(ignored),
    )


def _permission_bits(c: Any, m: Dict[str, Any], key: str, default: int) -> int:
    """``"0640"``, ``"640"`` or an integer 0..511 (the TypeScript SDK's ``files`` rule)."""
    v = m.get(key)
    if v is None:
        return default
    if isinstance(v, str) and re.fullmatch(r"0?[0-7]{3}", v):
        return int(v, 8)
    if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 0o777:
        return v
    raise c.fail(("files", key), f'expected permission bits such as "0640" (or an integer 0..511), got {v!r}')


def load_config(path: Optional[str], env: Optional[Mapping[str, str]] = None, base_dir: Optional[str] = None) -> Config:
    """The config of ``path``, else of $GRPO_OTEL_CONFIG, else the embedded default."""
    env = os.environ if env is None else env
    path = path or env.get("GRPO_OTEL_CONFIG")
    if not path:
        return parse_config(DEFAULT_CONFIG_YAML, "<embedded default>", env, base_dir)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise ConfigError(path, None, None, "", f"cannot read the config ({e.strerror})") from None
    return parse_config(text, path, env, base_dir)
