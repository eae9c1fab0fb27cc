namespace SchedCP.Agents.Tests;

/// <summary>Tests that measure real processes on the host run alone, not beside other tests on the same cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostTimingGroup
{
    public const string Name = "host-timing";
}
