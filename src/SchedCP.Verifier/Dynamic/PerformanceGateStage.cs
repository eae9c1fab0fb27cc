using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Schedulers;
using SchedCP.Kernel.Workloads;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.Verifier.Dynamic;

/// <summary>How a candidate compares with EEVDF on its target KPI.</summary>
public enum PerformanceOutcome
{
    /// <summary>Better than EEVDF by more than the rule's margin.</summary>
    Better,

    /// <summary>Within the margin: no difference the repeats can show.</summary>
    Equal,

    /// <summary>Worse than EEVDF by more than the margin.</summary>
    Worse,
}

/// <summary>Options of the performance gate.</summary>
public sealed class PerformanceGateOptions
{
    /// <summary>Runs of the target workload under each arm. Default 3.</summary>
    public int Repeats { get; set; } = 3;

    /// <summary>The margin in spreads: a difference of means beyond <c>K × spread</c> counts. Default 2.</summary>
    public double K { get; set; } = 2;

    /// <summary>The least relative difference that counts, whatever the spread (0.02 = 2 %). Default 0.02.</summary>
    public double MinRelativeDifference { get; set; } = 0.02;

    /// <summary>Whether the candidate must be <see cref="PerformanceOutcome.Better"/> to pass; by default <see cref="PerformanceOutcome.Equal"/> passes too.</summary>
    public bool RequireBetter { get; set; }

    /// <summary>The guest's wall-clock limit. Default 10 minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// The <c>performance</c> stage: runs the candidate's <see cref="VerificationCandidate.TargetWorkload"/> under EEVDF and
/// under the candidate in one sandbox guest, repeats interleaved (<see cref="WorkloadRunner.RunSideBySideInSandboxAsync"/>),
/// and decides by this rule: with <c>d</c> the difference of the means in the better direction and
/// <c>spread = max(stddev(EEVDF), stddev(candidate))</c>, the candidate is <see cref="PerformanceOutcome.Better"/> when
/// <c>d &gt; max(K × spread, MinRelativeDifference × mean(EEVDF))</c>, <see cref="PerformanceOutcome.Worse"/> when
/// <c>-d</c> exceeds the same margin, else <see cref="PerformanceOutcome.Equal"/>. Worse fails; Equal fails only with
/// <see cref="PerformanceGateOptions.RequireBetter"/>. A candidate without a target workload passes with nothing measured.
/// </summary>
/// <param name="sandbox">The sandbox.</param>
/// <param name="workloads">Runs the workloads.</param>
/// <param name="options">The rule's parameters.</param>
/// <param name="time">Stamps the verdict.</param>
public sealed class PerformanceGateStage(ISandboxRunner sandbox, WorkloadRunner workloads, PerformanceGateOptions? options = null, TimeProvider? time = null) : IVerificationStage
{
    private readonly PerformanceGateOptions _options = options ?? new PerformanceGateOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public string Name => "performance";

    /// <summary>Applies the stage's rule to two samples of the KPI.</summary>
    /// <param name="baseline">The EEVDF values.</param>
    /// <param name="candidate">The candidate's values.</param>
    /// <param name="lowerIsBetter">Whether lower values are better.</param>
    /// <param name="k">The margin in spreads.</param>
    /// <param name="minRelative">The least relative difference that counts.</param>
    /// <returns>The outcome, the relative improvement (positive is better) and the margin used.</returns>
    public static (PerformanceOutcome Outcome, double Improvement, double Margin) Decide(IReadOnlyList<double> baseline, IReadOnlyList<double> candidate, bool lowerIsBetter, double k, double minRelative)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        if (baseline.Count == 0 || candidate.Count == 0)
        {
            throw new ArgumentException("Both arms need at least one value.", nameof(baseline));
        }

        var mb = baseline.Average();
        var mc = candidate.Average();
        var d = lowerIsBetter ? mb - mc : mc - mb;
        var margin = Math.Max(k * Math.Max(StdDev(baseline), StdDev(candidate)), minRelative * Math.Abs(mb));
        var improvement = mb == 0 ? 0 : d / Math.Abs(mb);
        var outcome = d > margin ? PerformanceOutcome.Better : -d > margin ? PerformanceOutcome.Worse : PerformanceOutcome.Equal;
        return (outcome, improvement, margin);
    }

