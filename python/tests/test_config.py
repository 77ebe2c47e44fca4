"""The YAML config: the TypeScript SDK's schema, read by the bridge."""

import os

import pytest

from conftest import REPO
from grpo_otel import ConfigError, load_config, parse_config


def test_embedded_default_is_the_seed_layout_without_sink_handlers():
    c = load_config(None, env={}, base_dir="/tmp/x")
    assert c.source == "<embedded default>"
    assert set(c.loggers) == {"training", "model_outputs", "rewards", "whitelist", "metrics", "system"}
    assert c.handlers["file"].options["filename"] == "/tmp/x/logs/training.log"
    assert c.metrics.logging_frequency == 50 and c.metrics.full_metrics_frequency == 250
    assert c.otlp.enabled is False


def test_the_seed_logging_config_loads_unchanged():
    path = os.path.join(REPO, "packages", "sdk", "test", "fixtures", "seed-logging_config.yaml")
    c = load_config(path, env={}, base_dir="/tmp/x")
    assert c.loggers["training"].handlers == ["console", "file", "tensorboard"]
    assert c.loggers["training"].level == 20 and c.loggers["training"].propagate is False
    assert c.handlers["csv"].kind == "csv" and c.handlers["tensorboard"].kind == "tensorboard"
    assert c.metrics.logging_frequency == 50 and c.metrics.validation_frequency == 250
    assert c.metrics.max_samples == 100 and c.metrics.timeout_per_sample_s == 5


def test_env_substitution_keeps_whole_values_typed():
    c = parse_config(
        "otlp:\n  endpoint: ${env:EP}\n  export_interval: ${env:IVL:-2}\nresource:\n  run_id: run-${env:R}\n",
        env={"EP": "http://127.0.0.1:4318", "R": "7"},
    )
    assert c.otlp.endpoint == "http://127.0.0.1:4318"
    assert c.otlp.export_interval_s == 2.0
    assert c.resource.run_id == "run-7"
    assert c.otlp.enabled is True  # an endpoint written turns OTLP on


def test_otlp_keys_win_over_otel_variables_which_win_over_defaults():
    env = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/",
        "OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer x,team=rl",
        "OTEL_METRIC_EXPORT_INTERVAL": "1500",
        "OTEL_SERVICE_NAME": "svc",
        "RANK": "2",
        "WORLD_SIZE": "4",
    }
    c = parse_config("otlp:\n  headers: {team: ml}\n", env=env)
    assert c.otlp.enabled and c.otlp.endpoint == "http://collector:4318"
    assert c.otlp.headers == {"authorization": "Bearer x", "team": "ml"}
    assert c.otlp.export_interval_s == 1.5
    assert c.resource.service_name == "svc" and c.resource.rank == 2 and c.resource.world_size == 4
    c = parse_config("otlp:\n  export_interval: 3\n  logs: false\n", env=env)
    assert c.otlp.export_interval_s == 3.0 and c.otlp.logs is False
    assert parse_config("{}", env={**env, "OTEL_METRICS_EXPORTER": "none"}).otlp.metrics is False


def test_the_typescript_sdks_telemetry_thread_section_is_accepted():
    parse_config("telemetry_thread: {enabled: true, ring_bytes: 65536, block_timeout: 0, exit_timeout: 5}\n", env={})


def test_metrics_enable_and_frequencies():
    c = parse_config(
        "metrics:\n  logging_frequency: 10\n  full_metrics_frequency: 20\n  enable: {generation_metrics: false}\n", env={}
    )
    assert c.metrics.logging_frequency == 10 and c.metrics.full_metrics_frequency == 20
    assert c.metrics.generation_metrics is False and c.metrics.reward_metrics is True


