using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.Replay;

namespace SchedCP.Agents.Runtime.DependencyInjection;

/// <summary>Creates runtimes from the registered options, clock, model and logging: one runtime per run.</summary>
/// <param name="options">The validated options.</param>
/// <param name="timeProvider">The clock.</param>
/// <param name="loggerFactory">Logging.</param>
/// <param name="chatClient">The model, when one is registered.</param>
public sealed class AgentRuntimeFactory(IOptions<AgentRuntimeOptions> options, TimeProvider timeProvider, ILoggerFactory loggerFactory, IChatClient? chatClient = null)
{
    /// <summary>A runtime that records to the configured event log.</summary>
    /// <param name="eventLog">Overrides the configured log.</param>
    /// <returns>The runtime.</returns>
    public AgentRuntime Create(IEventLog? eventLog = null) => new(options.Value, timeProvider, eventLog, chatClient, loggerFactory);

    /// <summary>A runtime that replays a recorded log.</summary>
    /// <param name="recorded">The recorded events.</param>
    /// <returns>The runtime.</returns>
    public AgentRuntime CreateReplay(IReadOnlyList<RuntimeEvent> recorded) => AgentRuntime.ForReplay(options.Value, recorded, loggerFactory);
}
