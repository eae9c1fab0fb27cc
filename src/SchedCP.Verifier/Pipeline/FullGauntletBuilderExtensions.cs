using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Trials;
using SchedCP.Kernel.Workloads;
using SchedCP.Verifier.Compile;
using SchedCP.Verifier.Dynamic;
using SchedCP.Verifier.KernelVerifier;
using SchedCP.Verifier.StaticAnalysis;

namespace SchedCP.Verifier.Pipeline;

/// <summary>Adds every stage a candidate must pass before it may be deployed, in order, in one call.</summary>
public static class FullGauntletBuilderExtensions
{
    /// <summary>
    /// Adds the whole gauntlet: <c>compile</c> (for source; an object skips it), <c>static</c>, <c>kernel-verifier</c>
    /// (loaded in a sched_ext guest), <c>sandbox</c> (attached under load, then detached) and <c>performance</c> (its
    /// target workload side by side with EEVDF; a candidate without a target workload passes it with nothing measured).
    /// The kernel stages resolve the sandbox from the service provider (<c>AddSchedCPKernel()</c>) unless given here.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="configureCompile">Adjusts the compile stage.</param>
    /// <param name="configurePerformance">Adjusts the performance gate's rule and repeats.</param>
    /// <param name="trials">The trial runner; null to resolve it at build time.</param>
    /// <param name="sandbox">The sandbox for the performance gate; null to resolve it at build time.</param>
    /// <param name="workloads">The workload runner; null to resolve it at build time.</param>
    /// <returns>The builder.</returns>
    public static VerifierPipelineBuilder UseFullGauntlet(
        this VerifierPipelineBuilder builder,
        Action<ClangCompileOptions>? configureCompile = null,
        Action<PerformanceGateOptions>? configurePerformance = null,
        SchedulerTrialRunner? trials = null,
        ISandboxRunner? sandbox = null,
        WorkloadRunner? workloads = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .UseCompile(configureCompile)
            .UseStaticAnalysis()
            .UseKernelVerifier(trials)
            .UseSandboxRun(trials: trials)
            .UsePerformanceGate(configurePerformance, sandbox, workloads);
    }
}
