using SchedCP.Kernel.Trials;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.Verifier.Dynamic;

/// <summary>Adds the sandbox run to a pipeline.</summary>
public static class SandboxRunBuilderExtensions
{
    /// <summary>Adds the <c>sandbox</c> stage (<see cref="SandboxRunStage"/>).</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="configure">Adjusts the workload.</param>
    /// <param name="trials">The trial runner; null to resolve it at build time.</param>
    /// <returns>The builder.</returns>
    public static VerifierPipelineBuilder UseSandboxRun(this VerifierPipelineBuilder builder, Action<SandboxRunOptions>? configure = null, SchedulerTrialRunner? trials = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new SandboxRunOptions();
        configure?.Invoke(options);
        return builder.Use(sp => new SandboxRunStage(
            trials ?? sp?.GetService(typeof(SchedulerTrialRunner)) as SchedulerTrialRunner ?? throw new InvalidOperationException("The sandbox stage needs a SchedulerTrialRunner: call services.AddSchedCPKernel() or pass one to UseSandboxRun()."),
            options,
            sp?.GetService(typeof(TimeProvider)) as TimeProvider));
    }
}
