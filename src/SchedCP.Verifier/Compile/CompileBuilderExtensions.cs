using SchedCP.Verifier.Pipeline;

namespace SchedCP.Verifier.Compile;

/// <summary>Adds the compile stage to a pipeline.</summary>
public static class CompileBuilderExtensions
{
    /// <summary>Adds the <c>compile</c> stage (<see cref="ClangCompileStage"/>).</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="configure">Adjusts the compiler options.</param>
    /// <returns>The builder.</returns>
    public static VerifierPipelineBuilder UseCompile(this VerifierPipelineBuilder builder, Action<ClangCompileOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new ClangCompileOptions();
        configure?.Invoke(options);
        return builder.Use(sp => new ClangCompileStage(options, sp?.GetService(typeof(TimeProvider)) as TimeProvider));
    }
}
