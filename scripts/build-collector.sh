#!/usr/bin/env bash
# Builds the otelcol-grpo collector distribution from collector-config/builder-config.yaml with the
# OpenTelemetry Collector Builder (OCB), into a cache directory outside the repo keyed by the sha256 of
# the manifest:
#
#   ${GRPO_OTEL_CACHE:-$HOME/.cache/grpo-otel}/collector/<sha256>/otelcol-grpo
#
# A cached binary is reused as is. Progress goes to stderr; the last line on stdout is the absolute
# path of the binary. The build happens in a temporary directory and the binary is renamed into place,
# so an interrupted build never leaves a half-written binary behind. Concurrent runs wait on a lock.
#
# Environment:
#   GRPO_OTEL_CACHE        cache root (default $HOME/.cache/grpo-otel)
#   GRPO_COLLECTOR_JOBS    parallel Go build jobs (default 2, the size of our machines)
#   GO                     the go command (default: go on PATH, else /usr/local/go/bin/go)
# Go's own GOMODCACHE / GOCACHE defaults are used, so downloaded modules and compiled packages persist
# across builds.
set -euo pipefail

OCB_VERSION=v0.161.0
DIST_NAME=otelcol-grpo

log() { printf '[build-collector] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
manifest="${root}/collector-config/builder-config.yaml"
[[ -f "${manifest}" ]] || die "manifest not found: ${manifest}"

# shellcheck source=lib/go-build-cache.sh
source "${root}/scripts/lib/go-build-cache.sh"
go_build_find_go
# OCB runs `go` from PATH for `go mod tidy` / `go build`: make sure it is the same one.
export PATH="$(dirname -- "${go_cmd}"):${PATH}"

go_build_cache_root "${root}"

sha="$(sha256sum "${manifest}" | cut -d' ' -f1)"
dist_dir="${cache_root}/collector/${sha}"
binary="${dist_dir}/${DIST_NAME}"

go_build_reuse "${binary}"
mkdir -p "${dist_dir}" "${cache_root}/bin"
# One build at a time per manifest: a second caller waits, then finds the binary.
go_build_lock "${dist_dir}" "this manifest"
go_build_reuse "${binary}"

# Temporary directories, removed on any exit (success, error or signal).
temps=()
cleanup() { ((${#temps[@]} == 0)) || rm -rf -- "${temps[@]}"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

builder="${cache_root}/bin/builder-${OCB_VERSION}"
if [[ ! -x "${builder}" ]]; then
  log "installing OCB ${OCB_VERSION}"
  gobin_tmp="$(mktemp -d "${cache_root}/bin/.install.XXXXXX")"
  temps+=("${gobin_tmp}")
  GOBIN="${gobin_tmp}" "${go_cmd}" install "go.opentelemetry.io/collector/cmd/builder@${OCB_VERSION}" >&2
  mv -f "${gobin_tmp}/builder" "${builder}"
fi

work="$(mktemp -d "${dist_dir}/.build.XXXXXX")"
temps+=("${work}")

# The manifest leaves dist::output_path unset; point it at the temporary directory.
grep -q '^[[:space:]]*output_path:' "${manifest}" && die "remove dist::output_path from ${manifest}"
grep -q '^dist:[[:space:]]*$' "${manifest}" || die "no top-level 'dist:' section in ${manifest}"
sed "s|^dist:[[:space:]]*$|dist:\n  output_path: ${work}/src|" "${manifest}" >"${work}/builder-config.yaml"

go_build_goflags

log "building ${DIST_NAME} (manifest sha256 ${sha}) with ${jobs} jobs; the first build takes several minutes"
start=$(date +%s)
"${builder}" --config "${work}/builder-config.yaml" >&2 || die "OCB failed (see the output above)"
[[ -x "${work}/src/${DIST_NAME}" ]] || die "OCB finished but ${work}/src/${DIST_NAME} is missing"
"${work}/src/${DIST_NAME}" --version >&2 || die "the built binary does not run"

cp "${manifest}" "${dist_dir}/builder-config.yaml"
mv -f "${work}/src/${DIST_NAME}" "${binary}"
log "built in $(($(date +%s) - start)) s: ${binary}"
printf '%s\n' "${binary}"
