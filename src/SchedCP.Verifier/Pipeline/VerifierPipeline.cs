using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SchedCP.Verifier.Pipeline;

/// <summary>
/// The verifier's gauntlet: stages run in order and a candidate stops at the first stage that fails. Immutable and
/// thread-safe once built by <see cref="VerifierPipelineBuilder"/>; runs share nothing.
/// </summary>
public sealed class VerifierPipeline
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    internal VerifierPipeline(IReadOnlyList<IVerificationStage> stages, TimeProvider time, ILogger? logger)
    {
        Stages = stages;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The stages, in the order they run.</summary>
    public IReadOnlyList<IVerificationStage> Stages { get; }

    /// <summary>Runs the candidate through every stage until one fails.</summary>
    /// <param name="candidate">The candidate.</param>
    /// <param name="cancellationToken">Cancels the run (the running stage is cancelled; no verdict is made up).</param>
    /// <returns>The verdicts.</returns>
    public async Task<VerificationReport> VerifyAsync(VerificationCandidate candidate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var context = new VerificationContext(candidate);
        foreach (var stage in Stages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = _time.GetTimestamp();
            VerifierLog.StageStarting(_logger, stage.Name, candidate.Name);
            var verdict = await stage.VerifyAsync(context, cancellationToken).ConfigureAwait(false);
            if (verdict.Duration == TimeSpan.Zero)
            {
                verdict = verdict with { Duration = _time.GetElapsedTime(start) };
            }

            context.Verdicts.Add(verdict);
            if (verdict.Passed)
            {
                VerifierLog.StagePassed(_logger, stage.Name, candidate.Name, verdict.Duration.TotalMilliseconds);
            }
            else
            {
                VerifierLog.StageFailed(_logger, stage.Name, candidate.Name, verdict.Reason);
                break;
            }
        }

        Debug.Assert(context.Verdicts.Count <= Stages.Count, "one verdict per stage at most");
        return new VerificationReport(candidate, [.. context.Verdicts], context.ObjectPath);
    }
}
