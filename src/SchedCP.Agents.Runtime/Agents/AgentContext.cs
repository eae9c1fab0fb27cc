using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using SchedCP.Agents.Runtime.Artifacts;
using SchedCP.Agents.Runtime.Leases;
using SchedCP.Agents.Runtime.Observability;
using SchedCP.Agents.Runtime.Orchestration.Memory;
using SchedCP.Agents.Runtime.Replay;
using SchedCP.Agents.Runtime.Tools;
using SchedCP.Agents.Runtime.WorkUnits;
using SchedCP.Core.Results;

namespace SchedCP.Agents.Runtime.Agents;

/// <summary>
/// An agent's only handle on the world: claims, tool calls, artifacts, time, randomness and the model all go
/// through here and are recorded. Agents share nothing else.
/// </summary>
public sealed class AgentContext
{
    private readonly AgentRuntime _runtime;
    private readonly AgentRun _run;
    private readonly EventRecorder _recorder;

    internal AgentContext(AgentRuntime runtime, AgentRun run, EventRecorder recorder, IChatClient? chatClient)
    {
        _runtime = runtime;
        _run = run;
        _recorder = recorder;
        ChatClient = chatClient is null && !recorder.Replaying ? null : new RecordingChatClient(chatClient ?? new NoModelChatClient(), recorder, run.Id, runtime.Memory);
    }

    /// <summary>The agent's id.</summary>
    public string AgentId => _run.Id;

    /// <summary>The model, recorded and replayable; null when the runtime has none.</summary>
    public IChatClient? ChatClient { get; }

    /// <summary>The agent's own change set.</summary>
    public ChangeSet Changes => _run.ChangeSet;

    /// <summary>
    /// Claims work units; completes when the whole set is granted. A scheduling point: other agents run
    /// before this one continues.
    /// </summary>
    /// <param name="claims">The claims, granted together or not at all.</param>
    /// <param name="ttl">The lease TTL; null uses the runtime default.</param>
    /// <returns>The lease, or an error (deadlock, bad input, cancelled).</returns>
    public async Task<Outcome<WorkUnitLease, RuntimeError>> ClaimAsync(IReadOnlyList<Claim> claims, TimeSpan? ttl = null)
    {
        ArgumentNullException.ThrowIfNull(claims);
        _recorder.ThrowIfDiverged();
        _recorder.Emit(RuntimeEventKinds.ClaimRequested, AgentId, string.Join(", ", claims), ttl?.ToString());
        var ticket = _runtime.Locks.Request(AgentId, claims, ttl ?? _runtime.Options.DefaultLeaseTtl);
        if (!ticket.Succeeded)
        {
            _recorder.Emit(RuntimeEventKinds.ClaimRefused, AgentId, string.Join(", ", claims), output: ticket.Failure.ToString());
            return ticket.Failure;
        }

        await _runtime.EndTurnAsync(_run, waiting: ticket.Value.Waited).ConfigureAwait(false);
        return await ticket.Value.Grant.ConfigureAwait(false);
    }

    /// <summary>Renews a lease (the heartbeat).</summary>
    /// <param name="lease">The lease.</param>
    /// <returns>The renewed lease or <see cref="RuntimeErrorCode.LeaseNotFound"/>.</returns>
    public Outcome<WorkUnitLease, RuntimeError> Heartbeat(WorkUnitLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        _recorder.ThrowIfDiverged();
        return _runtime.Locks.Renew(lease.LeaseId, AgentId);
    }

    /// <summary>Releases a lease.</summary>
    /// <param name="lease">The lease.</param>
    /// <returns>The released lease or <see cref="RuntimeErrorCode.LeaseNotFound"/>.</returns>
    public Outcome<WorkUnitLease, RuntimeError> Release(WorkUnitLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        _recorder.ThrowIfDiverged();
        return _runtime.Locks.Release(lease.LeaseId, AgentId);
    }

