using Microsoft.Extensions.AI;

namespace SchedCP.Agents;

/// <summary>
/// Checks the budget before every model call and records its usage and price in a <see cref="CostLedger"/> against
/// one stage; a spent budget stops the call with <see cref="BudgetExhaustedException"/>.
/// </summary>
/// <param name="inner">The model.</param>
/// <param name="ledger">Where usage goes.</param>
/// <param name="stage">The stage the calls belong to.</param>
internal sealed class CostRecordingChatClient(IChatClient inner, CostLedger ledger, string stage) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ledger.EnsureWithinBudget(stage);
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        ledger.RecordCall(stage, response.Usage, response.ModelId);
        return response;
    }
}
