#!/usr/bin/env bash
# Installs Prometheus (with promtool) and Alertmanager (with amtool) from Debian's packages when they
# are missing: /usr/bin/prometheus, /usr/bin/promtool, /usr/bin/prometheus-alertmanager, /usr/bin/amtool.
# Idempotent and quiet: does nothing when all four are there. The packages' own services are not
# wanted (tests start their own on loopback ports), so they are stopped and disabled if the package
# started them. Needs root (or sudo) on a machine without them.
set -euo pipefail

log() { printf '[install-prometheus] %s\n' "$*" >&2; }

need=()
for bin in prometheus promtool; do
  [[ -x "/usr/bin/${bin}" ]] || need+=(prometheus)
done
for bin in prometheus-alertmanager amtool; do
  [[ -x "/usr/bin/${bin}" ]] || need+=(prometheus-alertmanager)
done
((${#need[@]} == 0)) && exit 0

# Unique package names, in order.
mapfile -t pkgs < <(printf '%s\n' "${need[@]}" | awk '!seen[$0]++')

sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || {
    log "error: ${pkgs[*]} missing and not root (no sudo): install them with apt-get"
    exit 1
  }
  sudo_cmd=(sudo -n)
fi

log "installing ${pkgs[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
# Do not let the packages start their systemd/init services: the tests run their own instances.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e "${policy}" ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "${policy}" >/dev/null
  "${sudo_cmd[@]}" chmod 755 "${policy}"
  created_policy=1
fi
cleanup() { ((created_policy == 0)) || "${sudo_cmd[@]}" rm -f "${policy}"; }
trap cleanup EXIT

# Another apt-get may hold the dpkg lock (e.g. a parallel install): wait for it rather than fail.
apt=(apt-get -o DPkg::Lock::Timeout=600 -qq)
"${sudo_cmd[@]}" "${apt[@]}" update >/dev/null
"${sudo_cmd[@]}" "${apt[@]}" install -y --no-install-recommends "${pkgs[@]}" >/dev/null

for bin in prometheus promtool prometheus-alertmanager amtool; do
  [[ -x "/usr/bin/${bin}" ]] || {
    log "error: /usr/bin/${bin} still missing after installing ${pkgs[*]}"
    exit 1
  }
done
log "installed: $(/usr/bin/prometheus --version 2>&1 | head -n 1)"
log "installed: $(/usr/bin/prometheus-alertmanager --version 2>&1 | head -n 1)"
