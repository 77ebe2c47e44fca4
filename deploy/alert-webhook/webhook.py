"""The example Alertmanager receiver of deploy/docker-compose.yml: prints every notification.

Alertmanager POSTs JSON (webhook payload version 4) to /<receiver name>; this prints one line per alert:
  [grpo-warning] firing GRPORewardPlateau run=<run id> Run <run id>: reward correctness stopped improving
Replace it with your own service (chat, paging, a training controller that checkpoints or stops the run).
Listens on WEBHOOK_HOST:WEBHOOK_PORT (default 127.0.0.1:8080; deploy/docker-compose.yml sets
WEBHOOK_HOST=0.0.0.0 inside its container, whose port is not published).
"""

import json
import os
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            payload = json.loads(self.rfile.read(length) or b"{}")
        except json.JSONDecodeError:
            payload = {}
        for alert in payload.get("alerts", []):
            labels = alert.get("labels", {})
            print(
                f"[{payload.get('receiver', self.path)}] {alert.get('status')} {labels.get('alertname')}"
                f" run={labels.get('grpo_run_id', '-')} {alert.get('annotations', {}).get('summary', '')}",
                flush=True,
            )
        self.send_response(200)
        self.end_headers()

    def do_GET(self):
        # Health check.
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok\n")

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    host = os.environ.get("WEBHOOK_HOST", "127.0.0.1")
    port = int(os.environ.get("WEBHOOK_PORT", "8080"))
    HTTPServer((host, port), Handler).serve_forever()
