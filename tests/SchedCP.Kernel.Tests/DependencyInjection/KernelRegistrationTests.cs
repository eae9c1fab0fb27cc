using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SchedCP.Kernel.Capabilities;
using SchedCP.Kernel.Metrics;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.SchedExt;
using SchedCP.Kernel.Supervision;
using SchedCP.Kernel.Trials;

namespace SchedCP.Kernel.Tests.DependencyInjection;

public sealed class KernelRegistrationTests
{
    [Fact]
    public void AddSchedCPKernel_registers_every_service_of_the_package()
    {
        using var sp = new ServiceCollection().AddLogging().AddSchedCPKernel().Services.BuildServiceProvider();

        Assert.IsType<SandboxRunner>(sp.GetRequiredService<ISandboxRunner>());
        Assert.NotNull(sp.GetRequiredService<SchedulerTrialRunner>());
        Assert.NotNull(sp.GetRequiredService<SchedExtState>());
        Assert.NotNull(sp.GetRequiredService<CapabilityProbe>());
        Assert.IsType<SchedulerSupervisor>(sp.GetRequiredService<ISchedulerSupervisor>());
        Assert.NotNull(sp.GetRequiredService<ProcStatCollector>());
    }

    [Fact]
    public void Invalid_sandbox_option_fails_naming_the_field()
    {
        using var sp = new ServiceCollection().AddSchedCPKernel(o => o.CpuCount = 0).Services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<SandboxOptions>>().Value);
        Assert.Contains("CpuCount", ex.Message, StringComparison.Ordinal);
    }
}
