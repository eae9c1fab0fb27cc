#!/usr/bin/env bash
# Builds the sandbox guest kernel from Debian's linux-source-6.12 with kernel/sched_ext.config
# merged over tinyconfig. Output is cached under $SCHEDCP_CACHE/kernel/<key>, keyed by every input.
# Prints the output folder on stdout.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"

src_ver=$(pkg_version linux-source-6.12)
# Bump when a change to this script changes what it builds; edits that only touch logging need not.
RECIPE=1
key=$(key_of "$here/sched_ext.config" "recipe=$RECIPE" "linux-source-6.12=$src_ver" \
      "gcc=$(pkg_version gcc-12)" "pahole=$(pkg_version dwarves)")
out="$SCHEDCP_CACHE/kernel/$key"
if [ -f "$out/.complete" ]; then
    step "guest kernel: reusing $out"
    echo "$out"; exit 0
fi

srcroot="$SCHEDCP_CACHE/src/linux-source-6.12_$src_ver"
if [ ! -f "$srcroot/.extracted" ]; then
    step "extracting /usr/src/linux-source-6.12.tar.xz"
    rm -rf "$srcroot"; mkdir -p "$srcroot"
    tar -xJf /usr/src/linux-source-6.12.tar.xz -C "$srcroot" --strip-components=1
    touch "$srcroot/.extracted"
fi

rm -rf "$SCHEDCP_CACHE"/kernel/*.tmp; mkdir -p "$out.tmp/build"
b="$out.tmp/build"
step "configuring: tinyconfig + $(grep -c '^CONFIG_' "$here/sched_ext.config") options from native/kernel/sched_ext.config"
run_logged "$out.tmp/config.log" make -C "$srcroot" O="$b" tinyconfig
run_logged "$out.tmp/merge.log" "$srcroot/scripts/kconfig/merge_config.sh" -m -O "$b" "$b/.config" "$here/sched_ext.config"
run_logged "$out.tmp/olddef.log" make -C "$srcroot" O="$b" olddefconfig
missing=""
while IFS= read -r line; do
    case "$line" in CONFIG_*) grep -qx "$line" "$b/.config" || missing="$missing $line";; esac
done < "$here/sched_ext.config"
[ -z "$missing" ] || die "kernel config dropped:$missing (a dependency is missing from native/kernel/sched_ext.config)"

step "building bzImage with $JOBS jobs (about 6-8 minutes on 2 cores; log: $out.tmp/kernel.log)"
( make -C "$srcroot" O="$b" -j"$JOBS" bzImage >"$out.tmp/kernel.log" 2>&1 ) &
pid=$!
while kill -0 $pid 2>/dev/null; do
    sleep 30
    kill -0 $pid 2>/dev/null && step "  ... still compiling ($(grep -c '  CC ' "$out.tmp/kernel.log" || true) objects so far)"
done
wait $pid || { tail -n 40 "$out.tmp/kernel.log" >&2; die "kernel build failed (log: $out.tmp/kernel.log)"; }

cp "$b/arch/x86/boot/bzImage" "$out.tmp/bzImage"
cp "$b/vmlinux" "$out.tmp/vmlinux"
cp "$b/.config" "$out.tmp/config"
cp "$b/include/config/kernel.release" "$out.tmp/kernel.release"
rm -rf "$b"
echo "$src_ver" > "$out.tmp/source-version"
echo "$(( $(date +%s) - _t0 ))" > "$out.tmp/build-seconds"
rm -rf "$out"; mv "$out.tmp" "$out"; touch "$out/.complete"
step "guest kernel ready: $out ($(du -h "$out/bzImage" | cut -f1) bzImage)"
echo "$out"
