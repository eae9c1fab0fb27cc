using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Workloads;
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

    /// <summary>Adds the <c>performance</c> stage (<see cref="PerformanceGateStage"/>): the target workload side by side with EEVDF.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="configure">Adjusts the rule and the repeats.</param>
    /// <param name="sandbox">The sandbox; null to resolve it at build time.</param>
    /// <param name="workloads">The workload runner; null to resolve it (or create one) at build time.</param>
    /// <returns>The builder.</returns>
    public static VerifierPipelineBuilder UsePerformanceGate(this VerifierPipelineBuilder builder, Action<PerformanceGateOptions>? configure = null, ISandboxRunner? sandbox = null, WorkloadRunner? workloads = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new PerformanceGateOptions();
        configure?.Invoke(options);
        return builder.Use(sp => new PerformanceGateStage(
            sandbox ?? sp?.GetService(typeof(ISandboxRunner)) as ISandboxRunner ?? throw new InvalidOperationException("The performance gate needs an ISandboxRunner: call services.AddSchedCPKernel() or pass one to UsePerformanceGate()."),
            workloads ?? sp?.GetService(typeof(WorkloadRunner)) as WorkloadRunner ?? new WorkloadRunner(timeProvider: sp?.GetService(typeof(TimeProvider)) as TimeProvider),
            options,
            sp?.GetService(typeof(TimeProvider)) as TimeProvider));
    }
}
