using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SchedCP.Kernel.Analysis;

/// <summary>
/// Watches KPIs and calls back when performance drops: register a <see cref="KpiThreshold"/> with a sink (an
/// in-process delegate or a loopback webhook), then feed values with <see cref="ObserveAsync"/> or let
/// <see cref="Start"/> poll a source on the <see cref="TimeProvider"/>. Each registration raises one
/// <see cref="KpiAlertKind.Degraded"/> per drop and one <see cref="KpiAlertKind.Recovered"/> once the value is back past the
/// hysteresis margin. A failing sink is logged and does not stop the monitor.
/// </summary>
public sealed class KpiMonitor : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<Registration> _registrations = [];
    private readonly List<ITimer> _timers = [];

    /// <summary>Creates a monitor.</summary>
    /// <param name="timeProvider">The clock for alert times, sustain windows and polling.</param>
    /// <param name="logger">Logger.</param>
    public KpiMonitor(TimeProvider? timeProvider = null, ILogger<KpiMonitor>? logger = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Registers a threshold and where its alerts go; dispose the result to unregister.</summary>
    /// <param name="threshold">The threshold.</param>
    /// <param name="sink">The sink.</param>
    public IDisposable Register(KpiThreshold threshold, IKpiAlertSink sink)
    {
        ArgumentNullException.ThrowIfNull(threshold);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentOutOfRangeException.ThrowIfNegative(threshold.Hysteresis);
        var registration = new Registration(this, threshold, sink);
        lock (_gate)
        {
            _registrations.Add(registration);
        }

        return registration;
    }

    /// <summary>Registers a threshold with an in-process callback.</summary>
    /// <param name="threshold">The threshold.</param>
    /// <param name="callback">Called with each alert.</param>
    public IDisposable Register(KpiThreshold threshold, Action<KpiAlert> callback) => Register(threshold, new DelegateKpiAlertSink(callback));

    /// <summary>Judges one value of <paramref name="kpi"/> against every threshold on it and delivers the alerts it raises.</summary>
    /// <param name="kpi">The KPI's name.</param>
    /// <param name="value">Its current value.</param>
    /// <param name="cancellationToken">Cancels delivery.</param>
    /// <returns>The alerts raised.</returns>
    public async Task<IReadOnlyList<KpiAlert>> ObserveAsync(string kpi, double value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kpi);
        var now = _time.GetUtcNow();
        var raised = new List<(KpiAlert Alert, IKpiAlertSink Sink)>();
        lock (_gate)
        {
            foreach (var r in _registrations)
            {
                if (r.Threshold.Kpi == kpi && r.Judge(value, now) is { } alert)
                {
                    raised.Add((alert, r.Sink));
                }
            }
        }

        foreach (var (alert, sink) in raised)
        {
            AnalysisLog.Alert(_logger, alert.Kind, alert.Kpi, alert.Value, alert.Threshold.Threshold);
            try
            {
                await sink.DeliverAsync(alert, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                AnalysisLog.SinkFailed(_logger, alert.Kpi, e);
            }
        }

        return raised.Select(r => r.Alert).ToArray();
    }

    /// <summary>
    /// Polls <paramref name="source"/> every <paramref name="period"/> on the monitor's clock and observes every KPI it
    /// returns. A source that throws is logged and polled again next period. Dispose the result to stop.
    /// </summary>
    /// <param name="source">Returns current KPI values by name.</param>
    /// <param name="period">Time between polls.</param>
    public IDisposable Start(Func<CancellationToken, ValueTask<IReadOnlyDictionary<string, double>>> source, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        var busy = 0;
        var timer = _time.CreateTimer(_ =>
        {
            // A slow source or sink skips ticks instead of piling them up.
            if (Interlocked.Exchange(ref busy, 1) == 1)
            {
                return;
            }

            _ = PollAsync();
        }, null, period, period);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        return timer;

        async Task PollAsync()
        {
            try
            {
                var values = await source(CancellationToken.None).ConfigureAwait(false);
                foreach (var (kpi, value) in values)
                {
                    await ObserveAsync(kpi, value).ConfigureAwait(false);
                }
            }
            catch (Exception e)
            {
                AnalysisLog.SourceFailed(_logger, e);
            }
            finally
            {
                Volatile.Write(ref busy, 0);
            }
        }
    }

    /// <summary>Stops every poll started with <see cref="Start"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var t in _timers)
            {
                t.Dispose();
            }

            _timers.Clear();
        }
    }

    private sealed class Registration(KpiMonitor owner, KpiThreshold threshold, IKpiAlertSink sink) : IDisposable
    {
        private bool _alerting;
        private DateTimeOffset? _worseSince;

        public KpiThreshold Threshold { get; } = threshold;

        public IKpiAlertSink Sink { get; } = sink;

        public KpiAlert? Judge(double value, DateTimeOffset now)
        {
            if (double.IsNaN(value))
            {
                return null;
            }

            if (_alerting)
            {
                if (!Threshold.HasRecovered(value))
                {
                    return null;
                }

                _alerting = false;
                _worseSince = null;
                return new KpiAlert(KpiAlertKind.Recovered, Threshold.Kpi, value, Threshold, now);
            }

            if (!Threshold.IsWorse(value))
            {
                _worseSince = null;
                return null;
            }

            _worseSince ??= now;
            if (now - _worseSince.Value < Threshold.SustainFor)
            {
                return null;
            }

            _alerting = true;
            return new KpiAlert(KpiAlertKind.Degraded, Threshold.Kpi, value, Threshold, now);
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._registrations.Remove(this);
            }
        }
    }
}
