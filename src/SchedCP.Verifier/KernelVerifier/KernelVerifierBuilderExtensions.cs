using SchedCP.Kernel.Trials;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.Verifier.KernelVerifier;

/// <summary>Adds the kernel-verifier stage to a pipeline.</summary>
public static class KernelVerifierBuilderExtensions
{
    /// <summary>Adds the <c>kernel-verifier</c> stage; the <see cref="SchedulerTrialRunner"/> comes from <paramref name="trials"/> or the service provider (<c>AddSchedCPKernel()</c>).</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="trials">The trial runner; null to resolve it at build time.</param>
    /// <returns>The builder.</returns>
    public static VerifierPipelineBuilder UseKernelVerifier(this VerifierPipelineBuilder builder, SchedulerTrialRunner? trials = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(sp => new KernelVerifierStage(
            trials ?? sp?.GetService(typeof(SchedulerTrialRunner)) as SchedulerTrialRunner ?? throw new InvalidOperationException("The kernel-verifier stage needs a SchedulerTrialRunner: call services.AddSchedCPKernel() or pass one to UseKernelVerifier()."),
            sp?.GetService(typeof(TimeProvider)) as TimeProvider));
    }
}
