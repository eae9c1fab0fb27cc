using System.Globalization;
using SchedCP.Kernel.Analysis;
using SchedCP.Repository;

namespace SchedCP.Agents;

/// <summary>
/// The planner used when no model is configured: deterministic rules over the profile and the history, producing a
/// grid of candidates over the policies' parameter schemas that the loop then narrows by successive halving in the
/// sandbox. Rules, one per goal:
/// <list type="bullet">
/// <item>makespan with a long tail: long job first (<c>longjob</c>) with the long task names the Observation agent
/// measured, or, when names say nothing, the long tasks' fork order under their parent, at several slices; plus online
/// detection past the short class's measured CPU-time p95 with no identities at all;</item>
/// <item>p99 latency: short slices with bounded lag (<c>vtime</c>) and FIFO with direct idle dispatch; when the tasks
/// wake each other in short bursts (a producer/consumer pattern), also wake-affine <c>vtime</c>, which keeps the
/// wakee on the waker's CPU instead of paying an idle CPU's exit latency;</item>
/// <item>makespan or throughput otherwise: FIFO and vtime at longer slices (fewer switches).</item>
/// </list>
/// History first: the best-ranked configuration recorded for the same workload fingerprint leads, and an earlier
/// iteration's best is refined by halving and doubling its durations.
/// </summary>
public static class OfflinePlanner
{
    /// <summary>Longest mean CPU burst between voluntary switches for which wake-affine placement is tried, in ms.</summary>
    public const double WakeAffineMaxBurstMs = 0.5;

    /// <summary>Fewest voluntary switches per second (wakeups) for which wake-affine placement is tried.</summary>
    public const double WakeAffineMinSwitchesPerSecond = 1000;

    /// <summary>Plans candidates for <paramref name="report"/>.</summary>
    /// <param name="report">What the Observation agent found.</param>
    /// <param name="history">Rankings for the workload's fingerprint on its KPI, best first (may be empty).</param>
    /// <param name="previousBest">The best candidate of an earlier iteration, to refine; null on the first.</param>
    /// <param name="maxCandidates">Most candidates to return.</param>
    public static OptimizationPlan Plan(ObservationReport report, IReadOnlyList<PolicyRanking> history, CandidateSpec? previousBest, int maxCandidates) =>
        Plan(report, history, previousBest, maxCandidates, null);

