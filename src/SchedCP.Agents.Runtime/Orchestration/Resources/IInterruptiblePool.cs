namespace SchedCP.Agents.Runtime.Orchestration.Resources;

/// <summary>A pool whose capacity can vanish under a running task (spot instances).</summary>
public interface IInterruptiblePool : IResourcePool
{
    /// <summary>Removes an instance and everything on it.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <returns>Whether it existed.</returns>
    bool Interrupt(string instanceId);
}
