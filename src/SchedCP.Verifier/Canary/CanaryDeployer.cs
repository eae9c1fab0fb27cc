using System.Globalization;
using System.Text;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Schedulers;
using SchedCP.Verifier.Tokens;

namespace SchedCP.Verifier.Canary;

/// <summary>A fault injected into a canary, to test that the breaker rolls back.</summary>
public enum CanaryFault
{
    /// <summary>No fault.</summary>
    None,

    /// <summary>The candidate's loader is killed with SIGKILL one second into the canary.</summary>
    KillLoader,

    /// <summary>
    /// Four busy processes per CPU start one second into the canary: the probe gets about a fifth of the time it had,
    /// a slowdown that stays past the limit even when the baseline was measured on a busier host than the canary.
    /// </summary>
    CpuHog,

    /// <summary>One second into the canary the KPI probe's work grows by 60 %: a quiet regression of the workload's KPI, with no crash or stall.</summary>
    SlowKpi,

    /// <summary>The host (the guest playing it) loses power right after the switch to the candidate.</summary>
    PowerOff,
}

/// <summary>A scheduler as deployed: a compiled object, its parameters and the ops name the kernel shows.</summary>
/// <param name="Name">The policy name (the token is for this name).</param>
/// <param name="ObjectPath">The <c>.bpf.o</c>.</param>
/// <param name="OpsName">The name in <c>/sys/kernel/sched_ext/root/ops</c> once attached.</param>
public sealed record DeployableScheduler(string Name, string ObjectPath, string OpsName)
{
    /// <summary>The <c>.rodata</c> parameters.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
}

/// <summary>One canary: the candidate, its token, what to fall back to, and an optional fault.</summary>
/// <param name="Candidate">The scheduler to deploy.</param>
/// <param name="Token">The deployment token the verifier issued for it.</param>
/// <param name="KnownGood">The last known-good scheduler, or null for EEVDF.</param>
public sealed record CanaryPlan(DeployableScheduler Candidate, string? Token, DeployableScheduler? KnownGood = null)
{
    /// <summary>A fault to inject.</summary>
    public CanaryFault Fault { get; init; }

    /// <summary>The parameter values the token was issued for (the policy's own names); default: the candidate's <c>.rodata</c> values.</summary>
    public IReadOnlyDictionary<string, string>? TokenParameters { get; init; }

    /// <summary>
    /// Set when the caller validated the token already (tokens may be single-use, so it is checked once) or waived it for
    /// a lab deployment it journaled: the deployment id to journal. The deployer then does not check <see cref="Token"/>.
    /// </summary>
    public string? TokenAcceptedAs { get; init; }
}

/// <summary>How one canary ended.</summary>
/// <param name="Plan">The plan.</param>
/// <param name="Refusal">The token's refusal; when not <see cref="TokenRefusal.None"/> nothing was deployed.</param>
/// <param name="Decision">The breaker's decision, replayed on the guest's observations; null when refused or no data.</param>
/// <param name="GuestTrip">What the guest agent tripped on (its copy of the rule), or <see cref="CanaryTrip.None"/>.</param>
/// <param name="FinalState">sched_ext's state when the canary ended.</param>
/// <param name="FinalOps">The ops name then (empty for EEVDF).</param>
/// <param name="Transitions">The transitions journaled for it.</param>
public sealed record CanaryOutcome(CanaryPlan Plan, TokenRefusal Refusal, CanaryDecision? Decision, CanaryTrip GuestTrip, string FinalState, string FinalOps, IReadOnlyList<CanaryTransition> Transitions)
{
    /// <summary>True when the canary ended on the candidate (promoted), the known-good scheduler, or EEVDF when there was none.</summary>
    public bool EndedSafe => Refusal != TokenRefusal.None
        || (Decision?.Promote == true && FinalOps == Plan.Candidate.OpsName)
        || (Decision is { Promote: false } && (Plan.KnownGood is { } g ? FinalOps == g.OpsName || FinalState == "disabled" : FinalState == "disabled"));
}

