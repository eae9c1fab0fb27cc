namespace SchedCP.Kernel.Tests.Analysis;

/// <summary>
/// Tests that classify real processes observed through procfs polling run alone: beside other tests on a 2-core
/// machine the poller is starved, misses short-lived processes and undercounts CPU time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostTimingGroup
{
    public const string Name = "host-timing";
}
