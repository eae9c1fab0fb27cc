#!/usr/bin/env bash
# Builds (or reuses) the sandbox toolchain: the guest kernel, libbpf and bpftool from the same
# linux-source tree, the kernel's example schedulers, schedcp-loader, the run-queue latency probe
# (bpf/probes/runqlat.bpf.c and its reader schedcp-probe) and the guest initramfs.
# Output: $SCHEDCP_CACHE/toolchain/<key>/, keyed by a hash of every input; the path is written to
# $SCHEDCP_CACHE/toolchain/current.path.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"

kdir=$(bash "$here/kernel/build.sh")
src_ver=$(cat "$kdir/source-version")
srcroot="$SCHEDCP_CACHE/src/linux-source-6.12_$src_ver"
[ -f "$srcroot/.extracted" ] || die "kernel source tree $srcroot is missing; remove $kdir and rebuild"

key=$(key_of "kernel=$(basename "$kdir")" "$here/build-toolchain.sh" "$here/lib.sh" \
      "$here/loader/schedcp-loader.c" "$here/probe/schedcp-probe.c" "$here/../bpf/probes/runqlat.bpf.c" "$here/guest/init" \
      "clang=$(pkg_version clang-14)" "busybox=$(pkg_version busybox-static)" \
      "libelf=$(pkg_version libelf-dev)" "zlib=$(pkg_version zlib1g-dev)" "zstd=$(pkg_version libzstd-dev)")
out="$SCHEDCP_CACHE/toolchain/$key"
mkdir -p "$SCHEDCP_CACHE/toolchain"
if [ -f "$out/.complete" ]; then
    step "sandbox toolchain: reusing $out"
    echo "$out" > "$SCHEDCP_CACHE/toolchain/current.path"
    exit 0
fi

rm -rf "$SCHEDCP_CACHE"/toolchain/*.tmp
tmp="$out.tmp"; mkdir -p "$tmp/bin" "$tmp/include" "$tmp/lib" "$tmp/scx"
t_start=$(date +%s)

step "libbpf, bpftool and the kernel's example schedulers (tools/sched_ext; log: $tmp/scx.log)"
run_logged "$tmp/scx.log" make -C "$srcroot/tools/sched_ext" O="$tmp/scx" VMLINUX_BTF="$kdir/vmlinux" \
    -j"$JOBS" scx_simple scx_qmap scx_central scx_flatcg
scx="$tmp/scx/build"
cp "$scx"/bin/scx_simple "$scx"/bin/scx_qmap "$scx"/bin/scx_central "$scx"/bin/scx_flatcg "$tmp/bin/"
cp "$scx/sbin/bpftool" "$tmp/bin/"
cp "$scx/obj/libbpf/libbpf.a" "$tmp/lib/"
cp -r "$scx/include/bpf" "$tmp/include/"
cp "$scx/include/vmlinux.h" "$tmp/include/"
cp -r "$srcroot/tools/sched_ext/include/scx" "$tmp/include/"
cp -r "$srcroot/tools/sched_ext/include/bpf-compat" "$tmp/include/" 2>/dev/null || true
mkdir -p "$tmp/examples"
cp "$scx"/obj/sched_ext/scx_{simple,qmap,central,flatcg}.bpf.o "$tmp/examples/"
objcopy --dump-section .BTF="$tmp/vmlinux.btf" "$kdir/vmlinux" /dev/null 2>/dev/null \
    || objcopy -O binary --only-section=.BTF "$kdir/vmlinux" "$tmp/vmlinux.btf"

step "schedcp-loader (static, on this libbpf)"
run_logged "$tmp/loader.log" gcc -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare \
    -I"$tmp/include" "$here/loader/schedcp-loader.c" -o "$tmp/bin/schedcp-loader" \
    -static "$tmp/lib/libbpf.a" -lelf -lz -lzstd

step "run-queue latency probe (bpf/probes/runqlat.bpf.c) and its reader schedcp-probe"
mkdir -p "$tmp/probes"
sys_includes=$(clang -v -E - </dev/null 2>&1 | sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')
# shellcheck disable=SC2086
run_logged "$tmp/probe.log" clang -g -O2 -target bpf -mcpu=v3 -mlittle-endian -D__TARGET_ARCH_x86 \
    -I"$tmp/include" $sys_includes -Wall -c "$here/../bpf/probes/runqlat.bpf.c" -o "$tmp/probes/runqlat.bpf.o"
run_logged "$tmp/probe-reader.log" gcc -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare \
    -I"$tmp/include" "$here/probe/schedcp-probe.c" -o "$tmp/bin/schedcp-probe" \
    -static "$tmp/lib/libbpf.a" -lelf -lz -lzstd

step "guest initramfs (busybox + native/guest/init)"
gcc -O2 -o "$tmp/gen_init_cpio" "$srcroot/usr/gen_init_cpio.c"
cat > "$tmp/initramfs.list" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
nod /dev/null 0666 0 0 c 1 3
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /newroot 0755 0 0
dir /bin 0755 0 0
file /bin/busybox /bin/busybox 0755 0 0
file /init $here/guest/init 0755 0 0
LIST
"$tmp/gen_init_cpio" "$tmp/initramfs.list" | gzip -9 > "$tmp/initramfs.cpio.gz"
rm -f "$tmp/gen_init_cpio"

cp "$kdir/bzImage" "$kdir/config" "$tmp/"
rm -rf "$tmp/scx"
cat > "$tmp/manifest.json" <<JSON
{
  "key": "$key",
  "kernel_key": "$(basename "$kdir")",
  "linux_source": "$src_ver",
  "kernel_release": "$(cat "$kdir/kernel.release" 2>/dev/null || echo unknown)",
  "clang": "$(pkg_version clang-14)",
  "built_utc": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "userspace_build_seconds": $(( $(date +%s) - t_start ))
}
JSON
rm -rf "$out"; mv "$tmp" "$out"; touch "$out/.complete"
echo "$out" > "$SCHEDCP_CACHE/toolchain/current.path"
# Keep the three newest toolchains (a branch switch back is then free) and drop the rest.
ls -dt "$SCHEDCP_CACHE"/toolchain/*/ 2>/dev/null | tail -n +4 | xargs -r rm -rf
step "sandbox toolchain ready: $out"
