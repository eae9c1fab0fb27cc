using SchedCP.Console.Feed;

namespace SchedCP.Console.Api;

/// <summary>An agent as the API shows it.</summary>
/// <param name="Runtime">The runtime it runs in.</param>
/// <param name="Id">The agent.</param>
/// <param name="State">Created, Ready, Waiting, Running, Paused, Completed, Failed or Terminated.</param>
/// <param name="FailureReason">Why it failed, if it did.</param>
/// <param name="Changes">How many file changes its change set holds.</param>
public sealed record AgentDto(string Runtime, string Id, string State, string? FailureReason, int Changes);

/// <summary>A lease: who holds which work units.</summary>
/// <param name="LeaseId">The lease.</param>
/// <param name="Holder">The agent holding it.</param>
/// <param name="Claims">The claims, e.g. <c>exclusive file:src/a.c</c>.</param>
/// <param name="FencingToken">Its fencing token.</param>
/// <param name="ExpiresAt">When it expires unless renewed.</param>
public sealed record LeaseDto(long LeaseId, string Holder, IReadOnlyList<string> Claims, long FencingToken, DateTimeOffset ExpiresAt);

/// <summary>A waiting claim, in FIFO order.</summary>
/// <param name="Position">Its place in the queue, 1 first.</param>
/// <param name="RequestId">The request.</param>
/// <param name="Holder">The agent waiting.</param>
/// <param name="Claims">What it waits for.</param>
/// <param name="EnqueuedAt">When it started waiting.</param>
public sealed record WaiterDto(int Position, long RequestId, string Holder, IReadOnlyList<string> Claims, DateTimeOffset EnqueuedAt);

/// <summary>A runtime's work units: holders and queues.</summary>
/// <param name="Runtime">The runtime.</param>
/// <param name="Leases">Live leases.</param>
/// <param name="Waiters">Waiting claims in FIFO order.</param>
public sealed record LocksDto(string Runtime, IReadOnlyList<LeaseDto> Leases, IReadOnlyList<WaiterDto> Waiters);

/// <summary>An agent run kept in a runtime state file or database (this process's, an earlier one's, or a killed one's).</summary>
/// <param name="Runtime">The runtime that ran it.</param>
/// <param name="Agent">The agent.</param>
/// <param name="State">Its last recorded state; a run whose process died keeps the state it was in.</param>
/// <param name="FailureReason">Why it failed, if it did.</param>
/// <param name="ChangeSetStatus">Applied or Reverted.</param>
/// <param name="Changes">Its file changes as unified diffs.</param>
/// <param name="UpdatedAt">When the record last changed.</param>
public sealed record StoredRunDto(string Runtime, string Agent, string State, string? FailureReason, string ChangeSetStatus, IReadOnlyList<FileChangeDto> Changes, DateTimeOffset UpdatedAt);

/// <summary>An artifact kept in a runtime state file or database, without its content.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Kind">Diff, ProcessOutput, Message or Data.</param>
/// <param name="Producer">The agent that produced it.</param>
/// <param name="Subject">What it is about.</param>
/// <param name="MediaType">The content's media type.</param>
/// <param name="Length">The content's length in characters.</param>
/// <param name="CreatedAt">When it was produced.</param>
public sealed record StoredArtifactDto(string Id, string Kind, string Producer, string Subject, string MediaType, int Length, DateTimeOffset CreatedAt);

/// <summary>One file change of a change set.</summary>
/// <param name="Path">The file.</param>
/// <param name="Diff">The unified diff.</param>
/// <param name="FencingToken">The token the write presented.</param>
public sealed record FileChangeDto(string Path, string Diff, long FencingToken);

/// <summary>An agent's change set.</summary>
/// <param name="Runtime">The runtime.</param>
/// <param name="Agent">The agent.</param>
/// <param name="Status">Applied or reverted.</param>
/// <param name="Changes">The changes in order.</param>
public sealed record ChangeSetDto(string Runtime, string Agent, string Status, IReadOnlyList<FileChangeDto> Changes);

