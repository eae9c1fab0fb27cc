#!/usr/bin/env bash
# The sched-agent loop (offline planner) on the long-tail batch and the wakeup-latency workloads, side by side with
# EEVDF in the sandbox; writes benchmarks/results/optimize.md with the machine, the date and the loop's wall time.
# Expects ./build.sh to have set up the toolchain (./build.sh bench does).
set -euo pipefail
cd "$(dirname "$0")/.."
out=benchmarks/results/optimize.md
db=$(mktemp -d)/repository.db
{
    echo "# sched-agent: the closed loop against EEVDF"
    echo
    echo "- Machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- Guest: 2 vCPUs under QEMU TCG, sched_ext kernel 6.12; date $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- Command: \`schedcp optimize <workload>\` (offline planner, no model: 0 tokens, \$0), fresh repository."
    echo "- Rule, fixed before the runs: EEVDF measured in the same guest, arms rotating per repeat; makespan is better only beyond max(2 x pooled sd, 1 % of EEVDF's mean); p99 is better only when an exact one-sided Mann-Whitney test over the repeats gives p < 0.05 and the median improves by more than 1 %."
    echo
} > "$out"
for workload in longtail wakeup; do
    dotnet run --project samples/SchedCP.Cli -c Release -- optimize "$workload" --db "$db" --markdown "$out" --svg "benchmarks/results/optimize-$workload.svg" > /dev/null
done
echo "- Load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
echo "wrote $out"
