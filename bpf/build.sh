#!/usr/bin/env bash
# Compiles every BPF scheduler under bpf/ (hand-written, test cases, and the templates: recipes whose #includes clang
# composes from bpf/primitives) against the sandbox kernel's vmlinux.h (never committed; it comes from the toolchain
# build) into bpf/build/<name>.bpf.o. Rebuilds what changed; a template also when a primitive changed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../native/lib.sh"
tc="${SCHEDCP_TOOLCHAIN:-$(cat "$SCHEDCP_CACHE/toolchain/current.path" 2>/dev/null || true)}"
[ -n "$tc" ] && [ -f "$tc/include/vmlinux.h" ] || die "no sandbox toolchain found; run native/build-toolchain.sh first"
out="$here/build"
mkdir -p "$out"
if [ "$(cat "$out/.toolchain" 2>/dev/null)" != "$tc" ]; then rm -f "$out"/*.bpf.o; echo "$tc" > "$out/.toolchain"; fi

sys_includes=$(clang -v -E - </dev/null 2>&1 | sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')
built=0
for src in "$here"/schedulers/*.bpf.c "$here"/templates/*.bpf.c "$here"/testing/*.bpf.c; do
    obj="$out/$(basename "$src" .c).o"
    inputs=("$src" "$here/build.sh")
    case "$src" in "$here"/templates/*) inputs+=("$here/primitives") ;; esac
    if [ -f "$obj" ] && [ -z "$(find "${inputs[@]}" -newer "$obj" -print -quit)" ]; then continue; fi
    # shellcheck disable=SC2086
    clang -g -O2 -target bpf -mcpu=v3 -mlittle-endian -D__TARGET_ARCH_x86 \
        -I"$here/primitives" -I"$tc/include" -I"$tc/include/bpf-compat" $sys_includes \
        -Wall -Wno-compare-distinct-pointer-types -c "$src" -o "$obj"
    built=$((built + 1))
done
step "BPF schedulers: $built compiled, $(ls "$out"/*.bpf.o | wc -l) in $out"