/// <summary>One task of a DAG.</summary>
/// <param name="Id">The task.</param>
/// <param name="State">Its state.</param>
/// <param name="DependsOn">Tasks it waits for.</param>
/// <param name="Critical">Whether it is on the critical path.</param>
/// <param name="Attempts">Attempts so far.</param>
/// <param name="Pool">Where it is placed, if it is.</param>
/// <param name="Cost">The placement's cost, if placed.</param>
public sealed record DagTaskDto(string Id, string State, IReadOnlyList<string> DependsOn, bool Critical, int Attempts, string? Pool, decimal? Cost);

/// <summary>An orchestrator's DAG with its critical path and budget.</summary>
/// <param name="Id">The orchestrator's id in the console.</param>
/// <param name="Dag">The DAG's own id, or null before one is submitted.</param>
/// <param name="CriticalPathSeconds">The critical path's length.</param>
/// <param name="Tasks">The tasks.</param>
/// <param name="Spent">Money spent.</param>
/// <param name="Committed">Money committed to running placements.</param>
/// <param name="RemainingEstimate">Estimated cost of what is left.</param>
/// <param name="Limit">The budget, if any.</param>
/// <param name="OverBudget">Whether the projection exceeds the budget.</param>
/// <param name="Ticks">Scheduling ticks so far.</param>
public sealed record DagDto(string Id, string? Dag, double CriticalPathSeconds, IReadOnlyList<DagTaskDto> Tasks, decimal Spent, decimal Committed, decimal RemainingEstimate, decimal? Limit, bool OverBudget, long Ticks);

/// <summary>A run in the list of runs.</summary>
/// <param name="Id">The run.</param>
/// <param name="Events">How many events it has.</param>
/// <param name="Live">Whether it is still running.</param>
/// <param name="Diverged">Whether a replay of it diverged.</param>
public sealed record RunSummaryDto(string Id, int Events, bool Live, bool Diverged);

/// <summary>A recorded event.</summary>
/// <param name="Sequence">Its number in the log.</param>
/// <param name="Timestamp">When.</param>
/// <param name="Kind">What kind.</param>
/// <param name="AgentId">The agent, if any.</param>
/// <param name="Subject">What it concerns.</param>
/// <param name="Output">Its recorded result, if any (cut to 2 KiB).</param>
public sealed record EventDto(long Sequence, DateTimeOffset Timestamp, string Kind, string? AgentId, string Subject, string? Output);

/// <summary>A replay step: the run's state after <paramref name="Step"/> events.</summary>
/// <param name="Run">The run.</param>
/// <param name="Step">Events applied.</param>
/// <param name="Total">Events in the run.</param>
/// <param name="Current">The last event applied.</param>
/// <param name="Agents">Agent states.</param>
/// <param name="Leases">Leases held.</param>
/// <param name="Waiters">Claims waiting, FIFO.</param>
/// <param name="Diverged">Whether the step is at or past a replay's divergence.</param>
/// <param name="DivergenceStep">The step of the divergence, if any.</param>
/// <param name="Divergence">The divergence described, if any.</param>
public sealed record ReplayStepDto(string Run, int Step, int Total, EventDto? Current, IReadOnlyDictionary<string, string> Agents, IReadOnlyList<Replay.TimelineLease> Leases,
    IReadOnlyList<Replay.TimelineWaiter> Waiters, bool Diverged, int? DivergenceStep, string? Divergence);

/// <summary>The optional body of a lifecycle action.</summary>
/// <param name="Reason">Why, for the audit log (at most 500 characters).</param>
public sealed record ActionRequest(string? Reason);

/// <summary>The answer to a lifecycle action.</summary>
/// <param name="Runtime">The runtime.</param>
/// <param name="Agent">The agent.</param>
/// <param name="Action">pause, resume or terminate.</param>
/// <param name="State">The agent's state when the command was queued (it takes effect at the next scheduling point).</param>
public sealed record ActionResult(string Runtime, string Agent, string Action, string State);

/// <summary>A refusal: what was wrong and what to do.</summary>
/// <param name="Error">The reason.</param>
public sealed record ErrorDto(string Error);

/// <summary>Everything the loops page shows for one loop.</summary>
/// <param name="Loop">The loop.</param>
public sealed record LoopDto(OptimizationLoopView Loop);