@pytest.mark.parametrize(
    "text, where, says",
    [
        ("metrics:\n  loging_frequency: 5\n", "cfg.yaml:2:3: metrics.loging_frequency", "did you mean 'logging_frequency'"),
        ("metrics:\n  logging_frequency: 0\n", "cfg.yaml:2:3: metrics.logging_frequency", "integer >= 1"),
        ("root:\n  handlers: [nope]\n", "cfg.yaml:2:14: root.handlers.0", "no handler named 'nope'"),
        ("handlers:\n  h: {class: logging.FooHandler}\n", "cfg.yaml:2:7: handlers.h.class", "handler class"),
        ("otlp:\n  endpoint: collector:4318\n", "cfg.yaml:2:3: otlp.endpoint", "^https?://"),
        ("loggers:\n  training: {level: LOUD}\n", "cfg.yaml:2:14: loggers.training.level", "one of NOTSET"),
        ("root: [\n", "cfg.yaml:2:1", "invalid YAML"),
    ],
)
def test_a_bad_config_is_one_line_naming_file_line_and_key(text, where, says):
    with pytest.raises(ConfigError) as e:
        parse_config(text, "cfg.yaml", env={})
    msg = str(e.value)
    assert "\n" not in msg
    assert msg.startswith(where), msg
    assert says in msg, msg


def test_a_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the config"):
        load_config(str(tmp_path / "missing.yaml"), env={})


IGNORED = """version: 1
root: {level: INFO, handlers: [console, file]}
handlers:
  console: {class: console, color: never}
  file: {class: file, filename: logs/run/training.log, async_writes: true, ranks: all}
  tb: {class: tensorboard, log_dir: tb, async_writes: true}
files: {mode: "0600", dir_mode: "0700"}
telemetry_thread: {ring_bytes: 1048576}
"""


def test_keys_the_bridge_does_not_apply_are_listed_with_why():
    c = parse_config(IGNORED, "ignored.yaml", env={}, base_dir="/tmp/x")
    assert [k for k, _ in c.ignored] == [
        "telemetry_thread.ring_bytes",
        "handlers.console.color",
        "handlers.file.async_writes",
        "handlers.file.ranks",
    ]  # the sink writes the tensorboard handler: its keys are the sink's
    assert all(why for _, why in c.ignored)
    assert parse_config("version: 1\n", env={}).ignored == ()


def test_initialize_warns_once_naming_every_ignored_key(tmp_path, caplog):
    import grpo_otel

    with caplog.at_level("WARNING", logger="grpo_otel"):
        grpo_otel.initialize(config=parse_config(IGNORED, "ignored.yaml", env={}, base_dir=str(tmp_path)), handle_exit=False)
        grpo_otel.get_training_logger().info("one line")
        grpo_otel.shutdown()
    warnings = [r.getMessage() for r in caplog.records if "does not apply" in r.getMessage()]
    assert len(warnings) == 1, warnings
    for key in ("telemetry_thread.ring_bytes", "handlers.console.color", "handlers.file.async_writes", "handlers.file.ranks"):
        assert key in warnings[0]
    assert warnings[0].startswith("grpo-otel: ignored.yaml: ")


def test_files_mode_and_dir_mode_apply_to_the_file_handlers_files(tmp_path):
    import grpo_otel

    old = os.umask(0o022)
    try:
        grpo_otel.initialize(config=parse_config(IGNORED, "ignored.yaml", env={}, base_dir=str(tmp_path)), handle_exit=False)
        grpo_otel.get_training_logger().info("one line")
        grpo_otel.shutdown()
    finally:
        os.umask(old)
    log = tmp_path / "logs" / "run" / "training.log"
    assert "one line" in log.read_text()
    assert log.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "logs").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "logs" / "run").stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("bad", ['"0999"', '"rw-r-----"', "512", "true"])
def test_files_mode_must_be_permission_bits(bad):
    with pytest.raises(ConfigError, match=r"files\.mode"):
        parse_config(f"version: 1\nfiles: {{mode: {bad}}}\n", "f.yaml", env={})
