namespace SchedCP.Repository;

/// <summary>
/// One measured run of a workload under a scheduler. Runs of one measurement session share a <see cref="SessionId"/>;
/// the EEVDF baseline of that session is recorded as runs with <see cref="IsBaseline"/> set, so every improvement is a
/// ratio against a baseline measured under the same conditions.
/// </summary>
/// <param name="RunId">Unique id of the run.</param>
/// <param name="WorkloadFingerprint">The workload profile's fingerprint.</param>
/// <param name="PolicyName">The policy that scheduled the run; <see cref="BaselinePolicyName"/> for the baseline.</param>
/// <param name="Parameters">The validated parameter values the policy ran with.</param>
/// <param name="SessionId">The measurement session (same machine, same boot, same load) the run belongs to.</param>
/// <param name="Repeat">The repeat index within the session, from 0.</param>
/// <param name="IsBaseline">Whether this is a run of the kernel's default scheduler.</param>
/// <param name="Metrics">What was measured.</param>
/// <param name="RecordedAt">When the run finished.</param>
public sealed record RunRecord(
    string RunId,
    string WorkloadFingerprint,
    string PolicyName,
    IReadOnlyDictionary<string, string> Parameters,
    string SessionId,
    int Repeat,
    bool IsBaseline,
    RunMetrics Metrics,
    DateTimeOffset RecordedAt)
{
    /// <summary>The policy name baseline runs carry: the kernel's EEVDF fair scheduler.</summary>
    public const string BaselinePolicyName = "eevdf";

    /// <summary>A stable text key of <see cref="Parameters"/> (sorted <c>name=value</c> pairs), grouping runs of one configuration.</summary>
    public string ParametersKey => string.Join(",", Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
}