    /// <summary>Gives other ready agents a turn before continuing.</summary>
    /// <returns>Completes when this agent has the turn again.</returns>
    public Task YieldAsync() => _runtime.EndTurnAsync(_run, waiting: false);

    /// <summary>Reads a file (needs a live lease covering it).</summary>
    /// <param name="path">Relative to the workspace root.</param>
    /// <returns>The content or an error.</returns>
    public Outcome<FileContent, RuntimeError> ReadFile(string path) =>
        Tool("read", path, path, () => _runtime.Tools.Read(AgentId, path));

    /// <summary>Writes a file (needs the current fencing token of an exclusive lease covering it).</summary>
    /// <param name="path">Relative to the workspace root.</param>
    /// <param name="content">The new content.</param>
    /// <param name="fencingToken">The lease's token.</param>
    /// <returns>The change (with its diff artifact) or an error.</returns>
    public Outcome<FileChange, RuntimeError> WriteFile(string path, string content, long fencingToken) =>
        Recorded(Tool("write", path, JsonSerializer.Serialize(new { path, content, fencingToken }, JsonLinesEventLog.Json),
            () => _runtime.Tools.Write(AgentId, path, content, fencingToken, _run.ChangeSet)));

    /// <summary>Applies a unified diff to a file, atomically; refused when its base does not match.</summary>
    /// <param name="path">Relative to the workspace root.</param>
    /// <param name="diff">The unified diff.</param>
    /// <param name="fencingToken">The lease's token.</param>
    /// <returns>The change or an error.</returns>
    public Outcome<FileChange, RuntimeError> PatchFile(string path, string diff, long fencingToken) =>
        Recorded(Tool("patch", path, JsonSerializer.Serialize(new { path, diff, fencingToken }, JsonLinesEventLog.Json),
            () => _runtime.Tools.Patch(AgentId, path, diff, fencingToken, _run.ChangeSet)));

    /// <summary>Lists a directory (needs a live lease covering it).</summary>
    /// <param name="path">Relative to the workspace root.</param>
    /// <returns>The entries or an error.</returns>
    public Outcome<IReadOnlyList<DirectoryEntry>, RuntimeError> List(string path) =>
        Tool("list", path, path, () => _runtime.Tools.List(AgentId, path));

    /// <summary>Runs a process under an exclusive lease on its process resource.</summary>
    /// <param name="request">What to run.</param>
    /// <param name="fencingToken">The lease's token.</param>
    /// <returns>The result or an error.</returns>
    public async Task<Outcome<ProcessResult, RuntimeError>> RunProcessAsync(ProcessRequest request, long fencingToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _recorder.ThrowIfDiverged();
        var input = JsonSerializer.Serialize(new { resource = request.Resource.ToString(), request.FileName, request.Arguments, request.WorkingDirectory, fencingToken }, JsonLinesEventLog.Json);
        Outcome<ProcessResult, RuntimeError>? live = null;
        using var activity = RuntimeTelemetry.Source.StartActivity("tool run");
        if (!_recorder.Replaying)
        {
            live = await _runtime.Tools.RunProcessAsync(AgentId, request, fencingToken, _run.Termination.Token).ConfigureAwait(false);
        }

        return Finish("run", request.Resource.ToString(), input, live, activity);
    }

    /// <summary>Publishes an immutable artifact other agents can read by id.</summary>
    /// <param name="kind">What it holds.</param>
    /// <param name="subject">What it is about.</param>
    /// <param name="mediaType">The media type.</param>
    /// <param name="content">The content.</param>
    /// <returns>Its id.</returns>
    public ArtifactId PublishArtifact(ArtifactKind kind, string subject, string mediaType, string content)
    {
        _recorder.ThrowIfDiverged();
        var artifact = _runtime.Artifacts.Add(Artifact.Create(kind, AgentId, subject, mediaType, content, _recorder.PeekTime()));
        _recorder.Emit(RuntimeEventKinds.ArtifactPublished, AgentId, subject, kind.ToString(), artifact.Id.Value);
        return artifact.Id;
    }

