using SchedCP.Verifier.Pipeline;

namespace SchedCP.Verifier.StaticAnalysis;

/// <summary>The <c>static</c> stage: <see cref="SchedulerStaticAnalyzer"/> on the compiled object, in managed code.</summary>
/// <param name="time">Stamps the verdict.</param>
public sealed class StaticAnalysisStage(TimeProvider? time = null) : IVerificationStage
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public string Name => "static";

    /// <inheritdoc />
    public ValueTask<StageVerdict> VerifyAsync(VerificationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var start = _time.GetTimestamp();
        var obj = context.GetObject();
        if (!obj.Succeeded)
        {
            var f = obj.Failure!;
            return ValueTask.FromResult(new StageVerdict(Name, false, f.Message, [new VerificationFinding("object", FindingSeverity.Error, f.Message, f.Remedy)], "", new Dictionary<string, double>(), _time.GetElapsedTime(start), _time.GetUtcNow()));
        }

        var result = SchedulerStaticAnalyzer.Analyze(obj.Value!, context.Candidate.Parameters);
        var errors = result.Findings.Where(f => f.Severity == FindingSeverity.Error).ToArray();
        var reason = errors.Length == 0
            ? $"No scheduler-specific problem found in {result.Metrics.GetValueOrDefault("callbacks")} callbacks."
            : $"{errors.Length} problem(s); first: [{errors[0].Check}] {errors[0].Message}";
        return ValueTask.FromResult(new StageVerdict(Name, errors.Length == 0, reason, result.Findings, "", result.Metrics, _time.GetElapsedTime(start), _time.GetUtcNow()));
    }
}
