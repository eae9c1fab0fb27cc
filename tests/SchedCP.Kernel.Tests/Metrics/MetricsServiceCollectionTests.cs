using Microsoft.Extensions.DependencyInjection;
using SchedCP.Kernel.Metrics;

namespace SchedCP.Kernel.Tests.Metrics;

public sealed class MetricsServiceCollectionTests
{
    [Fact]
    public void Registered_collectors_read_under_the_configured_root()
    {
        using var root = RecordedProc.Root(("proc/loadavg", RecordedProc.Text("host-loadavg.txt")));
        using var provider = new ServiceCollection().AddSchedCPMetrics(o => o.ProcRoot = root.Path).BuildServiceProvider();

        var load = provider.GetRequiredService<LoadAverageCollector>().Capture();

        Assert.Equal(10UL, load.Value!.Runnable);
        Assert.StartsWith(root.Path, provider.GetRequiredService<ProcStatCollector>().FilePath, StringComparison.Ordinal);
        Assert.NotNull(provider.GetRequiredService<PerfStatRunner>());
    }
}
