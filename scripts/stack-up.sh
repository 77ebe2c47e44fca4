#!/usr/bin/env bash
# Starts the grpo-otel observability stack on this machine, without Docker, everything on 127.0.0.1:
#   otelcol-grpo  (collector-config/local.yaml: OTLP in; metrics for Prometheus; logs and spans to files,
#                 spans to Jaeger too)
#   Jaeger v2     (deploy/jaeger/jaeger.yaml: OTLP/gRPC from the collector, in-memory storage, query API/UI)
#   Prometheus    (deploy/prometheus rules; scrapes the collector; sends alerts to Alertmanager)
#   Alertmanager  (deploy/alertmanager/alertmanager.yml, webhooks pointed at the local example receiver)
#   alert-webhook (deploy/alert-webhook/webhook.py: prints each notification to its log)
# PIDs go to the state directory; scripts/stack-down.sh stops exactly those processes. Running it again
# while the stack is up only prints where it is. Grafana, Loki and Tempo are not installable here (see
# deploy/README.md; the logs and spans files stand in for Loki and Tempo).
#
# Environment (defaults in brackets):
#   GRPO_STACK_DIR                   state: pids, configs, data, logs [${XDG_STATE_HOME:-~/.local/state}/grpo-otel/stack]
#   GRPO_STACK_OTLP_HTTP_PORT        [4318]   GRPO_STACK_OTLP_GRPC_PORT       [4317]
#   GRPO_STACK_EXPORTER_PORT         [8889]   the collector's /metrics for Prometheus
#   GRPO_STACK_HEALTH_PORT           [13133]  GRPO_STACK_COLLECTOR_METRICS_PORT [8888]
#   GRPO_STACK_PROMETHEUS_PORT       [9090]   GRPO_STACK_ALERTMANAGER_PORT    [9093]
#   GRPO_STACK_WEBHOOK_PORT          [9095]
#   GRPO_STACK_JAEGER_QUERY_PORT     [16686]  Jaeger's query API and UI
#   GRPO_STACK_JAEGER_OTLP_PORT      [14317]  Jaeger's OTLP/gRPC receiver (the collector sends spans there)
#   GRPO_STACK_JAEGER_GRPC_PORT      [16685]  Jaeger's query API over gRPC
#   GRPO_STACK_JAEGER_HEALTH_PORT    [13134]
#   GRPO_STACK_RULES                 production | fast (windows of seconds, for trying alerts) [production]
#   GRPO_STACK_INTERVAL              Prometheus scrape and evaluation interval [15s; 1s with fast rules]
#   GRPO_OTELCOL_BIN                 collector binary [built and cached by scripts/build-collector.sh]
#   GRPO_JAEGER_BIN                  jaeger binary [built and cached by scripts/install-jaeger.sh]
set -euo pipefail

root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
log() { printf '[stack-up] %s\n' "$*" >&2; }

state="${GRPO_STACK_DIR:-${XDG_STATE_HOME:-${HOME}/.local/state}/grpo-otel/stack}"
otlp_http="${GRPO_STACK_OTLP_HTTP_PORT:-4318}"
otlp_grpc="${GRPO_STACK_OTLP_GRPC_PORT:-4317}"
exporter="${GRPO_STACK_EXPORTER_PORT:-8889}"
health="${GRPO_STACK_HEALTH_PORT:-13133}"
col_metrics="${GRPO_STACK_COLLECTOR_METRICS_PORT:-8888}"
prom_port="${GRPO_STACK_PROMETHEUS_PORT:-9090}"
am_port="${GRPO_STACK_ALERTMANAGER_PORT:-9093}"
hook_port="${GRPO_STACK_WEBHOOK_PORT:-9095}"
jaeger_query="${GRPO_STACK_JAEGER_QUERY_PORT:-16686}"
jaeger_otlp="${GRPO_STACK_JAEGER_OTLP_PORT:-14317}"
jaeger_grpc="${GRPO_STACK_JAEGER_GRPC_PORT:-16685}"
jaeger_health="${GRPO_STACK_JAEGER_HEALTH_PORT:-13134}"
rules="${GRPO_STACK_RULES:-production}"
case "${rules}" in
  production) interval="${GRPO_STACK_INTERVAL:-15s}" ;;
  fast) interval="${GRPO_STACK_INTERVAL:-1s}" ;;
  *)
    log "error: GRPO_STACK_RULES must be production or fast, not ${rules}"
    exit 2
    ;;
