using Microsoft.Extensions.Logging;

namespace SchedCP.Verifier.Pipeline;

/// <summary>
/// Composes a <see cref="VerifierPipeline"/>: stages are added in the order they run, either as instances or as
/// factories resolved from a service provider at <see cref="Build"/>. The <c>Use…</c> extension methods in each stage's
/// folder add the built-in stages.
/// </summary>
public sealed class VerifierPipelineBuilder
{
    private readonly List<Func<IServiceProvider?, IVerificationStage>> _stages = [];

    /// <summary>The number of stages added so far.</summary>
    public int Count => _stages.Count;

    /// <summary>Adds a stage instance.</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>This builder.</returns>
    public VerifierPipelineBuilder AddStage(IVerificationStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        _stages.Add(_ => stage);
        return this;
    }

    /// <summary>Adds a stage created from the service provider when the pipeline is built.</summary>
    /// <param name="factory">Creates the stage; the provider is null when <see cref="Build"/> is called without one.</param>
    /// <returns>This builder.</returns>
    public VerifierPipelineBuilder Use(Func<IServiceProvider?, IVerificationStage> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _stages.Add(factory);
        return this;
    }

    /// <summary>Builds the immutable pipeline.</summary>
    /// <param name="services">Resolves stage dependencies (time, logging, the sandbox); optional.</param>
    /// <returns>The pipeline.</returns>
    /// <exception cref="InvalidOperationException">No stage was added, or two stages share a name.</exception>
    public VerifierPipeline Build(IServiceProvider? services = null)
    {
        if (_stages.Count == 0)
        {
            throw new InvalidOperationException("The verifier pipeline has no stages; add at least one with Use…() or AddStage().");
        }

        var stages = _stages.Select(f => f(services)).ToArray();
        var duplicate = stages.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two verifier stages are named '{duplicate.Key}'; stage names identify verdicts and must be unique.");
        }

        var time = services?.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
        var logger = (services?.GetService(typeof(ILoggerFactory)) as ILoggerFactory)?.CreateLogger("SchedCP.Verifier");
        return new VerifierPipeline(stages, time, logger);
    }
}
