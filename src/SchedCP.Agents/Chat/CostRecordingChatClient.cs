using Microsoft.Extensions.AI;

namespace SchedCP.Agents;

/// <summary>Records every model call's usage in a <see cref="CostLedger"/> against one stage.</summary>
/// <param name="inner">The model.</param>
/// <param name="ledger">Where usage goes.</param>
/// <param name="stage">The stage the calls belong to.</param>
internal sealed class CostRecordingChatClient(IChatClient inner, CostLedger ledger, string stage) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        ledger.RecordCall(stage, response.Usage);
        return response;
    }
}
