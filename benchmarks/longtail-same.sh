#!/usr/bin/env bash
# The sched-agent loop (offline planner) on long-tail batches whose tasks all run one program under one name and one
# argv (only their work differs; the long ones at seeded positions), through `schedcp optimize -- PROGRAM`, on 2 and 4
# guest vCPUs with 1 and 3 long tasks; beside them the named longtail and a batch of equal tasks (which must end with
# no candidate better than EEVDF), third-party programs (an xz batch, hackbench) and the wakeup workload. Writes benchmarks/results/longtail-same.md with the machine and date.
# Expects ./build.sh to have set up the toolchain (./build.sh bench does).
set -euo pipefail
cd "$(dirname "$0")/.."
out=benchmarks/results/longtail-same.md
tmp=$(mktemp -d)
cli=(dotnet run --project samples/SchedCP.Cli -c Release --)
# A user's program, not one of ours by name: the long-tail workload copied as 'batch'.
prog=$tmp/batch
cp native/workloads/build/longtail "$prog"
{
    echo "# Long tails found without names"
    echo
    echo "- Machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- Guest: sched_ext kernel 6.12 under QEMU TCG (vCPUs per section); date $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- Command: \`schedcp optimize --cpus N -- ./batch --short S --long L --short-ms 30 --long-ms 300 --same-name 1 --seed K\` (offline planner, fresh repository per run)."
    echo "- Observation: the kernel's per-task records (BPF) in the guest, three runs in one boot; long work known by fork order under its parent, because every task has the same name and argv."
    echo "- Rule, fixed before the runs: EEVDF measured in the same guest, arms rotating per repeat; makespan is better only beyond max(2 x pooled sd, 1 % of EEVDF's mean)."
    echo
} > "$out"
run() { # cpus label args...
    local cpus=$1; shift
    local db="$tmp/$RANDOM.db"
    "${cli[@]}" optimize --cpus "$cpus" --db "$db" --markdown "$out" "$@" > /dev/null
}
for cpus in 2 4; do
    run "$cpus" -- "$prog" --short 16 --long 1 --short-ms 30 --long-ms 300 --same-name 1 --seed 5
    run "$cpus" -- "$prog" --short 24 --long 3 --short-ms 30 --long-ms 300 --same-name 1 --seed 9
done
run 2 longtail
run 2 wakeup
run 2 -- "$prog" --short 17 --long 0 --short-ms 30 --long-ms 300 --same-name 1 --seed 3
# Programs nobody here wrote: an xz batch (one process per file, all named xz, one large input) and hackbench.
run 2 xz-batch
run 2 hackbench
echo "- Load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
echo "wrote $out"