    /// <summary>
    /// Plans candidates for <paramref name="report"/>; when no catalog policy the rules chose fits (none is in
    /// <paramref name="available"/>, or each was measured on this workload and never beat EEVDF), proposes schedulers
    /// composed from code primitives for the goal instead (<see cref="PlanKind.Generate"/>).
    /// </summary>
    /// <param name="report">What the Observation agent found.</param>
    /// <param name="history">Rankings for the workload's fingerprint on its KPI, best first (may be empty).</param>
    /// <param name="previousBest">The best candidate of an earlier iteration, to refine; null on the first.</param>
    /// <param name="maxCandidates">Most candidates to return.</param>
    /// <param name="available">The policies the repository can run here; null assumes every catalog policy.</param>
    public static OptimizationPlan Plan(ObservationReport report, IReadOnlyList<PolicyRanking> history, CandidateSpec? previousBest, int maxCandidates, IReadOnlySet<string>? available)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCandidates, 1);
        var reasons = new List<string>(report.Profile.Reasons.Take(4));
        var candidates = new List<CandidateSpec>();
        if (previousBest is not null)
        {
            reasons.Add($"Refining the previous best, {previousBest.Label}: its durations halved and doubled.");
            candidates.Add(previousBest);
            candidates.AddRange(Refine(previousBest));
        }

        foreach (var ranked in history.Where(h => h.MeanRatio > 1).Take(2))
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"History: {ranked}."));
            candidates.Add(new CandidateSpec(Label(ranked.PolicyName, ranked.Parameters), ranked.PolicyName, ranked.Parameters)
            {
                Rationale = "best ranked for this workload in the history",
            });
        }

        var c = report.Profile.Characteristics;
        var kpi = report.Kpi;
        var longTasks = report.LongTasks;
        if (kpi == PrimaryKpi.Makespan && (report.LongTaskNames.Count > 0 || longTasks.HasForkIdentities))
        {
            var learned = new Dictionary<string, string>(StringComparer.Ordinal);
            if (report.LongTaskNames.Count > 0)
            {
                reasons.Add($"Long tail: {string.Join(", ", report.LongTaskNames)} ran {(report.TaskGroups.Count > 0 ? report.TaskGroups[0].RatioToMedian : 0):F1}x the median task; start them first (long job first by the measured estimate).");
                for (var i = 0; i < report.LongTaskNames.Count; i++)
                {
                    learned[string.Create(CultureInfo.InvariantCulture, $"long_comm{i}")] = report.LongTaskNames[i];
                }
            }
            else
            {
                reasons.Add($"Long tail whose names say nothing ({longTasks.Evidence}): start the long ones first, known by their fork order under '{longTasks.ForkParent}', which a rerun reproduces.");
                learned["long_fork_parent"] = longTasks.ForkParent!;
                for (var i = 0; i < longTasks.ForkIndices.Count; i++)
                {
                    learned[string.Create(CultureInfo.InvariantCulture, $"long_fork{i}")] = (longTasks.ForkIndices[i] + 1).ToString(CultureInfo.InvariantCulture);
                }
            }

            // Longest-processing-time first: with several long tasks, let them run at once on up to every CPU (the
            // scheduler's default keeps one CPU for short work, which serialises them on a small machine).
            var longCount = Math.Max(longTasks.LongItems, report.LongTaskNames.Count);
            var cpus = Math.Max(1, report.Profile.Resources.Cpus);
            if (longCount > 1)
            {
                learned["max_long_cpus"] = Math.Min(longCount, cpus).ToString(CultureInfo.InvariantCulture);
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{longCount} long tasks on {cpus} busy CPUs: up to {Math.Min(longCount, cpus)} of them run at once."));
            }

            var why = report.LongTaskNames.Count > 0 ? "long names measured in the profiling run" : "long tasks by fork order measured in the profiling run";
            candidates.Add(Spec("longjob", learned, why));
            candidates.Add(Spec("longjob", With(learned, ("slice_ns", "2000000")), "shorter short slices: the long task is found and restarted sooner"));
            candidates.Add(Spec("longjob", With(learned, ("slice_ns", "10000000"), ("long_slice_ns", "50000000")), "fewer switches"));
            var threshold = OnlineThresholdNs(report);
            candidates.Add(Spec("longjob", new Dictionary<string, string> { ["long_after_ns"] = threshold.ToString(CultureInfo.InvariantCulture) },
                longTasks.LongItems > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"no identities: a task past the short class's measured p95 ({longTasks.ShortP95CpuMs:F1} ms CPU, +25 %) counts as long")
                    : "no identities: a task past twice the shortest group's CPU time counts as long"));
            candidates.Add(Spec("fifo", new Dictionary<string, string> { ["slice_ns"] = "20000000" }, "run long, switch rarely"));
        }
        else if (kpi == PrimaryKpi.P99)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture,
                $"Latency-sensitive ({c.VoluntarySwitchesPerSecond:F0} voluntary switches/s, {c.MeanBurstMs:F2} ms bursts): short slices so a woken task waits less."));
            candidates.Add(Spec("vtime", new Dictionary<string, string> { ["slice_ns"] = "1000000", ["max_lag_ns"] = "5000000" }, "short slices, small lag"));
            if (c.MeanBurstMs <= WakeAffineMaxBurstMs && c.VoluntarySwitchesPerSecond >= WakeAffineMinSwitchesPerSecond)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Tasks wake each other in short bursts ({c.MeanBurstMs:F2} ms ≤ {WakeAffineMaxBurstMs} ms, {c.VoluntarySwitchesPerSecond:F0} ≥ {WakeAffineMinSwitchesPerSecond} wakeups/s): try wake-affine placement, the wakee on the waker's CPU, so no idle CPU has to wake."));
                candidates.Add(Spec("vtime", new Dictionary<string, string> { ["wake_local"] = "true" }, "wake-affine: the wakee runs on the waker's CPU"));
                candidates.Add(Spec("vtime", new Dictionary<string, string> { ["wake_local"] = "true", ["slice_ns"] = "1000000", ["max_lag_ns"] = "5000000" }, "wake-affine with short slices"));
            }

            candidates.Add(Spec("fifo", new Dictionary<string, string> { ["slice_ns"] = "1000000", ["direct_idle"] = "true" }, "short FIFO slices, direct idle dispatch"));
            candidates.Add(Spec("vtime", new Dictionary<string, string> { ["slice_ns"] = "2000000", ["max_lag_ns"] = "20000000" }, "short slices, wakers keep credit"));
            candidates.Add(Spec("fifo", new Dictionary<string, string> { ["slice_ns"] = "5000000", ["direct_idle"] = "true" }, "default FIFO"));
            candidates.Add(Spec("vtime", new Dictionary<string, string>(), "default vtime"));
            candidates.Add(Spec("vtime", new Dictionary<string, string> { ["slice_ns"] = "500000", ["max_lag_ns"] = "2000000" }, "very short slices"));
        }
        else
        {
            reasons.Add("Batch work without a dominant long task: fewer switches and simple queues.");
            candidates.Add(Spec("fifo", new Dictionary<string, string> { ["slice_ns"] = "20000000" }, "long FIFO slices"));
            candidates.Add(Spec("fifo", new Dictionary<string, string>(), "default FIFO"));
            candidates.Add(Spec("vtime", new Dictionary<string, string> { ["slice_ns"] = "10000000" }, "fair, longer slices"));
            candidates.Add(Spec("vtime", new Dictionary<string, string>(), "default vtime"));
            if (c.LongTail || c.ShortLivedProcesses)
            {
                var threshold = OnlineThresholdNs(report);
                candidates.Add(Spec("longjob", new Dictionary<string, string> { ["long_after_ns"] = threshold.ToString(CultureInfo.InvariantCulture) },
                    string.Create(CultureInfo.InvariantCulture, $"tasks past {threshold / 1e6:F1} ms of CPU time run first")));
            }
        }

        if (previousBest is null && candidates.Count > 0 && candidates.All(c => !Fits(c.PolicyName, history, available)))
        {
            var composed = Composed(report).ToList();
            if (composed.Count > 0)
            {
                reasons.Add($"No catalog policy fits: {string.Join(", ", candidates.Select(c => c.PolicyName).Distinct())} {(available is null ? "" : "are not runnable here or ")}never beat EEVDF on this workload; composing new schedulers from code primitives.");
                return new OptimizationPlan(PlanKind.Generate, [.. composed.Take(maxCandidates)], reasons, "offline");
            }
        }

        var unique = candidates.DistinctBy(s => s.PolicyName + "|" + string.Join(",", s.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value)))
            .Take(maxCandidates)
            .ToArray();
        return new OptimizationPlan(PlanKind.Reconfigure, unique, reasons, "offline");
    }

    /// <summary>
    /// The CPU time past which a task never seen counts as long: 25 % past the short class's measured p95 when the
    /// observation found long items, else twice the shortest group's mean; within 5 ms and 1 s.
    /// </summary>
    /// <param name="report">The observation.</param>
    public static long OnlineThresholdNs(ObservationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var ms = report.LongTasks.LongItems > 0 && report.LongTasks.ShortP95CpuMs > 0
            ? report.LongTasks.ShortP95CpuMs * 1.25
            : report.TaskGroups.Count > 0 ? report.TaskGroups.Min(g => g.MeanCpuMs) * 2 : 10;
        return (long)Math.Clamp(ms * 1e6, 5e6, 1e9);
    }

    /// <summary>
    /// Schedulers composed from code primitives for the report's goal: longest-job-first ordering on one shared queue
    /// for a makespan with a long tail, virtual time on per-CPU queues with the previous CPU first for p99 latency,
    /// FIFO with load-scaled slices otherwise; each with the slice the rules would use.
    /// </summary>
    /// <param name="report">The observation.</param>
    public static IEnumerable<CandidateSpec> Composed(ObservationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var recipes = report.Kpi == PrimaryKpi.Makespan && report.Profile.Characteristics.LongTail
            ? new[]
            {
                ("gen_ljf", new[] { "dsq_global", "order_ljf", "idle_default", "slice_fixed" }, ("slice_ns", "5000000"), "longest job first on one queue: the long tail starts early"),
                ("gen_ljf_adaptive", new[] { "dsq_global", "order_ljf", "idle_prev_cpu_first", "slice_adaptive" }, ("slice_max_ns", "20000000"), "longest job first, adaptive slices"),
            }
            : report.Kpi == PrimaryKpi.P99
            ? new[]
            {
                ("gen_vtime_local", new[] { "dsq_per_cpu", "order_vtime", "idle_prev_cpu_first", "slice_fixed" }, ("slice_ns", "1000000"), "fair per-CPU queues, short slices, the wakee stays warm"),
                ("gen_deadline", new[] { "dsq_global", "order_deadline", "idle_default", "slice_fixed" }, ("slice_ns", "2000000"), "earliest deadline first with short slices"),
            }
            : new[]
            {
                ("gen_fifo_scaled", new[] { "dsq_global", "order_fifo", "idle_default", "slice_scaled_by_load" }, ("slice_ns", "20000000"), "FIFO, slices that shrink under load"),
                ("gen_sjf", new[] { "dsq_global", "order_sjf", "idle_default", "slice_fixed" }, ("slice_ns", "10000000"), "shortest job first: short tasks leave early"),
            };
        var composer = new SchedulerComposer();
        foreach (var (name, primitives, (key, value), why) in recipes)
        {
            var composed = composer.Compose("schedcp_" + name, primitives);
            if (composed.Succeeded)
            {
                var parameters = new Dictionary<string, string>(StringComparer.Ordinal) { [key] = value };
                yield return new CandidateSpec(Label(name, parameters), name, parameters)
                {
                    Source = composed.Value!.Source,
                    Primitives = primitives,
                    Rationale = why,
                };
            }
        }
    }

    private static bool Fits(string policy, IReadOnlyList<PolicyRanking> history, IReadOnlySet<string>? available)
    {
        if (available is not null && !available.Contains(policy))
        {
            return false;
        }

        var measured = history.Where(h => h.PolicyName == policy).ToList();
        return measured.Count == 0 || measured.Any(h => h.MeanRatio > 1);
    }

    private static IEnumerable<CandidateSpec> Refine(CandidateSpec best)
    {
        foreach (var key in new[] { "slice_ns", "long_slice_ns", "max_lag_ns" })
        {
            if (best.Parameters.TryGetValue(key, out var v) && long.TryParse(v, CultureInfo.InvariantCulture, out var ns) && ns > 0)
            {
                yield return Spec(best.PolicyName, With(best.Parameters, (key, (ns / 2).ToString(CultureInfo.InvariantCulture))), $"{key} halved");
                yield return Spec(best.PolicyName, With(best.Parameters, (key, (ns * 2).ToString(CultureInfo.InvariantCulture))), $"{key} doubled");
            }
        }
    }

    private static CandidateSpec Spec(string policy, IReadOnlyDictionary<string, string> parameters, string why) =>
        new(Label(policy, parameters), policy, parameters) { Rationale = why };

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> parameters, params (string Key, string Value)[] changes)
    {
        var copy = new Dictionary<string, string>(parameters, StringComparer.Ordinal);
        foreach (var (k, v) in changes)
        {
            copy[k] = v;
        }

        return copy;
    }

    /// <summary>A short label: the policy and its non-name parameters, durations in ms.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="parameters">Its parameters.</param>
    public static string Label(string policy, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var parts = parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
            p.Key.StartsWith("long_comm", StringComparison.Ordinal) || p.Key.StartsWith("long_fork", StringComparison.Ordinal) ? null
            : p.Key.EndsWith("_ns", StringComparison.Ordinal) && long.TryParse(p.Value, CultureInfo.InvariantCulture, out var ns)
                ? string.Create(CultureInfo.InvariantCulture, $"{p.Key[..^3]}={ns / 1e6:0.###}ms")
                : $"{p.Key}={p.Value}").Where(p => p is not null).ToList();
        if (parameters.Keys.Any(k => k.StartsWith("long_comm", StringComparison.Ordinal)))
        {
            parts.Insert(0, "learned names");
        }

        if (parameters.Keys.Any(k => k.StartsWith("long_fork", StringComparison.Ordinal)))
        {
            parts.Insert(0, "learned fork order");
        }

        return parts.Count == 0 ? policy : $"{policy} ({string.Join(", ", parts)})";
    }
}
