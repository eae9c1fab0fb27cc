namespace SchedCP.Kernel.Analysis;

/// <summary>
/// When a <see cref="KpiMonitor"/> raises an alert: the KPI is worse than <see cref="Threshold"/> (above it for
/// lower-is-better KPIs, below for higher-is-better) for at least <see cref="SustainFor"/>. It recovers, and re-arms,
/// only once it is better than the threshold by <see cref="Hysteresis"/>, so a KPI hovering at the line alerts once.
/// </summary>
/// <param name="Kpi">The KPI's name.</param>
/// <param name="Direction">Which way is better.</param>
/// <param name="Threshold">The line.</param>
/// <param name="Hysteresis">The margin back past the line before recovery (≥ 0, same unit).</param>
public sealed record KpiThreshold(string Kpi, KpiDirection Direction, double Threshold, double Hysteresis)
{
    /// <summary>How long the KPI must stay worse before the alert fires; zero fires on the first bad value.</summary>
    public TimeSpan SustainFor { get; init; } = TimeSpan.Zero;

    internal bool IsWorse(double value) => Direction == KpiDirection.LowerIsBetter ? value > Threshold : value < Threshold;

    internal bool HasRecovered(double value) =>
        Direction == KpiDirection.LowerIsBetter ? value <= Threshold - Hysteresis : value >= Threshold + Hysteresis;
}
