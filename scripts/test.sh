#!/usr/bin/env bash
# The one command that runs every check on a fresh machine: installs pnpm and the dependencies,
# builds, typechecks, lints, builds the collector distribution, Jaeger v2 and a Python venv with the real
# TensorBoard (all cached outside the repo), installs Prometheus/Alertmanager and Chromium from Debian
# when missing, then runs every test with Node's test runner. Extra arguments filter test files by
# path substring (and then skip the slow reliability suite, see scripts/run-tests.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh
echo "== typecheck" >&2
pnpm run --silent typecheck
echo "== lint" >&2
pnpm run --silent lint
echo "== import cycles" >&2
pnpm run --silent cycles
echo "== sdk layers (no import up)" >&2
pnpm run --silent layers
echo "== declared dependencies" >&2
pnpm run --silent deps
echo "== collector" >&2
GRPO_OTELCOL_BIN="$(bash scripts/build-collector.sh | tail -n 1)"
export GRPO_OTELCOL_BIN
bash scripts/install-prometheus.sh # Prometheus, promtool, Alertmanager, amtool from Debian, if missing
echo "== jaeger" >&2
GRPO_JAEGER_BIN="$(bash scripts/install-jaeger.sh | tail -n 1)" # Jaeger v2 built as a Go tool (cached)
export GRPO_JAEGER_BIN
bash scripts/install-chromium.sh   # headless Chromium from Debian for the report page test, if missing
echo "== python venv (TensorBoard, tensorboardX, numpy, scipy)" >&2
GRPO_PYTHON="$(bash scripts/setup-python.sh | tail -n 1)"
export GRPO_PYTHON
echo "== tests" >&2
# Tests write into temp dirs only: what the checkout looks like now is compared after them.
tree_before="$(git status --porcelain --untracked-files=all 2>/dev/null || true)"
node scripts/run-tests.mjs "$@"
if [ "$#" -eq 0 ]; then
  # The slow suite (SIGKILL trials, backpressure for minutes, soak): CI runs it too.
  echo "== reliability suite" >&2
  node scripts/run-tests.mjs --suite=reliability
fi
tree_after="$(git status --porcelain --untracked-files=all 2>/dev/null || true)"
if [ "$tree_before" != "$tree_after" ]; then
  echo "tests changed the checkout (they must write into temp dirs):" >&2
  diff <(echo "$tree_before") <(echo "$tree_after") >&2 || true
  exit 1
fi
