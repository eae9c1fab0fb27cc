using System.Diagnostics.CodeAnalysis;
using SchedCP.Kernel.Native;

namespace SchedCP.Kernel.Workloads;

/// <summary>
/// Where the built workload binaries are: <c>$SCHEDCP_WORKLOADS_DIR</c>, else the ones the packages ship next to the
/// application (<see cref="NativeAssets"/>), else <c>native/workloads/build</c> in the first parent folder of the
/// application that has one. <c>native/workloads/build.sh</c> (run by <c>./build.sh</c>) builds them.
/// </summary>
internal static class WorkloadBinaries
{
    /// <summary>Finds the folder holding all three workload binaries.</summary>
    /// <param name="directory">The folder, when found.</param>
    /// <param name="failure">Why it was not found.</param>
    /// <param name="hint">A folder to try first.</param>
    public static bool TryLocate([NotNullWhen(true)] out string? directory, [NotNullWhen(false)] out WorkloadFailure? failure, string? hint = null)
    {
        var candidates = new List<string>();
        if (hint is not null)
        {
            candidates.Add(hint);
        }

        if (Environment.GetEnvironmentVariable("SCHEDCP_WORKLOADS_DIR") is { Length: > 0 } env)
        {
            candidates.Add(env);
        }

        if (NativeAssets.ExecutableWorkloadsDirectory() is { } packaged)
        {
            candidates.Add(packaged);
        }

        candidates.AddRange(NativeAssets.InCheckoutAbove("native", "workloads", "build"));

        foreach (var c in candidates)
        {
            if (BenchmarkWorkload.Names.All(n => File.Exists(Path.Combine(c, n))))
            {
                directory = Path.GetFullPath(c);
                failure = null;
                return true;
            }
        }

        directory = null;
        failure = new WorkloadFailure(WorkloadFailureKind.BinaryMissing,
            "The benchmark workload binaries (longtail, wakeup, buildlike) are not built.",
            "Install the SchedCP packages (they ship the workloads), run native/workloads/build.sh in a checkout (./build.sh test runs it), or set SCHEDCP_WORKLOADS_DIR to their folder.");
        return false;
    }
}
