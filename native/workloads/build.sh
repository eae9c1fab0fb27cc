#!/usr/bin/env bash
# Compiles the benchmark workloads (longtail, wakeup, buildlike) and runcmd, which runs any command as a workload,
# with gcc -O2 into native/workloads/build/. Static when the C library allows it, so the binaries run the same on
# the host and in the sandbox guest.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/build"
mkdir -p "$out"
built=0
for src in "$here"/*.c; do
    bin="$out/$(basename "$src" .c)"
    if [ "$bin" -nt "$src" ] && [ "$bin" -nt "$here/common.h" ] && [ "$bin" -nt "$here/build.sh" ]; then continue; fi
    if ! gcc -O2 -Wall -Wextra -Werror -static -pthread -o "$bin" "$src" 2>/dev/null; then
        gcc -O2 -Wall -Wextra -Werror -pthread -o "$bin" "$src"
    fi
    built=$((built + 1))
done
echo "==> benchmark workloads: $built compiled, $(find "$out" -maxdepth 1 -type f -perm -u+x | wc -l) in $out"
