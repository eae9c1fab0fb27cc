namespace SchedCP.Kernel.Analysis;

/// <summary>Whether an alert reports a drop or the recovery from it.</summary>
public enum KpiAlertKind
{
    /// <summary>The KPI crossed its threshold the wrong way (and stayed there for the sustain time).</summary>
    Degraded,

    /// <summary>The KPI came back past the threshold by the hysteresis margin.</summary>
    Recovered,
}

/// <summary>An event from a <see cref="KpiMonitor"/>.</summary>
/// <param name="Kind">Drop or recovery.</param>
/// <param name="Kpi">The KPI's name.</param>
/// <param name="Value">The value that triggered it.</param>
/// <param name="Threshold">The threshold it was judged against.</param>
/// <param name="At">When, by the monitor's clock.</param>
public sealed record KpiAlert(KpiAlertKind Kind, string Kpi, double Value, KpiThreshold Threshold, DateTimeOffset At);