    /// <summary>The runtime's memory of every agent; update this agent's with its <see cref="AgentId"/>.</summary>
    public AgentMemoryStore Memory => _runtime.Memory;

    /// <summary>Reads an artifact by id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The artifact or <see cref="RuntimeErrorCode.ArtifactNotFound"/>.</returns>
    public Outcome<Artifact, RuntimeError> GetArtifact(ArtifactId id) => _runtime.Artifacts.Get(id);

    /// <summary>The current time, recorded so a replay sees the same value.</summary>
    /// <returns>The time.</returns>
    public DateTimeOffset GetUtcNow()
    {
        _recorder.ThrowIfDiverged();
        var text = _recorder.Result(RuntimeEventKinds.Time, AgentId, "now", null,
            () => _runtime.Clock.GetUtcNow().UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _recorder.ThrowIfDiverged();
        return new DateTimeOffset(long.Parse(text!, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero);
    }

    /// <summary>A random number in [0, <paramref name="maxExclusive"/>), from the seeded source and recorded.</summary>
    /// <param name="maxExclusive">The upper bound.</param>
    /// <returns>The number.</returns>
    public int NextRandom(int maxExclusive)
    {
        _recorder.ThrowIfDiverged();
        var text = _recorder.Result(RuntimeEventKinds.Random, AgentId, "next", maxExclusive.ToString(System.Globalization.CultureInfo.InvariantCulture),
            () => _runtime.NextRandom(maxExclusive).ToString(System.Globalization.CultureInfo.InvariantCulture));
        _recorder.ThrowIfDiverged();
        return int.Parse(text!, System.Globalization.CultureInfo.InvariantCulture);
    }

    private Outcome<T, RuntimeError> Tool<T>(string tool, string subject, string input, Func<Outcome<T, RuntimeError>> execute)
    {
        _recorder.ThrowIfDiverged();
        using var activity = RuntimeTelemetry.Source.StartActivity("tool " + tool);
        Outcome<T, RuntimeError>? live = _recorder.Replaying ? default(Outcome<T, RuntimeError>?) : execute();
        return Finish(tool, subject, input, live, activity);
    }

    private Outcome<T, RuntimeError> Finish<T>(string tool, string subject, string input, Outcome<T, RuntimeError>? live, Activity? activity)
    {
        var output = _recorder.Result(RuntimeEventKinds.ToolCall, AgentId, tool + " " + subject, input,
            () => JsonSerializer.Serialize(live!.Value, JsonLinesEventLog.Json));
        _recorder.ThrowIfDiverged();
        var result = live ?? JsonSerializer.Deserialize<Outcome<T, RuntimeError>>(output!, JsonLinesEventLog.Json);
        activity?.SetTag("schedcp.agent", AgentId);
        activity?.SetTag("schedcp.tool.outcome", result.Succeeded ? "ok" : result.Failure.Kind.ToString());
        RuntimeTelemetry.ToolCalls.Add(1, new KeyValuePair<string, object?>("tool", tool), new KeyValuePair<string, object?>("outcome", result.Succeeded ? "ok" : result.Failure.Kind.ToString()));
        if (!result.Succeeded)
        {
            _runtime.ToolRefused(tool, AgentId, result.Failure.ToString());
        }

        return result;
    }

    private Outcome<FileChange, RuntimeError> Recorded(Outcome<FileChange, RuntimeError> change)
    {
        // In a replay the world is not touched: rebuild the diff artifact and change set from the log.
        if (_recorder.Replaying && change.Succeeded)
        {
            var c = change.Value;
            _runtime.Artifacts.Add(Artifact.Create(ArtifactKind.Diff, AgentId, c.Path, "text/x-diff", c.Diff, _recorder.PeekTime()));
            _run.ChangeSet.Add(c);
        }

        return change;
    }

    private sealed class NoModelChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("No model is configured; a replay returns recorded responses only.");

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("No model is configured; a replay returns recorded responses only.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
