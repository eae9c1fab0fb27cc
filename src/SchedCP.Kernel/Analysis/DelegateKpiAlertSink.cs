namespace SchedCP.Kernel.Analysis;

/// <summary>Delivers alerts to an in-process callback.</summary>
/// <param name="callback">Called with each alert.</param>
internal sealed class DelegateKpiAlertSink(Func<KpiAlert, CancellationToken, ValueTask> callback) : IKpiAlertSink
{
    private readonly Func<KpiAlert, CancellationToken, ValueTask> _callback = callback ?? throw new ArgumentNullException(nameof(callback));

    /// <summary>Wraps a synchronous callback.</summary>
    /// <param name="callback">Called with each alert.</param>
    public DelegateKpiAlertSink(Action<KpiAlert> callback)
        : this((a, _) => { callback(a); return ValueTask.CompletedTask; })
    {
        ArgumentNullException.ThrowIfNull(callback);
    }

    /// <inheritdoc />
    public ValueTask DeliverAsync(KpiAlert alert, CancellationToken cancellationToken) => _callback(alert, cancellationToken);
}
