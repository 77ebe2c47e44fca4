#!/usr/bin/env bash
# Stops the local stack started by scripts/stack-up.sh: each process by the PID recorded in the state
# directory (SIGTERM, then SIGKILL after 15 s), and only if that PID still runs the executable it was
# started with (a PID reused by another program is left alone). Data and logs stay in the state directory;
# --purge removes it. Idempotent: with nothing running it only says so.
#   GRPO_STACK_DIR   the state directory [${XDG_STATE_HOME:-~/.local/state}/grpo-otel/stack]
set -euo pipefail

log() { printf '[stack-down] %s\n' "$*" >&2; }

state="${GRPO_STACK_DIR:-${XDG_STATE_HOME:-${HOME}/.local/state}/grpo-otel/stack}"
purge=0
for arg in "$@"; do
  case "${arg}" in
    --purge) purge=1 ;;
    *)
      log "usage: $0 [--purge]"
      exit 2
      ;;
  esac
done
pids="${state}/pids"
if [[ ! -d "${pids}" ]]; then
  log "nothing to stop (no ${pids})"
  exit 0
fi

# stack-up calls this while holding the lock after a failed start.
if [[ -z "${GRPO_STACK_LOCKED:-}" ]]; then
  exec 9>"${state}/.lock"
  flock 9
fi

stopped=0
# Reverse start order: Prometheus stops sending before Alertmanager goes.
# The collector before Jaeger, so its last spans still have somewhere to go.
for name in prometheus alertmanager collector jaeger alert-webhook; do
  pidfile="${pids}/${name}.pid"
  [[ -f "${pidfile}" ]] || continue
  pid="$(cat "${pidfile}")"
  expected="$(cat "${pids}/${name}.exe" 2>/dev/null || true)"
  if [[ -z "${pid}" ]] || ! kill -0 "${pid}" 2>/dev/null; then
    rm -f "${pidfile}" "${pids}/${name}.exe"
    continue
  fi
  actual="$(readlink -f "/proc/${pid}/exe" 2>/dev/null || true)"
  if [[ -n "${expected}" && "${actual}" != "${expected}" ]]; then
    log "${name}: pid ${pid} now runs ${actual:-?}, not ${expected}; leaving it alone"
    rm -f "${pidfile}" "${pids}/${name}.exe"
    continue
  fi
  kill -TERM "${pid}" 2>/dev/null || true
  for _ in $(seq 1 150); do
    kill -0 "${pid}" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "${pid}" 2>/dev/null; then
    log "${name}: pid ${pid} still running after 15 s; SIGKILL"
    kill -KILL "${pid}" 2>/dev/null || true
  fi
  rm -f "${pidfile}" "${pids}/${name}.exe"
  log "stopped ${name} (pid ${pid})"
  stopped=$((stopped + 1))
done
((stopped > 0)) || log "nothing was running"
if ((purge)); then
  rm -rf -- "${state}"
  log "removed ${state}"
fi