/// <summary>
/// Deploys schedulers as canaries on a host played by the sandbox guest. Each candidate's token is checked first
/// (missing, malformed, foreign, tampered, expired or for other content: refused, journaled, never deployed). Then one
/// guest boot runs every accepted canary in turn with an agent generated from <see cref="CanaryOptions"/>: it attaches
/// the known-good scheduler (or stays on EEVDF) and measures a baseline KPI probe, switches to the candidate, observes
/// <c>/sys/kernel/sched_ext/state</c>, <c>root/ops</c>, the loader process and the probe every sample interval, and on
/// a trip (the same rule as <see cref="CanaryCircuitBreaker"/>) kills the candidate and restores the known-good
/// scheduler, or EEVDF when there is none or it fails to attach. The guest has no .NET, so the agent acts and the C# side
/// replays its observations through <see cref="CanaryCircuitBreaker"/> to judge and journal each transition.
/// </summary>
/// <param name="sandbox">The sandbox playing the production host.</param>
/// <param name="tokens">Checks deployment tokens.</param>
/// <param name="journal">Records every transition.</param>
/// <param name="options">The breaker's thresholds.</param>
/// <param name="time">Stamps the journal.</param>
public sealed class CanaryDeployer(ISandboxRunner sandbox, DeploymentTokenValidator tokens, ICanaryJournal journal, CanaryOptions? options = null, TimeProvider? time = null)
{
    private readonly CanaryOptions _options = options ?? new CanaryOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Runs the canaries in one guest boot, in order.</summary>
    /// <param name="plans">The canaries.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>One outcome per plan, in order.</returns>
    /// <exception cref="InvalidOperationException">The sandbox failed; the message says why and what to do.</exception>
    public async Task<IReadOnlyList<CanaryOutcome>> DeployAsync(IReadOnlyList<CanaryPlan> plans, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var outcomes = new CanaryOutcome?[plans.Count];
        var accepted = new List<int>();
        var deploymentIds = new string[plans.Count];
        for (var i = 0; i < plans.Count; i++)
        {
            var p = plans[i];
            var check = !File.Exists(p.Candidate.ObjectPath)
                ? new TokenValidation(TokenRefusal.Malformed, $"The candidate object {p.Candidate.ObjectPath} does not exist.", "Pass the object the token was issued for.", null)
                : p.TokenAcceptedAs is not null
                    ? new TokenValidation(TokenRefusal.None, "The caller accepted the token.", "", null)
                    : tokens.Validate(p.Token, p.Candidate.Name, DeploymentToken.Sha256OfFile(p.Candidate.ObjectPath), p.TokenParameters ?? p.Candidate.Parameters);
            if (!check.IsValid)
            {
                var t = new CanaryTransition(_time.GetUtcNow(), check.Token?.TokenId ?? "none", p.Candidate.Name, CanaryPhase.Refused, "unchanged", $"{check.Refusal}: {check.Reason} {check.Remedy}");
                await journal.AppendAsync(t, cancellationToken).ConfigureAwait(false);
                outcomes[i] = new CanaryOutcome(p, check.Refusal == TokenRefusal.None ? TokenRefusal.Malformed : check.Refusal, null, CanaryTrip.None, "", "", [t]);
            }
            else
            {
                deploymentIds[i] = p.TokenAcceptedAs ?? check.Token?.TokenId ?? "none";
                accepted.Add(i);
            }
        }

        if (accepted.Count > 0)
        {
            if (!SandboxToolchain.TryLocate(null, out var toolchain, out var missing))
            {
                throw new InvalidOperationException($"No sandbox toolchain: {missing!.Message} {missing.Remedy}");
            }

            var job = new SandboxJob("canary", Script(plans, accepted)) { Timeout = TimeSpan.FromMinutes(5) + (accepted.Count * 4 * _options.Probation) };
            job.WithInput("schedcp-loader", toolchain!.LoaderPath);
            foreach (var i in accepted)
            {
                job.WithInput(string.Create(CultureInfo.InvariantCulture, $"c{i}.bpf.o"), plans[i].Candidate.ObjectPath);
                if (plans[i].KnownGood is { } g)
                {
                    job.WithInput(string.Create(CultureInfo.InvariantCulture, $"g{i}.bpf.o"), g.ObjectPath);
                }
            }

            var result = await sandbox.RunAsync(job, cancellationToken).ConfigureAwait(false);
            if (result.Failure is { } f)
            {
                throw new InvalidOperationException($"The canary guest failed: {f.Message} {f.Remedy}");
            }

            var lines = (result.ReadOutput("agent.txt") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var i in accepted)
            {
                outcomes[i] = await JudgeAsync(plans[i], i, lines, deploymentIds[i], cancellationToken).ConfigureAwait(false);
            }
        }

        return outcomes.Select(o => o!).ToArray();
    }

