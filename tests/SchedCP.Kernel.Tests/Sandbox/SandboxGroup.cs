namespace SchedCP.Kernel.Tests.Sandbox;

/// <summary>Sandbox tests share the machine's two cores: they run one guest at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SandboxGroup
{
    public const string Name = "sandbox";
}
