namespace SchedCP.Kernel.Analysis;

/// <summary>Where a <see cref="KpiMonitor"/> delivers alerts: an in-process delegate or a loopback webhook.</summary>
public interface IKpiAlertSink
{
    /// <summary>Delivers one alert. Failures are logged by the monitor and never stop it.</summary>
    /// <param name="alert">The alert.</param>
    /// <param name="cancellationToken">Cancels delivery.</param>
    ValueTask DeliverAsync(KpiAlert alert, CancellationToken cancellationToken);
}
