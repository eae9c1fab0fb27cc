#!/usr/bin/env bash
# Runs the benchmarks and writes their tables under benchmarks/results/ (machine and date in each).
# Expects ./build.sh to have set up the toolchain (./build.sh bench does).
set -euo pipefail
cd "$(dirname "$0")/.."
source native/lib.sh
tc="$(cat "$SCHEDCP_CACHE/toolchain/current.path")"
kdir="$SCHEDCP_CACHE/kernel/$(sed -n 's/.*"kernel_key": "\(.*\)".*/\1/p' "$tc/manifest.json")"
cold_kernel=$(cat "$kdir/build-seconds" 2>/dev/null || echo n/a)
cold_user=$(sed -n 's/.*"userspace_build_seconds": \([0-9]*\).*/\1/p' "$tc/manifest.json")
t0=$(date +%s.%N); bash native/build-toolchain.sh 2>/dev/null; t1=$(date +%s.%N)
warm=$(echo "$t1 - $t0" | bc -l | xargs printf '%.1f')
step "sandbox benchmark (boots guests repeatedly; a few minutes)"
dotnet run --project benchmarks/SchedCP.Sandbox.Benchmarks -c Release -- benchmarks/results/sandbox.md "${SANDBOX_REPEATS:-5}" "$cold_kernel" "$cold_user" "$warm"
bash benchmarks/optimize.sh
bash benchmarks/longtail-same.sh
