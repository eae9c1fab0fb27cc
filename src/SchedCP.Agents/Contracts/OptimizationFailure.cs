using SchedCP.Core.Results;

namespace SchedCP.Agents;

/// <summary>Why the loop produced no measurement to judge.</summary>
public enum OptimizationFailureKind
{
    /// <summary>The workload could not be observed (binaries not built, the sandbox or the probe failed).</summary>
    ObservationFailed,

    /// <summary>No candidate could be built: every one was refused (objects not built, schema, unknown policy) before it reached the sandbox.</summary>
    NoCandidateBuilt,

    /// <summary>Candidates were built, but no side-by-side session with EEVDF gave a run (the sandbox or the workload failed).</summary>
    TrialsFailed,

    /// <summary>The run's budget (model calls, tokens, money or wall time) was spent before anything was measured.</summary>
    BudgetExhausted,
}

/// <summary>
/// An expected failure of the whole loop, with what to do about it. When it is set, nothing of the run was written to
/// the repository's history and no candidate was judged.
/// </summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Message">What happened.</param>
/// <param name="Remedy">What to do.</param>
public sealed record OptimizationFailure(OptimizationFailureKind Kind, string Message, string Remedy) : Failure<OptimizationFailureKind>(Kind, Message, Remedy);
