#!/usr/bin/env bash
# One entry point for people and CI.
#   ./build.sh test       install what is missing, build (or reuse) the sandbox toolchain, run every test
#   ./build.sh demo       the main job: sched-agent optimises the long-tail batches (named and same-name) and the wakeup workload
#                         against EEVDF in the sched_ext sandbox (offline planner; history kept across runs; each run prints its live console address)
#   ./build.sh toolchain  only install packages and build (or reuse) the sandbox toolchain
#   ./build.sh bench      run the benchmarks and write tables under benchmarks/results/
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

setup() {
    bash native/install-deps.sh
    bash native/build-toolchain.sh
    # The toolchain script records where it put its output.
    SCHEDCP_TOOLCHAIN="$(cat "${SCHEDCP_CACHE:-$HOME/.cache/schedcp}/toolchain/current.path")"
    export SCHEDCP_TOOLCHAIN
    bash bpf/build.sh
    bash native/workloads/build.sh
    bash tests/SchedCP.Mcp.Tests/ts-client/install.sh
    export SCHEDCP_BPF_DIR="$ROOT/bpf/build"
}

cmd="${1:-test}"
shift || true
case "$cmd" in
    toolchain)
        setup
        ;;
    test)
        setup
        dotnet restore SchedCP.Sdk.sln
        dotnet build SchedCP.Sdk.sln -c Release --no-restore
        # Sandbox-tagged tests boot real sched_ext guests; in CI a missing sandbox fails them loudly.
        log=$(mktemp)
        set +e
        # One test assembly at a time: several of them boot guests, and two guests on two cores only slow each other.
        dotnet test SchedCP.Sdk.sln -c Release --no-build -m:1 "$@" 2>&1 | tee "$log"
        rc=${PIPESTATUS[0]}
        set -e
        # One closing line over all test projects: "N passed, N failed, N skipped".
        awk '/(Passed|Failed)!  - Failed:/ {
                for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1));
                    if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
             END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
        rm -f "$log"
        exit "$rc"
        ;;
    demo)
        setup
        db="${SCHEDCP_CACHE:-$HOME/.cache/schedcp}/demo-repository.db"
        for workload in ${*:-longtail longtail-same wakeup}; do
            dotnet run --project samples/SchedCP.Cli -c Release -- optimize "$workload" --db "$db" --console
        done
        ;;
    bench)
        setup
        bash benchmarks/run.sh "$@"
        ;;
    *)
        echo "usage: $0 {test|demo|toolchain|bench}" >&2
        exit 2
        ;;
esac
