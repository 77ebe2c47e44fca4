# Shared by the scripts that build a Go binary once and cache it outside the repository
# (build-collector.sh, install-jaeger.sh). Source it after defining `log` and `die`; it defines:
#
#   go_build_find_go         sets go_cmd: $GO, else go on PATH, else /usr/local/go/bin/go
#   go_build_cache_root ROOT sets cache_root: ${GRPO_OTEL_CACHE:-$HOME/.cache/grpo-otel}, created,
#                            absolute, and refused inside the repository ROOT
#   go_build_reuse BINARY    prints BINARY and exits 0 when it is built already
#   go_build_lock DIR WHAT   one build per DIR at a time (fd 9): waits for a running one (WHAT names
#                            it in the log), then reuses its binary (call go_build_reuse again)
#   go_build_goflags         exports GOFLAGS: what `go env` has, plus -p=${GRPO_COLLECTOR_JOBS:-2};
#                            sets jobs
#
# Go's own GOMODCACHE / GOCACHE defaults are kept, so downloaded modules and compiled packages persist
# across builds and are shared between them.

go_build_find_go() {
  go_cmd="${GO:-}"
  if [[ -z "${go_cmd}" ]]; then
    if command -v go >/dev/null 2>&1; then
      go_cmd="$(command -v go)"
    elif [[ -x /usr/local/go/bin/go ]]; then
      go_cmd=/usr/local/go/bin/go
    else
      die "no go command found (set GO=/path/to/go)"
    fi
  fi
}

go_build_cache_root() {
  local repo="$1"
  cache_root="${GRPO_OTEL_CACHE:-${HOME}/.cache/grpo-otel}"
  mkdir -p "${cache_root}"
  cache_root="$(cd -- "${cache_root}" && pwd)"
  case "${cache_root}/" in
    "${repo}/"*) die "GRPO_OTEL_CACHE (${cache_root}) must be outside the repository (${repo})" ;;
  esac
}

go_build_reuse() {
  if [[ -x "$1" ]]; then
    log "cached: $1"
    printf '%s\n' "$1"
    exit 0
  fi
}

go_build_lock() {
  exec 9>"$1/.lock"
  if ! flock -n 9; then
    log "another build of $2 is running; waiting for it"
    flock 9
  fi
}

go_build_goflags() {
  jobs="${GRPO_COLLECTOR_JOBS:-2}"
  # Keep whatever GOFLAGS `go env` has (env var or go.env), and cap build parallelism.
  GOFLAGS="$("${go_cmd}" env GOFLAGS) -p=${jobs}"
  export GOFLAGS
}