    private async Task<CanaryOutcome> JudgeAsync(CanaryPlan plan, int index, string[] lines, string deployment, CancellationToken cancellationToken)
    {
        var mine = lines.Select(AgentLine.Parse).Where(l => l is not null && l.Case == index).Select(l => l!).ToArray();
        var clock = new ReplayClock();
        CanaryCircuitBreaker? breaker = null;
        CanaryDecision? decision = null;
        var guestTrip = CanaryTrip.None;
        string finalState = "", finalOps = "";
        var transitions = new List<CanaryTransition>();
        double? baseline = null;
        foreach (var l in mine)
        {
            clock.Centiseconds = l.Centiseconds;
            switch (l.Kind)
            {
                case "baseline":
                    baseline = l.Double("kpi");
                    transitions.Add(new CanaryTransition(_time.GetUtcNow(), deployment, plan.Candidate.Name, CanaryPhase.Baseline, l.Get("running"), $"baseline probe {baseline:F0} ms (median of {l.Get("probes").Split(',', StringSplitOptions.RemoveEmptyEntries).Length} probes)", l.Uptime));
                    break;
                case "canary":
                    breaker = new CanaryCircuitBreaker(plan.Candidate.OpsName, baseline, _options, clock);
                    transitions.Add(new CanaryTransition(_time.GetUtcNow(), deployment, plan.Candidate.Name, CanaryPhase.Canary, l.Get("running"), $"candidate attached (sched_ext '{l.Get("state")}'), fault {plan.Fault}", l.Uptime));
                    break;
                case "obs" when breaker is not null && decision is null:
                    var d = breaker.Observe(new CanaryObservation(l.Get("state"), l.Get("ops"), l.Get("alive") == "1", l.Double("kpi")) { LoaderReportedExit = l.Get("exited") == "1" });
                    if (d.Trip != CanaryTrip.None || d.Promote)
                    {
                        decision = d;
                    }

                    break;
                case "slow":
                    transitions.Add(new CanaryTransition(_time.GetUtcNow(), deployment, plan.Candidate.Name, CanaryPhase.Canary, plan.Candidate.OpsName,
                        $"fault SlowKpi: the probe's work grew by 60 % to {l.Get("work")} rounds; it now takes {l.Get("clean")} ms (median of 3)", l.Uptime));
                    break;
                case "trip":
                    guestTrip = Enum.TryParse<CanaryTrip>(l.Get("reason"), out var gt) ? gt : CanaryTrip.None;
                    break;
                case "rolledback":
                    transitions.Add(new CanaryTransition(_time.GetUtcNow(), deployment, plan.Candidate.Name, CanaryPhase.RolledBack, l.Get("running"),
                        $"guest tripped on {guestTrip}; breaker: {decision?.Reason ?? "no decision"}", l.Uptime));
                    break;
                case "promoted":
                    transitions.Add(new CanaryTransition(_time.GetUtcNow(), deployment, plan.Candidate.Name, CanaryPhase.Promoted, l.Get("running"), decision?.Reason ?? "probation passed", l.Uptime));
                    break;
                case "final":
                    finalState = l.Get("state");
                    finalOps = l.Get("ops");
                    break;
            }
        }

        decision ??= breaker?.Tick();
        foreach (var t in transitions)
        {
            await journal.AppendAsync(t, cancellationToken).ConfigureAwait(false);
        }

        return new CanaryOutcome(plan, TokenRefusal.None, decision, guestTrip, finalState, finalOps, transitions);
    }

