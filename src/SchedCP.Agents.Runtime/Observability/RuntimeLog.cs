using Microsoft.Extensions.Logging;

namespace SchedCP.Agents.Runtime.Observability;

/// <summary>Source-generated log messages; event ids 3000-3099 belong to the agent runtime.</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Agent {AgentId} is {State}")]
    public static partial void AgentStateChanged(this ILogger logger, string agentId, string state);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Agent {AgentId} failed: {Reason}")]
    public static partial void AgentFailed(this ILogger logger, string agentId, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Tool call {Tool} of agent {AgentId} refused: {Reason}")]
    public static partial void ToolRefused(this ILogger logger, string tool, string agentId, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "{Divergence}")]
    public static partial void ReplayDiverged(this ILogger logger, string divergence);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Reverted the change set of failed agent {AgentId}: {Outcome}")]
    public static partial void ChangeSetReverted(this ILogger logger, string agentId, string outcome);
}
