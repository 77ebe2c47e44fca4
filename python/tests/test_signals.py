"""SIGTERM flushes the bridge (then the previous handler runs, or the process ends by the signal): a real
trainer process, a real OTLP/HTTP receiver started here on 127.0.0.1 (a free port), a real signal."""

from __future__ import annotations

import gzip
import http.server
import os
import signal
import subprocess
import sys
import textwrap
import threading
from typing import Iterator, List, Tuple

import pytest

PKG = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

TRAINER = textwrap.dedent(
    """
    import os, signal, sys, time
    sys.path.insert(0, PKG)
    import grpo_otel
    endpoint, mode = sys.argv[1], sys.argv[2]
    if mode == "chained":
        def mine(signum, frame):
            print("trainer handler ran", flush=True)
            sys.exit(7)
        signal.signal(signal.SIGTERM, mine)
    yaml = "\\n".join([
        "version: 1",
        "root: {level: INFO, handlers: []}",
        "resource: {run_id: sigterm-run-4711}",
        "otlp: {endpoint: '" + endpoint + "', export_interval: 3600}",
    ])
    grpo_otel.initialize(config=grpo_otel.parse_config(yaml, "sigterm.yaml", env={}), handle_exit=mode != "opt-out")
    grpo_otel.get_training_logger().info("a line only the flush sends")
    grpo_otel.log_training_progress(1, {"loss": 0.5})
    print("ready", flush=True)
    time.sleep(60)
    """
).replace("PKG", repr(PKG))


class _Receiver(http.server.BaseHTTPRequestHandler):
    got: List[Tuple[str, bytes]] = []

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        if self.headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        type(self).got.append((self.path, body))
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Tuple[str, List[Tuple[str, bytes]]]]:
    got: List[Tuple[str, bytes]] = []
    handler = type("Receiver", (_Receiver,), {"got": got})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", got
    server.shutdown()
    server.server_close()


def _run_and_terminate(tmp_path, endpoint: str, mode: str) -> Tuple[int, str]:
    script = tmp_path / "trainer.py"
    script.write_text(TRAINER)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("GRPO_OTEL_CONFIG", None)
    env.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
    p = subprocess.Popen([sys.executable, str(script), endpoint, mode], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        assert p.stdout is not None
        line = p.stdout.readline()
        assert line.strip() == "ready", line + p.stdout.read()
        p.send_signal(signal.SIGTERM)
        out, _ = p.communicate(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    return p.returncode, line + out


def _sent(got: List[Tuple[str, bytes]], path: str) -> bytes:
    return b"".join(body for p, body in got if p == path)


def test_sigterm_flushes_logs_and_metrics_then_ends_the_process_by_the_signal(tmp_path, receiver):
    endpoint, got = receiver
    code, out = _run_and_terminate(tmp_path, endpoint, "default")
    assert code == -signal.SIGTERM, out  # the default action, after the flush
    assert b"a line only the flush sends" in _sent(got, "/v1/logs"), got
    assert b"sigterm-run-4711" in _sent(got, "/v1/logs")
    assert b"grpo.policy.loss" in _sent(got, "/v1/metrics"), got


def test_sigterm_chains_the_trainers_own_handler_after_the_flush(tmp_path, receiver):
    endpoint, got = receiver
    code, out = _run_and_terminate(tmp_path, endpoint, "chained")
    assert code == 7, out
    assert "trainer handler ran" in out
    assert b"a line only the flush sends" in _sent(got, "/v1/logs"), got


def test_handle_exit_false_installs_no_handler(tmp_path, receiver):
    endpoint, got = receiver
    code, out = _run_and_terminate(tmp_path, endpoint, "opt-out")
    assert code == -signal.SIGTERM, out
    # the export interval is an hour and nothing flushed: what was logged never left the process
    assert _sent(got, "/v1/logs") == b"" and _sent(got, "/v1/metrics") == b"", got


def test_shutdown_puts_the_previous_handler_back():
    import grpo_otel

    before = signal.getsignal(signal.SIGTERM)
    grpo_otel.initialize(config=grpo_otel.parse_config("version: 1\nroot: {level: INFO, handlers: []}\notlp: {enabled: false}\n", "t.yaml", env={}))
    assert signal.getsignal(signal.SIGTERM) != before
    grpo_otel.shutdown()
    assert signal.getsignal(signal.SIGTERM) == before
