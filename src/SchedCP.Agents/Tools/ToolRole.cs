namespace SchedCP.Agents;

/// <summary>Which tools a caller gets from <see cref="SchedulerToolbox.Functions"/>: each agent role only its own.</summary>
public enum ToolRole
{
    /// <summary>Read the repository and the history, compose from primitives, verify a source, submit a patch.</summary>
    Planning,

    /// <summary>Read a policy, verify a source, submit a patch, run a trial, compare with EEVDF.</summary>
    Execution,

    /// <summary>Read and record feedback.</summary>
    Learning,

    /// <summary>Every tool: the MCP server's surface.</summary>
    All,
}