    /// <inheritdoc />
    public async ValueTask<StageVerdict> VerifyAsync(VerificationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var start = _time.GetTimestamp();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var candidate = context.Candidate;
        if (candidate.TargetWorkload is null)
        {
            return Verdict(true, "No target workload was given: nothing to compare with EEVDF.", [new VerificationFinding("target", FindingSeverity.Info, "No target workload.", "Set VerificationCandidate.TargetWorkload to measure against EEVDF.")], "", metrics, start);
        }

        if (context.ObjectPath is null)
        {
            return Verdict(false, "No compiled object to measure.", [new VerificationFinding("input", FindingSeverity.Error, "No compiled object.", "Put the compile stage first or give an object.")], "", metrics, start);
        }

        var scheduler = new BpfObjectScheduler(context.ObjectPath) { Rodata = candidate.Parameters, ExpectedOpsName = candidate.ExpectedOpsName };
        var session = await workloads.RunSideBySideInSandboxAsync(sandbox, [candidate.TargetWorkload], _options.Repeats, [scheduler], _options.Timeout, cancellationToken).ConfigureAwait(false);
        var log = session.Sandbox is null ? "" : string.Join('\n', session.Sandbox.ConsoleTail);
        if (session.Failure is { } failure)
        {
            return Verdict(false, $"The side-by-side session failed: {failure.Message}", [new VerificationFinding("session", FindingSeverity.Error, failure.Message, failure.Remedy)], log, metrics, start);
        }

        var arm = session.Candidates[0];
        if (!arm.Healthy)
        {
            var why = arm.Problem ?? string.Join("; ", arm.Runs.Where(r => !r.Succeeded).Select(r => r.ToString()).Take(3));
            return Verdict(false, $"The candidate's arm was not healthy: {why}", [new VerificationFinding("arm", FindingSeverity.Error, why, "Pass the sandbox stage first; read the scheduler's exit message.")], log, metrics, start);
        }

        var name = candidate.TargetWorkload.Name;
        var b = session.Baseline!.Values(name, candidate.TargetMetric);
        var c = arm.Values(name, candidate.TargetMetric);
        if (b.Count == 0 || c.Count == 0)
        {
            var msg = $"The workload '{name}' reported no '{candidate.TargetMetric}' (EEVDF {b.Count} values, candidate {c.Count}).";
            return Verdict(false, msg, [new VerificationFinding("kpi", FindingSeverity.Error, msg, "Pick a metric the workload prints (see WorkloadResult.Metrics).")], log, metrics, start);
        }

        var (outcome, improvement, margin) = Decide(b, c, candidate.LowerIsBetter, _options.K, _options.MinRelativeDifference);
        metrics["eevdf_mean"] = b.Average();
        metrics["candidate_mean"] = c.Average();
        metrics["eevdf_stddev"] = StdDev(b);
        metrics["candidate_stddev"] = StdDev(c);
        metrics["margin"] = margin;
        metrics["improvement"] = improvement;
        metrics["repeats"] = Math.Min(b.Count, c.Count);
        metrics["outcome"] = (int)outcome;
        var summary = $"{outcome}: {candidate.TargetMetric} {c.Average():F1} vs EEVDF {b.Average():F1} over {c.Count}/{b.Count} runs ({improvement:+0.0%;-0.0%} better), margin {margin:F1} = max({_options.K} × spread, {_options.MinRelativeDifference:P0} of EEVDF).";
        var passed = outcome == PerformanceOutcome.Better || (outcome == PerformanceOutcome.Equal && !_options.RequireBetter);
        IReadOnlyList<VerificationFinding> findings = passed
            ? [new VerificationFinding("kpi", FindingSeverity.Info, summary)]
            : [new VerificationFinding("kpi", FindingSeverity.Error, summary, outcome == PerformanceOutcome.Worse ? "The candidate regresses its own target workload against EEVDF; do not deploy it." : "No improvement the repeats can show; tune it or accept Equal.")];
        return Verdict(passed, summary, findings, log, metrics, start);
    }

    private static double StdDev(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    private StageVerdict Verdict(bool passed, string reason, IReadOnlyList<VerificationFinding> findings, string log, IReadOnlyDictionary<string, double> metrics, long start) =>
        new(Name, passed, reason, findings, log, metrics, _time.GetElapsedTime(start), _time.GetUtcNow());
}
