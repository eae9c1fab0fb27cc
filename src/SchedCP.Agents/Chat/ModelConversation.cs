using Microsoft.Extensions.AI;

namespace SchedCP.Agents;

/// <summary>
/// A bounded exchange with the model for one typed answer: the reply is parsed and checked, and what was wrong goes
/// back to the model until it answers properly or the attempts run out (then the caller falls back).
/// </summary>
internal static class ModelConversation
{
    /// <summary>Asks until <paramref name="accept"/> returns no problem; null after <paramref name="attempts"/> tries.</summary>
    public static async Task<(T? Value, IReadOnlyList<string> Problems)> AskAsync<T>(
        IChatClient client,
        List<ChatMessage> messages,
        ChatOptions? options,
        int attempts,
        Func<T, CancellationToken, Task<string?>> accept,
        CancellationToken cancellationToken)
        where T : class
    {
        var problems = new List<string>();
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            ChatResponse response;
            try
            {
                response = await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException and not BudgetExhaustedException)
            {
                // A model that fails (transport, quota) is a fallback case, not a crash of the loop.
                problems.Add($"the model call failed: {e.Message}");
                return (null, problems);
            }

            messages.AddMessages(response);
            if (!AgentJson.TryRead<T>(response.Text, out var value, out var problem))
            {
                problems.Add(problem);
                messages.Add(new ChatMessage(ChatRole.User, problem));
                continue;
            }

            if (await accept(value, cancellationToken).ConfigureAwait(false) is { } refused)
            {
                problems.Add(refused);
                messages.Add(new ChatMessage(ChatRole.User, refused));
                continue;
            }

            return (value, problems);
        }

        return (null, problems);
    }
}
