using SchedCP.Agents.Runtime.Orchestration.Dags;
using SchedCP.Agents.Runtime.Orchestration.Resources;

namespace SchedCP.Orchestration.Benchmarks;

/// <summary>
/// Static schedules to compare the orchestrator with, over the same pools turned into slots: one slot per local
/// core, per core of every cloud instance a pool may launch (on-demand price, spin-up paid at the instance's first
/// use, billed from launch to its last finish), and per API call in flight. Exact estimates, no interruptions.
/// </summary>
internal static class Baselines
{
    /// <summary>HEFT (Topcuoglu et al. 2002) without insertion: tasks by decreasing upward rank, each on the slot giving the earliest finish.</summary>
    public static (double Makespan, decimal Cost) Heft(TaskDag dag, IReadOnlyList<IResourcePool> pools)
    {
        var slots = Slots(pools);
        var order = Enumerable.Range(0, dag.Count).OrderByDescending(i => dag.UpwardRankOf(dag.Tasks[i].Id)).ThenBy(i => i).ToArray();
        var finish = new double[dag.Count];
        var byId = dag.Tasks.Select((t, i) => (t.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        foreach (var i in order)
        {
            var ready = dag.Tasks[i].DependsOn.Select(d => finish[byId[d]]).DefaultIfEmpty(0).Max();
            var best = -1;
            double bestStart = 0, bestFinish = double.MaxValue;
            for (var s = 0; s < slots.Count; s++)
            {
                if (dag.Tasks[i].EstimateFor(slots[s].Kind) is not { } estimate)
                {
                    continue;
                }

                var start = Math.Max(ready, slots[s].FreeAt);
                if (slots[s].Instance is { } instance && instance.LaunchedAt is null)
                {
                    start = Math.Max(start, instance.SpinUp);
                }

                var end = start + estimate.Duration.TotalSeconds;
                if (end < bestFinish)
                {
                    (best, bestStart, bestFinish) = (s, start, end);
                }
            }

            Assign(dag.Tasks[i], slots[best], bestStart, bestFinish);
            finish[i] = bestFinish;
        }

        return (finish.Max(), Cost(slots));
    }

    /// <summary>Greedy FIFO: whenever a slot is free, the earliest-ready task (then by id) takes the first free slot in pool order.</summary>
    public static (double Makespan, decimal Cost) Fifo(TaskDag dag, IReadOnlyList<IResourcePool> pools)
    {
        var slots = Slots(pools);
        var byId = dag.Tasks.Select((t, i) => (t.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var successors = new List<int>[dag.Count];
        var waiting = new int[dag.Count];
        for (var i = 0; i < dag.Count; i++)
        {
            successors[i] ??= [];
            foreach (var d in dag.Tasks[i].DependsOn.Distinct(StringComparer.Ordinal))
            {
                (successors[byId[d]] ??= []).Add(i);
                waiting[i]++;
            }
        }

        var ready = new PriorityQueue<int, (double, int)>();
        for (var i = 0; i < dag.Count; i++)
        {
            if (waiting[i] == 0)
            {
                ready.Enqueue(i, (0, i));
            }
        }

        var running = new PriorityQueue<int, double>();
        var now = 0.0;
        var makespan = 0.0;
        var done = 0;
        while (done < dag.Count)
        {
            var blocked = new List<(int, (double, int))>();
            while (ready.TryDequeue(out var i, out var key))
            {
                var slot = slots.FirstOrDefault(s => s.FreeAt <= now && dag.Tasks[i].EstimateFor(s.Kind) is not null);
                if (slot is null)
                {
                    blocked.Add((i, key));
                    continue;
                }

                var start = now;
                if (slot.Instance is { LaunchedAt: null } instance)
                {
                    start += instance.SpinUp;
                }

                var end = start + dag.Tasks[i].EstimateFor(slot.Kind)!.Duration.TotalSeconds;
                Assign(dag.Tasks[i], slot, start, end);
                running.Enqueue(i, end);
            }

            foreach (var (i, key) in blocked)
            {
                ready.Enqueue(i, key);
            }

            running.TryDequeue(out var finished, out var at);
            now = Math.Max(now, at);
            makespan = Math.Max(makespan, at);
            done++;
            foreach (var s in successors[finished])
            {
                if (--waiting[s] == 0)
                {
                    ready.Enqueue(s, (now, s));
                }
            }
        }

        return (makespan, Cost(slots));
    }

    private static void Assign(TaskSpec task, Slot slot, double start, double end)
    {
        slot.FreeAt = end;
        if (slot.Instance is { } instance)
        {
            instance.LaunchedAt ??= start - instance.SpinUp;
            instance.LastFinish = Math.Max(instance.LastFinish, end);
        }

        slot.Cost += task.EstimateFor(slot.Kind)!.Cost + (slot.Kind == ResourceKind.Api ? slot.PerCall : 0m);
    }

    private static decimal Cost(List<Slot> slots) =>
        slots.Sum(s => s.Cost) + slots.Select(s => s.Instance).OfType<Instance>().Distinct()
            .Where(i => i.LaunchedAt is not null).Sum(i => i.PricePerHour * (decimal)((i.LastFinish - i.LaunchedAt!.Value) / 3600));

    private static List<Slot> Slots(IReadOnlyList<IResourcePool> pools)
    {
        var slots = new List<Slot>();
        foreach (var pool in pools)
        {
            switch (pool)
            {
                case LocalPool local:
                    slots.AddRange(Enumerable.Range(0, local.Cpu).Select(_ => new Slot(ResourceKind.Local)));
                    break;
                case SimulatedCloudPool cloud:
                    for (var k = 0; k < cloud.MaxInstances; k++)
                    {
                        var instance = new Instance(cloud.Type.SpinUp.TotalSeconds, cloud.Type.OnDemandPerHour);
                        slots.AddRange(Enumerable.Range(0, cloud.Type.Cpu).Select(_ => new Slot(ResourceKind.Cloud) { Instance = instance }));
                    }

                    break;
                case ApiRateLimitPool api:
                    slots.AddRange(Enumerable.Range(0, api.MaxInFlight).Select(_ => new Slot(ResourceKind.Api) { PerCall = api.CostPerCall }));
                    break;
            }
        }

        return slots;
    }

    private sealed class Slot(ResourceKind kind)
    {
        public ResourceKind Kind { get; } = kind;

        public double FreeAt { get; set; }

        public Instance? Instance { get; init; }

        public decimal PerCall { get; init; }

        public decimal Cost { get; set; }
    }

    private sealed class Instance(double spinUp, decimal pricePerHour)
    {
        public double SpinUp { get; } = spinUp;

        public decimal PricePerHour { get; } = pricePerHour;

        public double? LaunchedAt { get; set; }

        public double LastFinish { get; set; }
    }
}
