#!/usr/bin/env bash
# Installs what the workspace needs on a fresh machine: pnpm (pinned, via npm: corepack fails on
# signature verification here), the locked dependencies, and the TypeScript build.
# Idempotent and quiet when everything is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION="$(node -p "require('./package.json').packageManager.split('@')[1]")"
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "bootstrap: installing pnpm@${PNPM_VERSION} with npm" >&2
  npm install -g "pnpm@${PNPM_VERSION}" >&2
fi

if [ ! -f node_modules/.modules.yaml ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ] || [ -n "${CI:-}" ]; then
  pnpm install --frozen-lockfile --reporter=append-only >&2
fi

pnpm run --silent build >&2
