using SchedCP.ControlPlane.Verification;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.Agents;

/// <summary>One policy as the tools describe it.</summary>
/// <param name="Name">Name.</param>
/// <param name="Kind">How it runs (bpfObject and kernelExample run in the sandbox).</param>
/// <param name="Lifecycle">Where it is in its life.</param>
/// <param name="Description">What it does.</param>
/// <param name="Algorithm">How it does it (for a revision: its parent and diff).</param>
/// <param name="Parameters">Its typed parameters.</param>
/// <param name="Modes">The modes it has parameter presets for.</param>
/// <param name="Limitations">Known limitations.</param>
/// <param name="Source">The BPF C source when asked for and available, else null.</param>
public sealed record PolicyDescription(string Name, string Kind, string Lifecycle, string Description, string Algorithm, IReadOnlyList<ParameterDescription> Parameters, IReadOnlyList<string> Modes, IReadOnlyList<string> Limitations, string? Source);

/// <summary>One typed parameter.</summary>
/// <param name="Name">Name.</param>
/// <param name="Type">Type.</param>
/// <param name="Minimum">Lowest value.</param>
/// <param name="Maximum">Highest value.</param>
/// <param name="Description">What it does.</param>
public sealed record ParameterDescription(string Name, string Type, decimal? Minimum, decimal? Maximum, string Description);

/// <summary>One code primitive a scheduler can be composed from.</summary>
/// <param name="Name">Name to pass to compose_scheduler.</param>
/// <param name="Category">The part of a scheduler it fills (one per category).</param>
/// <param name="Description">What it does.</param>
/// <param name="Parameters">Its .rodata parameters.</param>
public sealed record PrimitiveDescription(string Name, string Category, string Description, IReadOnlyList<string> Parameters);

/// <summary>The code primitives a scheduler can be composed from.</summary>
/// <param name="Items">One per primitive.</param>
public sealed record PrimitiveList(IReadOnlyList<PrimitiveDescription> Items);

/// <summary>A verifier run on a source, stage by stage.</summary>
/// <param name="Name">The policy name it was verified under.</param>
/// <param name="Passed">Whether every stage passed.</param>
/// <param name="Summary">Stage results, e.g. <c>compile:pass static:pass kernel-verifier:fail</c>.</param>
/// <param name="FailedStage">The first stage that failed, or null.</param>
/// <param name="Reason">Why it failed, or what passed.</param>
/// <param name="Findings">The failed stage's findings with their remedies.</param>
/// <param name="LogTail">The last lines of the failed stage's log (the kernel verifier's log), for a repair.</param>
/// <param name="StoredAs">The policy name it was stored under when it passed, or null.</param>
public sealed record SourceCheck(string Name, bool Passed, string Summary, string? FailedStage, string Reason, IReadOnlyList<string> Findings, string LogTail, string? StoredAs)
{
    /// <summary>The most characters of a log returned to a caller.</summary>
    public const int MaxLogTail = 4000;

    /// <summary>From a workbench result.</summary>
    /// <param name="name">The name.</param>
    /// <param name="verification">The verification.</param>
    public static SourceCheck From(string name, SourceVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        var report = verification.Report;
        var failed = report.FailedStage;
        var log = failed?.Log ?? "";
        return new SourceCheck(name, report.Passed && verification.Stored is not null, report.Summary, failed?.Stage,
            failed is null ? verification.StoreFailure ?? $"every stage passed ({report.Summary})" : failed.Reason,
            failed is null ? [] : [.. failed.Findings.Where(f => f.Severity != FindingSeverity.Info).Take(12).Select(f => f.Remedy.Length == 0 ? f.ToString() : $"{f} Remedy: {f.Remedy}")],
            log.Length <= MaxLogTail ? log : log[^MaxLogTail..],
            verification.Stored?.Name);
    }
}

/// <summary>A scheduler composed from primitives and verified.</summary>
/// <param name="Primitives">The primitives, in composition order.</param>
/// <param name="Parameters">The .rodata parameters the composed scheduler reads.</param>
/// <param name="Source">The composed BPF C.</param>
/// <param name="Check">The verifier's result.</param>
public sealed record CompositionResult(IReadOnlyList<string> Primitives, IReadOnlyList<string> Parameters, string Source, SourceCheck Check);

/// <summary>A patch against a policy's source, applied and verified.</summary>
/// <param name="Parent">The policy the diff is against.</param>
/// <param name="Diff">A one-line description of the diff.</param>
/// <param name="Check">The verifier's result on the patched source.</param>
/// <param name="PatchPath">Where the diff was kept.</param>
public sealed record PatchResult(string Parent, string Diff, SourceCheck Check, string? PatchPath);

/// <summary>A scheduler's trial in a sched_ext guest.</summary>
/// <param name="Policy">The policy.</param>
/// <param name="Succeeded">Whether it attached, ran and detached cleanly.</param>
/// <param name="OpsName">The ops name the kernel reported.</param>
/// <param name="Summary">What happened.</param>
public sealed record TrialResult(string Policy, bool Succeeded, string? OpsName, string Summary);

/// <summary>A policy measured side by side with EEVDF in one guest.</summary>
/// <param name="Policy">The policy.</param>
/// <param name="Workload">The benchmark workload.</param>
/// <param name="Metric">The KPI.</param>
/// <param name="Verdict">Better, Worse or Equal by the rule.</param>
/// <param name="Ratio">Candidate mean over EEVDF mean.</param>
/// <param name="Summary">The means, spreads and the rule.</param>
public sealed record ComparisonResult(string Policy, string Workload, string Metric, string Verdict, double Ratio, string Summary);

/// <summary>The history of a workload: policies ranked against EEVDF.</summary>
/// <param name="Fingerprint">The workload.</param>
/// <param name="Rankings">One line per policy, best first.</param>
public sealed record FeedbackRankings(string Fingerprint, IReadOnlyList<string> Rankings);
