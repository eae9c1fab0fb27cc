namespace SchedCP.Agents.Runtime.Orchestration.Dags;

/// <summary>The kinds of capacity a task can run on; a task lists an estimate for each kind it can use.</summary>
public enum ResourceKind
{
    /// <summary>The local machine: CPU, memory and sandbox VM slots.</summary>
    Local,
    /// <summary>Cloud instances, on spot or on-demand pricing.</summary>
    Cloud,
    /// <summary>A rate-limited API (a model endpoint, a build service).</summary>
    Api,
    /// <summary>People, with working hours.</summary>
    Human,
}
