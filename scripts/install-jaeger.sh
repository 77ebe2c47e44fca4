#!/usr/bin/env bash
# Builds Jaeger v2 (the all-in-one `jaeger` binary, itself an OpenTelemetry Collector distribution) from
# the Go module proxy as a Go tool, into a cache directory outside the repo keyed by its version:
#
#   ${GRPO_OTEL_CACHE:-$HOME/.cache/grpo-otel}/jaeger-<version>/jaeger
#
# The build records the tool in a throwaway module (`go get -tool github.com/jaegertracing/jaeger/cmd/jaeger@<version>`)
# and builds it with `go build`, in a temporary directory; the binary is renamed into place, so an
# interrupted build never leaves a half-written binary behind. A cached binary is reused as is.
# Concurrent runs wait on a lock. Progress goes to stderr; the last line on stdout is the absolute path of
# the binary.
#
# Environment:
#   GRPO_OTEL_CACHE        cache root (default $HOME/.cache/grpo-otel)
#   GRPO_JAEGER_VERSION    Jaeger module version (default v1.75.0, the approved release; a v1 tag that carries the v2 binary)
#   GRPO_COLLECTOR_JOBS    parallel Go build jobs (default 2, the size of our machines)
#   GO                     the go command (default: go on PATH, else /usr/local/go/bin/go)
# Go's own GOMODCACHE / GOCACHE defaults are used, so downloaded modules and compiled packages persist
# across builds (and are shared with the collector build).
set -euo pipefail

JAEGER_MODULE=github.com/jaegertracing/jaeger
JAEGER_VERSION="${GRPO_JAEGER_VERSION:-v1.75.0}"

log() { printf '[install-jaeger] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

[[ "${JAEGER_VERSION}" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "GRPO_JAEGER_VERSION must look like v1.75.0, not ${JAEGER_VERSION}"

root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"

# shellcheck source=lib/go-build-cache.sh
source "${root}/scripts/lib/go-build-cache.sh"
go_build_find_go
go_build_cache_root "${root}"

dist_dir="${cache_root}/jaeger-${JAEGER_VERSION}"
binary="${dist_dir}/jaeger"

go_build_reuse "${binary}"
mkdir -p "${dist_dir}"
# One build at a time per version: a second caller waits, then finds the binary.
go_build_lock "${dist_dir}" "Jaeger ${JAEGER_VERSION}"
go_build_reuse "${binary}"

# The temporary module, removed on any exit (success, error or signal).
work=""
cleanup() { [[ -z "${work}" ]] || rm -rf -- "${work}"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

work="$(mktemp -d "${dist_dir}/.build.XXXXXX")"
go_build_goflags

log "building Jaeger ${JAEGER_VERSION} with ${jobs} jobs; the first build takes several minutes"
start=$(date +%s)
(
  cd "${work}"
  "${go_cmd}" mod init grpo-otel.local/jaeger-tool >&2
  "${go_cmd}" get -tool "${JAEGER_MODULE}/cmd/jaeger@${JAEGER_VERSION}" >&2
  "${go_cmd}" build -trimpath -o "${work}/jaeger" "${JAEGER_MODULE}/cmd/jaeger" >&2
) || die "building Jaeger failed (see the output above)"
[[ -x "${work}/jaeger" ]] || die "go build finished but ${work}/jaeger is missing"
"${work}/jaeger" version >&2 || die "the built binary does not run"

cp "${work}/go.mod" "${dist_dir}/go.mod"
mv -f "${work}/jaeger" "${binary}"
log "built in $(($(date +%s) - start)) s: ${binary}"
printf '%s\n' "${binary}"