    private string Script(IReadOnlyList<CanaryPlan> plans, IReadOnlyList<int> accepted)
    {
        var o = _options;
        var sb = new StringBuilder(AgentPrologue);
        sb.Append(CultureInfo.InvariantCulture, $"""
            SAMPLE={o.SampleInterval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}
            STALL_CS={(long)(o.StallTimeout.TotalMilliseconds / 10)}
            PROBATION_CS={(long)(o.Probation.TotalMilliseconds / 10)}
            KPI_PCT={(long)Math.Round(o.MaxKpiRegression * 100)}
            KPI_TRIP={o.RegressedSamplesToTrip}
            KPI_WINDOW={o.KpiWindow}
            BASELINE_PROBES={o.BaselineProbes}

            """);
        foreach (var i in accepted)
        {
            var p = plans[i];
            string Start(DeployableScheduler s, string file) =>
                "./schedcp-loader " + string.Join(' ', new BpfObjectScheduler(s.ObjectPath) { Rodata = s.Parameters }.LoaderArguments("./" + file).Select(Quote));
            var good = p.KnownGood is { } g ? Start(g, $"g{i}.bpf.o") : "";
            var fault = p.Fault switch { CanaryFault.KillLoader => "kill", CanaryFault.CpuHog => "hog", CanaryFault.SlowKpi => "slow", CanaryFault.PowerOff => "poweroff", _ => "none" };
            sb.Append(CultureInfo.InvariantCulture, $"""
                canary {i} {Quote(p.Candidate.OpsName)} {Quote(p.KnownGood?.OpsName ?? "")} {fault} {Quote(Start(p.Candidate, $"c{i}.bpf.o"))} {Quote(good)}

                """);
        }

        sb.Append("exit 0\n");
        return sb.ToString();
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    // The guest's clock in centiseconds (/proc/uptime's resolution). The breaker replays on the very instants the agent
    // decided on (the cs field of its canary and obs lines), so both see the same gaps and the same probation to the tick.
    private sealed class ReplayClock : TimeProvider
    {
        public long Centiseconds { get; set; }

        public override long TimestampFrequency => 100;

        public override long GetTimestamp() => Centiseconds;
    }

    private sealed record AgentLine(string Kind, int Case, double Uptime, Dictionary<string, string> Fields)
    {
        public string Get(string key) => Fields.TryGetValue(key, out var v) ? v : "";

        public double? Double(string key) => double.TryParse(Get(key), CultureInfo.InvariantCulture, out var d) ? d : null;

        /// <summary>The instant the agent decided on (cs), else the uptime it printed the line at.</summary>
        public long Centiseconds => long.TryParse(Get("cs"), CultureInfo.InvariantCulture, out var cs) ? cs : (long)Math.Round(Uptime * 100);

        public static AgentLine? Parse(string line)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3)
            {
                return null;
            }

            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in parts.Skip(1))
            {
                var eq = p.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    fields[p[..eq]] = p[(eq + 1)..];
                }
            }

            return fields.TryGetValue("case", out var c) && int.TryParse(c, CultureInfo.InvariantCulture, out var ci)
                && fields.TryGetValue("t", out var t) && double.TryParse(t, CultureInfo.InvariantCulture, out var up)
                ? new AgentLine(parts[0], ci, up, fields)
                : null;
        }
    }

    // The agent: runs as root in the guest. `canary CASE CAND_OPS GOOD_OPS FAULT CAND_CMD GOOD_CMD` prints
    // baseline/canary/obs/trip/rolledback|promoted/final lines to out/agent.txt. Its trip rule mirrors CanaryCircuitBreaker.
    private const string AgentPrologue = """
        # Generated by CanaryDeployer: the canary agent of the host the guest plays.
        S=/sys/kernel/sched_ext
        rd() { cat "$1" 2>/dev/null | tr -d '\n'; }
        up() { cut -d' ' -f1 /proc/uptime; }
        now_cs() { awk '{ printf "%d", $1 * 100 }' /proc/uptime; }
        say() { echo "$* t=$(up)" >> out/agent.txt; }
        # probe: the KPI, the time in ms of a fixed amount of shell work. It reads the clock with the shell's own read, so
        # no fork (slow in an emulated guest, and noisy) falls inside the measured time; the loop is long enough (about
        # 150 ms in the emulated guest) that the clock's 10 ms steps and the host's preemptions stay small beside it.
        # The slow fault raises the work by 60 %, a regression far past the limit whatever the host's load does.
        WORK=10000
        probe() { read u _ < /proc/uptime; s=${u%.*}${u#*.}; i=0; while [ $i -lt $WORK ]; do i=$((i + 1)); done
                  read u _ < /proc/uptime; e=${u%.*}${u#*.}; echo $(( (e - s) * 10 )); }
        # probes N: N probes, sorted, on one line; mid: the median of sorted arguments.
        probes() { k=0; l=""; while [ $k -lt $1 ]; do l="$l $(probe)"; k=$((k + 1)); done; echo $l | tr ' ' '\n' | sort -n | tr '\n' ' '; }
        mid() { shift $(( ($# - 1) / 2 )); echo $1; }
        wait_state() { n=0; while [ $n -lt "$2" ]; do [ "$(rd $S/state)" = "$1" ] && return 0; sleep 0.1; n=$((n + 1)); done; return 1; }
        PID=""
        # start CMD LOG: starts a loader in the background and waits until sched_ext is enabled.
        start() { sh -c "exec $1" > "$2" 2>&1 & PID=$!; wait_state enabled 150; }
        stop() { [ -n "$PID" ] && kill -INT $PID 2>/dev/null; [ -n "$PID" ] && wait $PID 2>/dev/null; PID=""; wait_state disabled 150; }
        running() { if [ "$(rd $S/state)" = enabled ]; then rd $S/root/ops; else echo EEVDF; fi; }
        canary() {
            c=$1 cops=$2 gops=$3 fault=$4 ccmd=$5 gcmd=$6
            if [ -n "$gcmd" ]; then start "$gcmd" out/g$c.log; fi
            bl=$(probes $BASELINE_PROBES); base=$(mid $bl)
            say baseline case=$c kpi=$base probes=$(echo $bl | tr ' ' ',') running=$(running)
            stop
            start "$ccmd" out/c$c.log
            if [ $fault = poweroff ]; then sync; /bin/busybox poweroff -f 2>/dev/null || poweroff -f; sleep 60; fi
            t0=$(now_cs); last=$t0; flags=""; trip=""; hogs=""; injected=0
            say canary case=$c cs=$t0 state=$(rd $S/state) running=$(running)
            while :; do
                now=$(now_cs)
                if [ $injected = 0 ] && [ $((now - t0)) -ge 100 ]; then
                    injected=1
                    case $fault in
                        kill) kill -KILL $PID 2>/dev/null ;;
                        hog) h=$(( $(nproc 2>/dev/null || echo 2) * 4 )); while [ $h -gt 0 ]; do sh -c 'while :; do :; done' & hogs="$hogs $!"; h=$((h - 1)); done ;;
                        slow) WORK=$((WORK * 16 / 10)); say slow case=$c clean=$(mid $(probes 3)) work=$WORK ;;
                    esac
                fi
                st=$(rd $S/state); ops=$(rd $S/root/ops)
                alive=0; kill -0 $PID 2>/dev/null && alive=1
                exited=0; grep -q '"exited"' out/c$c.log 2>/dev/null && exited=1
                kpi=$(probe)
                now=$(now_cs)
                say obs case=$c cs=$now state=$st ops=$ops alive=$alive exited=$exited kpi=$kpi
                if [ $((now - last)) -gt $STALL_CS ]; then trip=Stalled
                elif [ $alive = 0 ] && [ $exited = 0 ]; then trip=Crashed
                elif [ "$st" != enabled ] || [ "$ops" != "$cops" ] || [ $exited = 1 ]; then trip=Ejected
                else
                    if [ $((kpi * 100)) -gt $((base * (100 + KPI_PCT))) ]; then flags="${flags}1"; else flags="${flags}0"; fi
                    flags=$(printf %s "$flags" | tail -c $KPI_WINDOW)
                    [ $(printf %s "$flags" | tr -cd 1 | wc -c) -ge $KPI_TRIP ] && trip=KpiRegression
                fi
                last=$now
                [ -n "$trip" ] && break
                [ $((now - t0)) -ge $PROBATION_CS ] && break
                sleep $SAMPLE
            done
            if [ -n "$trip" ]; then
                say trip case=$c reason=$trip
                kill -KILL $PID 2>/dev/null; wait $PID 2>/dev/null; PID=""; wait_state disabled 150
                [ -n "$hogs" ] && kill -KILL $hogs 2>/dev/null
                WORK=10000
                if [ -n "$gcmd" ]; then start "$gcmd" out/g$c.rollback.log || { kill -KILL $PID 2>/dev/null; PID=""; wait_state disabled 150; }; fi
                say rolledback case=$c running=$(running)
            else
                [ -n "$hogs" ] && kill -KILL $hogs 2>/dev/null
                WORK=10000
                say promoted case=$c running=$(running)
            fi
            sleep 0.5
            say final case=$c state=$(rd $S/state) ops=$(rd $S/root/ops)
            stop
        }
        [ -d $S ] || { echo "this kernel has no /sys/kernel/sched_ext" >&2; exit 90; }
        : > out/agent.txt

        """;
}
