namespace SchedCP.Verifier.Canary;

/// <summary>Why a canary was rolled back.</summary>
public enum CanaryTrip
{
    /// <summary>Not tripped.</summary>
    None,

    /// <summary>The kernel ejected the scheduler: sched_ext left <c>enabled</c> or <c>root/ops</c> changed.</summary>
    Ejected,

    /// <summary>The scheduler's loader process died.</summary>
    Crashed,

    /// <summary>No observation arrived within <see cref="CanaryOptions.StallTimeout"/>: the host stopped making progress.</summary>
    Stalled,

    /// <summary>Most of the recent KPI probes were worse than the baseline by more than <see cref="CanaryOptions.MaxKpiRegression"/>.</summary>
    KpiRegression,
}

/// <summary>The thresholds of a canary, shared by the C# breaker and the guest agent generated from it.</summary>
public sealed class CanaryOptions
{
    /// <summary>How long the candidate must stay healthy to be promoted to known-good. Default 6 s.</summary>
    public TimeSpan Probation { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>Time between observations. Default 0.5 s.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(0.5);

    /// <summary>The longest gap between observations before the canary counts as stalled. Default 2.5 s.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(2.5);

    /// <summary>The KPI (a latency, lower is better) may exceed the baseline by this fraction. Default 0.5 (50 %).</summary>
    public double MaxKpiRegression { get; set; } = 0.5;

    /// <summary>
    /// Regressed KPI probes among the last <see cref="KpiWindow"/> that trip the breaker. Default 3 (of 5): a majority,
    /// so a sustained regression trips within a few samples and a burst of one or two slow probes, which a busy host or
    /// an emulated guest produces now and then, does not.
    /// </summary>
    public int RegressedSamplesToTrip { get; set; } = 3;

    /// <summary>How many of the most recent KPI probes the trip rule looks at. Default 5.</summary>
    public int KpiWindow { get; set; } = 5;

    /// <summary>KPI probes taken under the known-good scheduler before the switch; the baseline is their median. Default 5.</summary>
    public int BaselineProbes { get; set; } = 5;

    internal void Validate()
    {
        if (KpiWindow < 1 || RegressedSamplesToTrip < 1 || RegressedSamplesToTrip > KpiWindow)
        {
            throw new ArgumentOutOfRangeException(nameof(RegressedSamplesToTrip), RegressedSamplesToTrip,
                $"RegressedSamplesToTrip must be between 1 and KpiWindow ({KpiWindow}).");
        }

        if (BaselineProbes < 1 || MaxKpiRegression < 0 || Probation <= TimeSpan.Zero || SampleInterval <= TimeSpan.Zero || StallTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BaselineProbes), "BaselineProbes must be at least 1, MaxKpiRegression at least 0, and the times positive.");
        }
    }
}

/// <summary>One observation of the host during a canary.</summary>
/// <param name="State">The content of <c>/sys/kernel/sched_ext/state</c>.</param>
/// <param name="Ops">The content of <c>/sys/kernel/sched_ext/root/ops</c>.</param>
/// <param name="LoaderAlive">Whether the scheduler's loader process is alive.</param>
/// <param name="Kpi">The probe latency in milliseconds, when measured.</param>
public sealed record CanaryObservation(string State, string Ops, bool LoaderAlive, double? Kpi)
{
    /// <summary>Whether the loader reported the scheduler's exit (the kernel ended it) before it quit.</summary>
    public bool LoaderReportedExit { get; init; }
}

/// <summary>What the breaker decided after an observation or a tick.</summary>
/// <param name="Trip">Why it tripped, or <see cref="CanaryTrip.None"/>.</param>
/// <param name="Promote">True when probation ended without a trip.</param>
/// <param name="Reason">The evidence, in one sentence.</param>
public sealed record CanaryDecision(CanaryTrip Trip, bool Promote, string Reason)
{
    /// <summary>Keep watching.</summary>
    public static CanaryDecision Continue { get; } = new(CanaryTrip.None, false, "healthy");
}

