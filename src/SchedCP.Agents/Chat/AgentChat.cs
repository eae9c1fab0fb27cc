using Microsoft.Extensions.AI;

namespace SchedCP.Agents;

/// <summary>The model as one role sees it: tool calls invoked automatically, every underlying call costed.</summary>
internal static class AgentChat
{
    public static IChatClient For(IChatClient model, CostLedger ledger, string stage) =>
        new ChatClientBuilder(model)
            .UseFunctionInvocation(configure: f =>
            {
                f.MaximumIterationsPerRequest = 8;
                // The tools' refusals name the argument and what to do: the model needs that text to correct itself.
                f.IncludeDetailedErrors = true;
            })
            .Use(inner => new CostRecordingChatClient(inner, ledger, stage))
            .Build();
}
