#!/usr/bin/env bash
# Installs the Debian packages the sandbox toolchain needs, only those missing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
pkgs=(build-essential bc bison flex libelf-dev libssl-dev dwarves cpio zstd xz-utils pkg-config
      qemu-system-x86 busybox-static clang llvm zlib1g-dev libzstd-dev libcap-dev linux-source-6.12
      rt-tests stress-ng sysbench python3 chromium chromium-driver postgresql)
# rt-tests (hackbench, cyclictest), stress-ng, sysbench and python3 are third-party workloads the loop is judged on, besides the project's own.
# chromium and chromium-driver drive the console's browser tests; postgresql gives the lock-store tests a throwaway server (binaries only).
# The MCP tests' TypeScript client needs node and npm; a node from elsewhere (e.g. NodeSource, which bundles npm) is fine.
command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    step "Debian packages: all ${#pkgs[@]} present"
    exit 0
fi
[ "$(id -u)" = 0 ] || die "missing Debian packages: ${missing[*]}; install them as root (apt-get install ${missing[*]})"
step "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
step "Debian packages installed"