/// <summary>
/// The canary's circuit breaker: closed while the candidate is healthy, open (roll back) on the first ejection, crash,
/// stall or run of KPI regressions, promoted when <see cref="CanaryOptions.Probation"/> passes closed. Once open or
/// promoted it stays so. Time comes from a <see cref="TimeProvider"/>, so a test drives it with a fake clock.
/// </summary>
public sealed class CanaryCircuitBreaker
{
    private readonly CanaryOptions _options;
    private readonly TimeProvider _time;
    private readonly string _expectedOps;
    private readonly double? _baselineKpi;
    private readonly long _start;
    private long _lastObservation;
    private readonly Queue<double> _recent = new();

    /// <summary>Starts a breaker at deployment time.</summary>
    /// <param name="expectedOps">The ops name the candidate shows in <c>root/ops</c>.</param>
    /// <param name="baselineKpi">The KPI before deployment (known-good or EEVDF), or null to skip the KPI rule.</param>
    /// <param name="options">Thresholds.</param>
    /// <param name="time">The clock.</param>
    public CanaryCircuitBreaker(string expectedOps, double? baselineKpi, CanaryOptions? options = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expectedOps);
        _expectedOps = expectedOps;
        _baselineKpi = baselineKpi;
        _options = options ?? new CanaryOptions();
        _options.Validate();
        _time = time ?? TimeProvider.System;
        _start = _lastObservation = _time.GetTimestamp();
    }

    /// <summary>The decision that ended the canary, or null while it runs.</summary>
    public CanaryDecision? Final { get; private set; }

    /// <summary>Feeds one observation.</summary>
    /// <param name="observation">What the host showed.</param>
    /// <returns>The decision.</returns>
    public CanaryDecision Observe(CanaryObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (Final is not null)
        {
            return Final;
        }

        var stalled = Tick();
        if (stalled.Trip != CanaryTrip.None)
        {
            return stalled;
        }

        _lastObservation = _time.GetTimestamp();
        if (!observation.LoaderAlive && !observation.LoaderReportedExit)
        {
            return End(new CanaryDecision(CanaryTrip.Crashed, false, $"The scheduler's loader died (sched_ext '{observation.State}', ops '{observation.Ops}')."));
        }

        if (observation.State != "enabled" || observation.Ops != _expectedOps || observation.LoaderReportedExit)
        {
            return End(new CanaryDecision(CanaryTrip.Ejected, false, $"sched_ext is '{observation.State}' with ops '{observation.Ops}', not '{_expectedOps}': the kernel ejected it."));
        }

        if (_baselineKpi is { } baseline && observation.Kpi is { } kpi)
        {
            _recent.Enqueue(kpi);
            if (_recent.Count > _options.KpiWindow)
            {
                _recent.Dequeue();
            }

            var limit = baseline * (1 + _options.MaxKpiRegression);
            var regressed = _recent.Count(k => k > limit);
            if (regressed >= _options.RegressedSamplesToTrip)
            {
                var sorted = _recent.Order().ToArray();
                return End(new CanaryDecision(CanaryTrip.KpiRegression, false,
                    $"{regressed} of the last {_recent.Count} probes took over {limit:F0} ms ({_options.MaxKpiRegression:P0} above the baseline of {baseline:F0} ms); their median is {sorted[sorted.Length / 2]:F0} ms."));
            }
        }

        return _time.GetElapsedTime(_start) >= _options.Probation
            ? End(new CanaryDecision(CanaryTrip.None, true, $"Healthy for {_options.Probation.TotalSeconds:F1} s."))
            : CanaryDecision.Continue;
    }

    /// <summary>Checks for a stall without an observation (call it on a timer).</summary>
    /// <returns>The decision.</returns>
    public CanaryDecision Tick()
    {
        if (Final is not null)
        {
            return Final;
        }

        var gap = _time.GetElapsedTime(_lastObservation);
        return gap > _options.StallTimeout
            ? End(new CanaryDecision(CanaryTrip.Stalled, false, $"No observation for {gap.TotalSeconds:F1} s (limit {_options.StallTimeout.TotalSeconds:F1} s): the host stopped making progress."))
            : CanaryDecision.Continue;
    }

    private CanaryDecision End(CanaryDecision decision) => Final = decision;
}
