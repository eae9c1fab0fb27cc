
namespace SchedCP.Verifier.Pipeline;

/// <summary>How serious a finding is. Only errors fail a stage.</summary>
public enum FindingSeverity
{
    /// <summary>Information (a measurement, a check that could not decide).</summary>
    Info,

    /// <summary>Suspicious but not known to break the scheduler.</summary>
    Warning,

    /// <summary>The scheduler would be rejected, ejected or stall tasks.</summary>
    Error,
}

/// <summary>Where a finding is: a source position (compiler diagnostics) or a program and instruction (static checks).</summary>
/// <param name="File">The source file.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column.</param>
/// <param name="Program">The BPF function (program or subprogram).</param>
/// <param name="Instruction">The instruction slot within <paramref name="Program"/>.</param>
public sealed record FindingLocation(string? File = null, int? Line = null, int? Column = null, string? Program = null, int? Instruction = null)
{
    /// <inheritdoc />
    public override string ToString() =>
        File is not null ? $"{File}:{Line}:{Column}" : Program is not null ? (Instruction is { } i ? $"{Program}+{i}" : Program) : "";
}

/// <summary>One piece of evidence of a stage: what was found, where, and what to do about it.</summary>
/// <param name="Check">A stable id of the check (<c>enqueue-drops-task</c>, <c>clang</c>, <c>kernel-verifier</c>).</param>
/// <param name="Severity">How serious it is.</param>
/// <param name="Message">What was found.</param>
/// <param name="Remedy">What to change; empty when nothing needs to change.</param>
/// <param name="Location">Where, when known.</param>
public sealed record VerificationFinding(string Check, FindingSeverity Severity, string Message, string Remedy = "", FindingLocation? Location = null)
{
    /// <inheritdoc />
    public override string ToString() => $"{Severity} [{Check}] {(Location is null ? "" : Location + ": ")}{Message}";
}

/// <summary>
/// The verdict of one stage with its evidence: findings with locations, the stage's log, and numbers
/// (instruction counts, durations).
/// </summary>
/// <param name="Stage">The stage name.</param>
/// <param name="Passed">Whether the candidate may go on.</param>
/// <param name="Reason">Why, in one or two sentences.</param>
/// <param name="Findings">The evidence.</param>
/// <param name="Log">The stage's log (compiler output, verifier log, console), possibly truncated.</param>
/// <param name="Metrics">Numbers by name (<c>instructions.fifo_enqueue</c>, <c>verified_insns</c>...).</param>
/// <param name="Duration">How long the stage took.</param>
/// <param name="At">When it finished.</param>
public sealed record StageVerdict(
    string Stage,
    bool Passed,
    string Reason,
    IReadOnlyList<VerificationFinding> Findings,
    string Log,
    IReadOnlyDictionary<string, double> Metrics,
    TimeSpan Duration,
    DateTimeOffset At)
{
    /// <summary>The most that is kept of a log in a repository verdict.</summary>
    public const int MaxRecordedLog = 64 * 1024;

    /// <summary>The error findings.</summary>
    public IEnumerable<VerificationFinding> Errors => Findings.Where(f => f.Severity == FindingSeverity.Error);

    /// <inheritdoc />
    public override string ToString() => $"{Stage}: {(Passed ? "passed" : "FAILED")} — {Reason}";
}
