using SchedCP.Verifier.Pipeline;

namespace SchedCP.Verifier.StaticAnalysis;

/// <summary>Adds the static stage to a pipeline.</summary>
public static class StaticAnalysisBuilderExtensions
{
    /// <summary>Adds the <c>static</c> stage (<see cref="StaticAnalysisStage"/>).</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <returns>The builder.</returns>
    public static VerifierPipelineBuilder UseStaticAnalysis(this VerifierPipelineBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(sp => new StaticAnalysisStage(sp?.GetService(typeof(TimeProvider)) as TimeProvider));
    }
}
