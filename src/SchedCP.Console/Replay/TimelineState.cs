using SchedCP.Agents.Runtime.Replay;

namespace SchedCP.Console.Replay;

/// <summary>What a recorded run looked like after a given event: the step the replay page shows.</summary>
/// <param name="Step">How many events have been applied (0 = before the first).</param>
/// <param name="Total">How many events the run has.</param>
/// <param name="Current">The last event applied, or null at step 0.</param>
/// <param name="Agents">Each agent's state, in the order agents appeared.</param>
/// <param name="Leases">Live leases, oldest first.</param>
/// <param name="Waiters">Waiting claims, in queue (FIFO) order.</param>
/// <param name="Diverged">True when the step reached the event where a replay parted from the record.</param>
public sealed record TimelineState(
    int Step,
    int Total,
    RuntimeEvent? Current,
    IReadOnlyList<KeyValuePair<string, string>> Agents,
    IReadOnlyList<TimelineLease> Leases,
    IReadOnlyList<TimelineWaiter> Waiters,
    bool Diverged);

/// <summary>A lease held at a step.</summary>
/// <param name="LeaseId">The lease.</param>
/// <param name="Holder">The agent holding it.</param>
/// <param name="Claims">What it covers.</param>
public sealed record TimelineLease(long LeaseId, string Holder, string Claims);

/// <summary>A claim waiting at a step.</summary>
/// <param name="RequestId">The request.</param>
/// <param name="Holder">The agent waiting.</param>
/// <param name="Claims">What it asks for.</param>
public sealed record TimelineWaiter(long RequestId, string Holder, string Claims);
