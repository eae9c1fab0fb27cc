# Shared by the native build scripts: progress lines a person can follow, and cache keys.
SCHEDCP_CACHE="${SCHEDCP_CACHE:-$HOME/.cache/schedcp}"
JOBS="${JOBS:-$(nproc)}"
_t0=$(date +%s)

step() { printf '[schedcp %4ss] %s\n' "$(( $(date +%s) - _t0 ))" "$*" >&2; }
die() { printf 'schedcp: error: %s\n' "$*" >&2; exit 1; }

# Version of an installed Debian package, or fail saying which one to install.
pkg_version() {
    dpkg-query -W -f='${Version}' "$1" 2>/dev/null || die "Debian package '$1' is not installed; run native/install-deps.sh"
}

# Hash of files and strings: the cache key of a build step.
key_of() {
    { for a in "$@"; do if [ -f "$a" ]; then sha256sum < "$a"; else printf '%s\n' "$a"; fi; done; } | sha256sum | cut -c1-16
}

# Run a long command quietly, keep its log, and show the tail if it fails.
run_logged() {
    local log=$1; shift
    if ! "$@" >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        die "command failed: $* (full log: $log)"
    fi
}
