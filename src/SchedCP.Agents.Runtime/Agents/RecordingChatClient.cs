using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using SchedCP.Agents.Runtime.Orchestration.Memory;
using SchedCP.Agents.Runtime.Replay;

namespace SchedCP.Agents.Runtime.Agents;

/// <summary>
/// Wraps an agent's <see cref="IChatClient"/> so every model call is recorded (messages in, response out);
/// during replay the recorded response is returned and the model is not called.
/// </summary>
internal sealed class RecordingChatClient(IChatClient inner, EventRecorder recorder, string agentId, AgentMemoryStore? memory = null) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var input = JsonSerializer.Serialize(list.Select(m => new { role = m.Role.Value, text = m.Text }), JsonLinesEventLog.Json);
        ChatResponse? live = null;
        if (!recorder.Replaying)
        {
            live = await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        }

        var output = recorder.Result(RuntimeEventKinds.ModelCall, agentId, "chat", input,
            () => JsonSerializer.Serialize(live, AIJsonUtilities.DefaultOptions));
        recorder.ThrowIfDiverged();
        var response = live ?? JsonSerializer.Deserialize<ChatResponse>(output ?? "null", AIJsonUtilities.DefaultOptions) ?? new ChatResponse();
        if (response.Usage is { } usage && memory is not null)
        {
            memory.AddTokens(agentId, usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0);
        }

        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Streamed calls are recorded whole, so a replay yields the same updates.
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }
}
