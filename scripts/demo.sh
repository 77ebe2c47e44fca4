#!/usr/bin/env bash
# The main job: installs and builds on a fresh machine, then runs the instrumented example
# (files on disk, no servers needed). Arguments go to the command, e.g. --steps 50.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/bootstrap.sh"
exec node "$root/packages/cli/bin/grpo-otel.js" example "$@"
