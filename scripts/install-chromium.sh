#!/usr/bin/env bash
# Installs Debian's Chromium (/usr/bin/chromium) when it is missing: the headless browser the report
# test (test/reportInChromium.test.ts) and screenshots drive through playwright-core. Playwright's
# own browser download is never used (it cannot be fetched here). Idempotent and quiet: does nothing
# when /usr/bin/chromium is there. Needs root (or sudo) on a machine without it.
set -euo pipefail

[[ -x /usr/bin/chromium ]] && exit 0

log() { printf '[install-chromium] %s\n' "$*" >&2; }
sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || {
    log "error: /usr/bin/chromium missing and not root (no sudo): apt-get install chromium"
    exit 1
  }
  sudo_cmd=(sudo -n)
fi
log "installing chromium with apt-get"
"${sudo_cmd[@]}" apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
[[ -x /usr/bin/chromium ]] || {
  log "error: apt-get finished but /usr/bin/chromium is not there"
  exit 1
}
