#!/usr/bin/env bash
# The main job: installs and builds on a fresh machine, then runs the demo: a real GRPO training run
# (packages/demo-trainer) instrumented end to end, writing logs, a CSV of model outputs and TensorBoard
# event files under ./runs/<run id>/ (no servers needed). Arguments go to the command, e.g. --steps 300.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/bootstrap.sh"
exec node "$root/packages/cli/bin/grpo-otel.js" demo "$@"
