namespace SchedCP.Repository;

/// <summary>
/// The few lines a search returns per policy; call <c>GetPolicyAsync</c> for the full <see cref="SchedulerPolicy"/>.
/// </summary>
/// <param name="Name">The policy name.</param>
/// <param name="Kind">How it runs.</param>
/// <param name="Lifecycle">Where it is in its life.</param>
/// <param name="Headline">The first sentence of the description.</param>
/// <param name="UseCases">Up to four use-case tags.</param>
/// <param name="ParameterCount">How many typed parameters it accepts.</param>
/// <param name="Modes">The modes it has presets for.</param>
/// <param name="Score">The fused search score (higher is better; only comparable within one search).</param>
public sealed record PolicySummary(
    string Name,
    PolicyKind Kind,
    PolicyLifecycle Lifecycle,
    string Headline,
    IReadOnlyList<string> UseCases,
    int ParameterCount,
    IReadOnlyList<SchedulerMode> Modes,
    double Score)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name} [{Kind}, {Lifecycle}] {Headline} (use: {string.Join(", ", UseCases)}; {ParameterCount} parameters)";
}
