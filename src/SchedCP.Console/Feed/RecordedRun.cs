using SchedCP.Agents.Runtime.Replay;

namespace SchedCP.Console.Feed;

/// <summary>A run's recorded events (and, for a replay, where it diverged), for the timeline and replay pages.</summary>
/// <param name="Id">The run's id.</param>
/// <param name="Events">The events in order.</param>
/// <param name="Divergence">Where a replay of it parted from the record, or null.</param>
/// <param name="Live">True while the run is still going (events keep arriving).</param>
public sealed record RecordedRun(string Id, IReadOnlyList<RuntimeEvent> Events, ReplayDivergence? Divergence, bool Live);
