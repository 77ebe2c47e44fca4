#!/usr/bin/env bash
# Creates (once) a Python venv with python/requirements.txt (or the requirements file given as the
# first argument, e.g. bench/peers/requirements.txt), cached outside the repo and keyed by the
# requirements' hash, and prints its bin/python path as the last stdout line (progress to stderr).
# Override the location with GRPO_OTEL_CACHE, or use an existing interpreter with GRPO_PYTHON (for the
# default requirements only).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
req="${1:-$root/python/requirements.txt}"
if [ -n "${GRPO_PYTHON:-}" ] && [ "$#" -eq 0 ]; then
  echo "$GRPO_PYTHON"
  exit 0
fi
hash="$(sha256sum "$req" | cut -c1-16)"
cache="${GRPO_OTEL_CACHE:-$HOME/.cache/grpo-otel}"
venv="$cache/venv-$hash"
if [ ! -x "$venv/bin/python" ] || [ ! -f "$venv/.complete" ]; then
  echo "setup-python: creating $venv" >&2
  mkdir -p "$cache"
  rm -rf "$venv.tmp"
  python3 -m venv "$venv.tmp"
  "$venv.tmp/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2
  rm -rf "$venv"
  mv "$venv.tmp" "$venv"
  # venv scripts embed their path; recreate them for the final location.
  python3 -m venv --upgrade "$venv" >&2
  touch "$venv/.complete"
fi
echo "$venv/bin/python"
