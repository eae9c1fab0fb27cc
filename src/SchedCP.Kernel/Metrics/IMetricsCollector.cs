using SchedCP.Core.Results;

namespace SchedCP.Kernel.Metrics;

/// <summary>Takes a snapshot of one kernel statistics source. Implementations are thread-safe.</summary>
/// <typeparam name="TSnapshot">The snapshot type.</typeparam>
internal interface IMetricsCollector<TSnapshot>
{
    /// <summary>Reads the source now.</summary>
    /// <returns>The snapshot, or why there is none (file absent on this kernel, unreadable, malformed).</returns>
    Outcome<TSnapshot, MetricsFailure> Capture();
}
