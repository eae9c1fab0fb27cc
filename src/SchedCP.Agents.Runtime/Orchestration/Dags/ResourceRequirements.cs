namespace SchedCP.Agents.Runtime.Orchestration.Dags;

/// <summary>What a task needs while it runs; each pool checks the parts it provides.</summary>
/// <param name="Cpu">CPU cores (local machine, cloud instance).</param>
/// <param name="MemoryGb">Memory in GB (local machine, cloud instance).</param>
/// <param name="SandboxVms">Sandbox VM slots on the local machine.</param>
/// <param name="ApiCalls">Tokens taken from an API's rate-limit bucket.</param>
public sealed record ResourceRequirements(int Cpu = 1, double MemoryGb = 0, int SandboxVms = 0, int ApiCalls = 1)
{
    /// <summary>One core, no memory reservation, one API call.</summary>
    public static ResourceRequirements Default { get; } = new();
}
