using SchedCP.Core.Results;

namespace SchedCP.Kernel.Workloads;

/// <summary>Why a benchmark workload produced no result.</summary>
public enum WorkloadFailureKind
{
    /// <summary>The workload binary is not built.</summary>
    BinaryMissing,

    /// <summary>The process could not be started.</summary>
    StartFailed,

    /// <summary>The workload exited with a non-zero status.</summary>
    ExitedNonZero,

    /// <summary>The workload ran past its time limit and was killed.</summary>
    TimedOut,

    /// <summary>Standard output held no JSON object the parser understands.</summary>
    MalformedOutput,

    /// <summary>The sandbox guest gave no result.</summary>
    SandboxFailed,

    /// <summary>The scheduler to run the workloads under did not attach.</summary>
    SchedulerNotAttached,

    /// <summary>A command given as a workload cannot run in the sandbox guest (not executable, dynamically linked, or a script for an interpreter the guest lacks).</summary>
    CommandNotRunnable,

    /// <summary>The KPI the command prints (<see cref="OutputKpi"/>) was not in its output, or was not a number.</summary>
    KpiNotFound,
}

/// <summary>An expected failure of a workload run, with what to do about it.</summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Message">What happened.</param>
/// <param name="Remedy">What to do.</param>
public sealed record WorkloadFailure(WorkloadFailureKind Kind, string Message, string Remedy) : Failure<WorkloadFailureKind>(Kind, Message, Remedy);
