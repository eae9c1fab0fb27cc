using SchedCP.Kernel.SchedExt;
using SchedCP.Kernel.Schedulers;
using SchedCP.Kernel.Supervision;
using SchedCP.Verifier.Canary;

namespace SchedCP.ControlPlane.Deployment;

/// <summary>
/// The deployment target on a sched_ext host: switches this machine's kernel through the
/// <see cref="ISchedulerSupervisor"/>, watches the candidate with <see cref="CanaryCircuitBreaker"/> (sched_ext state,
/// ops name, the loader) for the probation period, and on a trip goes back to the known-good scheduler or EEVDF.
/// </summary>
/// <param name="supervisor">Starts and stops loaders on this host.</param>
/// <param name="journal">Records every transition.</param>
/// <param name="options">The breaker's thresholds.</param>
/// <param name="time">Paces the watch and stamps the journal.</param>
/// <param name="state">Reads <c>/sys/kernel/sched_ext</c>.</param>
public sealed class HostDeploymentTarget(ISchedulerSupervisor supervisor, ICanaryJournal journal, CanaryOptions? options = null, TimeProvider? time = null, SchedExtState? state = null) : IDeploymentTarget
{
    private readonly CanaryOptions _options = options ?? new CanaryOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SchedExtState _state = state ?? new SchedExtState();

    /// <inheritdoc />
    public string Where => "host";

    /// <inheritdoc />
    public async Task<CanaryOutcome> CanaryAsync(CanaryPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var id = plan.TokenAcceptedAs ?? "none";
        var name = plan.Candidate.Name;
        var transitions = new List<CanaryTransition>();
        async Task Note(CanaryPhase phase, string running, string reason)
        {
            var t = new CanaryTransition(_time.GetUtcNow(), id, name, phase, running, reason);
            transitions.Add(t);
            await journal.AppendAsync(t, cancellationToken).ConfigureAwait(false);
        }

        await Note(CanaryPhase.Baseline, Running(), "host canary: the breaker watches sched_ext state, ops name and the loader").ConfigureAwait(false);
        var started = await supervisor.SwitchAsync(Launch(plan.Candidate), cancellationToken).ConfigureAwait(false);
        if (!started.Succeeded)
        {
            var (running, why) = await RestoreAsync(plan.KnownGood, cancellationToken).ConfigureAwait(false);
            await Note(CanaryPhase.RolledBack, running, $"candidate did not attach: {started.Failure!.Describe()}; {why}").ConfigureAwait(false);
            return new CanaryOutcome(plan, Verifier.Tokens.TokenRefusal.None, new CanaryDecision(CanaryTrip.Crashed, false, started.Failure.Message), CanaryTrip.Crashed, Final().State, Final().Ops, transitions);
        }

        await Note(CanaryPhase.Canary, started.Value!.OpsName, $"candidate attached as {started.Value}").ConfigureAwait(false);
        var breaker = new CanaryCircuitBreaker(plan.Candidate.OpsName, null, _options, _time);
        CanaryDecision decision;
        while (true)
        {
            await Task.Delay(_options.SampleInterval, _time, cancellationToken).ConfigureAwait(false);
            var (st, ops) = Final();
            var d = breaker.Observe(new CanaryObservation(st, ops, !started.Value.Completion.IsCompleted, null) { LoaderReportedExit = started.Value.Completion.IsCompleted });
            if (d.Trip != CanaryTrip.None || d.Promote)
            {
                decision = d;
                break;
            }
        }

        if (decision.Promote)
        {
            await Note(CanaryPhase.Promoted, Running(), decision.Reason).ConfigureAwait(false);
        }
        else
        {
            var (running, why) = await RestoreAsync(plan.KnownGood, cancellationToken).ConfigureAwait(false);
            await Note(CanaryPhase.RolledBack, running, $"{decision.Trip}: {decision.Reason}; {why}").ConfigureAwait(false);
        }

        var final = Final();
        return new CanaryOutcome(plan, Verifier.Tokens.TokenRefusal.None, decision, CanaryTrip.None, final.State, final.Ops, transitions);
    }

    /// <inheritdoc />
    public async Task<(string Running, string Reason)> RestoreAsync(DeployableScheduler? knownGood, CancellationToken cancellationToken = default)
    {
        var stopped = await supervisor.StopAsync(cancellationToken).ConfigureAwait(false);
        var stopNote = stopped.Succeeded ? "stopped the running scheduler" : $"stop: {stopped.Failure!.Describe()}";
        if (knownGood is null)
        {
            return (Running(), $"{stopNote}; no known-good scheduler is recorded, so the host runs EEVDF");
        }

        var back = await supervisor.StartAsync(Launch(knownGood), cancellationToken).ConfigureAwait(false);
        return back.Succeeded
            ? (back.Value!.OpsName, $"{stopNote}; restored the known-good scheduler {knownGood.Name}")
            : (Running(), $"{stopNote}; the known-good scheduler {knownGood.Name} did not attach ({back.Failure!.Describe()}), so the host runs EEVDF");
    }

    private static BpfObjectScheduler Launch(DeployableScheduler s) => new(s.ObjectPath) { Rodata = s.Parameters, ExpectedOpsName = s.OpsName };

    private (string State, string Ops) Final() => _state.TryRead(out var status, out _)
        ? (status!.State.ToString().ToLowerInvariant(), status.Ops ?? "")
        : ("unknown", "");

    private string Running() => Final() is ("enabled", var ops) ? ops : "EEVDF";
}
