using Microsoft.Extensions.AI;

namespace SchedCP.Agents.Tests;

/// <summary>
/// The only stand-in for a model: replies from a script, one step per call, and keeps every conversation it was
/// sent so a test can check what the agent told the model (tool results, verifier findings).
/// </summary>
internal sealed class ScriptedChatClient : IChatClient
{
    private readonly Queue<Func<IReadOnlyList<ChatMessage>, ChatResponse>> _steps = new();

    public List<IReadOnlyList<ChatMessage>> Calls { get; } = [];

    public ScriptedChatClient Reply(string text, int inputTokens = 100, int outputTokens = 20, string? modelId = null)
    {
        _steps.Enqueue(_ => new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { Usage = Usage(inputTokens, outputTokens), ModelId = modelId });
        return this;
    }

    public ScriptedChatClient CallTool(string name, Dictionary<string, object?> arguments)
    {
        _steps.Enqueue(_ => new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-" + Guid.NewGuid().ToString("N")[..8], name, arguments)]))
        {
            Usage = Usage(50, 10),
        });
        return this;
    }

    /// <summary>Answers with whatever <paramref name="reply"/> makes of the conversation so far (for example, a repair from the log it was sent).</summary>
    public ScriptedChatClient ReplyFrom(Func<IReadOnlyList<ChatMessage>, string> reply)
    {
        _steps.Enqueue(conversation => new ChatResponse(new ChatMessage(ChatRole.Assistant, reply(conversation))) { Usage = Usage(100, 20) });
        return this;
    }

    public ScriptedChatClient Fail(string message)
    {
        _steps.Enqueue(_ => throw new HttpRequestException(message));
        return this;
    }

    public int Remaining => _steps.Count;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var conversation = messages.ToList();
        Calls.Add(conversation);
        if (!_steps.TryDequeue(out var step))
        {
            throw new InvalidOperationException("The script ran out: the agent called the model more often than expected.");
        }

        return Task.FromResult(step(conversation));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The agents do not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private static UsageDetails Usage(int input, int output) => new() { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
}