esac

pids="${state}/pids"
mkdir -p "${pids}" "${state}/logs"

# One stack-up or stack-down at a time per state directory.
exec 9>"${state}/.lock"
flock 9

summary() {
  cat <<EOF
grpo-otel local stack (state: ${state})
  OTLP/HTTP     http://127.0.0.1:${otlp_http}   (export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${otlp_http})
  OTLP/gRPC     127.0.0.1:${otlp_grpc}
  Prometheus    http://127.0.0.1:${prom_port}   (rules: ${rules}, interval ${interval})
  Alertmanager  http://127.0.0.1:${am_port}
  Jaeger        http://127.0.0.1:${jaeger_query}   (query API: /api/traces?service=<service name>)
  notifications ${state}/logs/alert-webhook.log
  logs, spans   ${state}/collector/logs.jsonl, ${state}/collector/traces.jsonl
stop it with scripts/stack-down.sh
EOF
}

alive() {
  local f="${pids}/$1.pid"
  [[ -f "${f}" ]] || return 1
  local pid
  pid="$(cat "${f}")"
  [[ -n "${pid}" ]] && kill -0 "${pid}" 2>/dev/null
}

services=(jaeger collector prometheus alertmanager alert-webhook)
running=0
for s in "${services[@]}"; do alive "${s}" && running=$((running + 1)); done
if ((running == ${#services[@]})); then
  log "already running"
  summary
  exit 0
elif ((running > 0)); then
  log "error: the stack in ${state} is partly running; run scripts/stack-down.sh first"
  exit 1
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "${otlp_http}" "${otlp_grpc}" "${exporter}" "${health}" "${col_metrics}" "${prom_port}" "${am_port}" "${hook_port}" \
  "${jaeger_query}" "${jaeger_otlp}" "${jaeger_grpc}" "${jaeger_health}"; do
  if port_in_use "${p}"; then
    log "error: port ${p} on 127.0.0.1 is in use (set the GRPO_STACK_*_PORT variables)"
    exit 1
  fi
done

bash "${root}/scripts/install-prometheus.sh"
bin="${GRPO_OTELCOL_BIN:-}"
if [[ -z "${bin}" ]]; then
  bin="$(bash "${root}/scripts/build-collector.sh" | tail -n 1)"
fi
[[ -x "${bin}" ]] || {
  log "error: collector binary ${bin} is not executable"
  exit 1
}
jaeger_bin="${GRPO_JAEGER_BIN:-}"
if [[ -z "${jaeger_bin}" ]]; then
  jaeger_bin="$(bash "${root}/scripts/install-jaeger.sh" | tail -n 1)"
fi
[[ -x "${jaeger_bin}" ]] || {
  log "error: jaeger binary ${jaeger_bin} is not executable"
  exit 1
}
# The interpreter itself, not a wrapper (pyenv shims exec it): its PID is what stack-down checks.
python="$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)" || {
  log "error: python3 is needed for the example webhook receiver"
  exit 1
}

# On any failure below, stop what was started.
started=0
on_exit() {
  local code=$?
  if ((code != 0 && started)); then
    log "start failed; stopping what was started (logs in ${state}/logs)"
    GRPO_STACK_DIR="${state}" GRPO_STACK_LOCKED=1 bash "${root}/scripts/stack-down.sh" || true
  fi
}
trap on_exit EXIT

# Starts "$@" in its own session, detached, logging to logs/<name>.log; records its PID and executable.
launch() {
  local name="$1"
  shift
  started=1
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "${pids}/${name}.pid" "$@" \
    >"${state}/logs/${name}.log" 2>&1 </dev/null 9>&- &
  local i
  for i in $(seq 1 50); do
    [[ -s "${pids}/${name}.pid" ]] && break
    sleep 0.1
  done
  readlink -f "$1" >"${pids}/${name}.exe"
}

wait_http() {
  local name="$1" url="$2" i
  for i in $(seq 1 300); do
    if curl -fsS -o /dev/null --max-time 1 "${url}" 2>/dev/null; then return 0; fi
    if ! alive "${name}"; then
      log "error: ${name} exited; its log:"
      tail -n 30 "${state}/logs/${name}.log" >&2 || true
      return 1
    fi
    sleep 0.1
  done
  log "error: ${name} did not answer ${url} within 30 s; its log:"
  tail -n 30 "${state}/logs/${name}.log" >&2 || true
  return 1
}

# Configs: Prometheus from the same generator as the committed ones; Alertmanager's webhooks pointed at
# the local receiver.
mkdir -p "${state}/collector" "${state}/prometheus/data" "${state}/alertmanager/data"
(cd "${root}" && node --conditions=source --import tsx deploy/prometheus/src/generate.ts local \
  --out "${state}/prometheus" --profile "${rules}" --interval "${interval}" \
  --collector "127.0.0.1:${exporter}" --collector-telemetry "127.0.0.1:${col_metrics}" \
  --alertmanager "127.0.0.1:${am_port}") >/dev/null
# With the fast rules, Alertmanager's grouping delays shrink to 1s as well.
am_timing=()
if [[ "${rules}" == fast ]]; then
  am_timing=(-e 's#^\([[:space:]]*group_\(wait\|interval\):\).*#\1 1s#')
fi
sed -e "s#http://alert-webhook:8080/#http://127.0.0.1:${hook_port}/#g" "${am_timing[@]}" \
  "${root}/deploy/alertmanager/alertmanager.yml" >"${state}/alertmanager/alertmanager.yml"

WEBHOOK_HOST=127.0.0.1 WEBHOOK_PORT="${hook_port}" \
  launch alert-webhook "${python}" -u "${root}/deploy/alert-webhook/webhook.py"

GRPO_JAEGER_HOST=127.0.0.1 GRPO_JAEGER_OTLP_GRPC_PORT="${jaeger_otlp}" \
  GRPO_JAEGER_QUERY_HTTP_PORT="${jaeger_query}" GRPO_JAEGER_QUERY_GRPC_PORT="${jaeger_grpc}" \
  GRPO_JAEGER_HEALTH_PORT="${jaeger_health}" \
  launch jaeger "${jaeger_bin}" --config "${root}/deploy/jaeger/jaeger.yaml"

GRPO_OTLP_HTTP_PORT="${otlp_http}" GRPO_OTLP_GRPC_PORT="${otlp_grpc}" \
  GRPO_PROMETHEUS_EXPORTER_PORT="${exporter}" GRPO_HEALTH_PORT="${health}" \
  GRPO_COLLECTOR_METRICS_PORT="${col_metrics}" \
  GRPO_LOGS_EXPORT_PATH="${state}/collector/logs.jsonl" GRPO_TRACES_EXPORT_PATH="${state}/collector/traces.jsonl" \
  GRPO_JAEGER_OTLP_GRPC_PORT="${jaeger_otlp}" GRPO_TRACES_EXPORTERS="[file/traces, otlp_grpc/jaeger]" \
  launch collector "${bin}" --config "${root}/collector-config/local.yaml"

launch alertmanager /usr/bin/prometheus-alertmanager \
  --config.file="${state}/alertmanager/alertmanager.yml" \
  --storage.path="${state}/alertmanager/data" \
  --web.listen-address="127.0.0.1:${am_port}" \
  --cluster.listen-address= \
  --log.level=warn

launch prometheus /usr/bin/prometheus \
  --config.file="${state}/prometheus/prometheus.yml" \
  --storage.tsdb.path="${state}/prometheus/data" \
  --web.listen-address="127.0.0.1:${prom_port}" \
  --log.level=warn

wait_http jaeger "http://127.0.0.1:${jaeger_health}/status"
wait_http collector "http://127.0.0.1:${health}/"
wait_http alertmanager "http://127.0.0.1:${am_port}/-/ready"
wait_http prometheus "http://127.0.0.1:${prom_port}/-/ready"
wait_http alert-webhook "http://127.0.0.1:${hook_port}/"

cat >"${state}/env" <<EOF
OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${otlp_http}
GRPO_PROMETHEUS_URL=http://127.0.0.1:${prom_port}
GRPO_ALERTMANAGER_URL=http://127.0.0.1:${am_port}
GRPO_JAEGER_URL=http://127.0.0.1:${jaeger_query}
EOF
log "up"
summary
