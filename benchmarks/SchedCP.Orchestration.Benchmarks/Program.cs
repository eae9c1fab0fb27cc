using System.Globalization;
using BenchmarkDotNet.Running;
using SchedCP.Agents.Runtime.Orchestration;
using SchedCP.Agents.Runtime.Orchestration.Simulation;
using SchedCP.Orchestration.Benchmarks;

var start = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
switch (args.FirstOrDefault())
{
    case "latency":
        // Every tick of whole simulated runs, timed one by one: the distribution a live loop would see.
        Latency(100, 3);
        Console.WriteLine("| Tasks | Pools | Runs | Ticks | p50 all (µs) | p99 all (µs) | Busy ticks | p50 busy (µs) | p99 busy (µs) | max (µs) | first tick (µs) |");
        Console.WriteLine("|------:|------:|-----:|------:|-------------:|-------------:|-----------:|--------------:|--------------:|---------:|----------------:|");
        foreach (var (tasks, runs) in new[] { (100, 10), (1_000, 5), (10_000, 2) })
        {
            Console.WriteLine(Latency(tasks, runs));
        }

        break;
    case "compare":
        Console.WriteLine("| Tasks | Seeds | Scheduler | Mean makespan (min) | vs HEFT | Mean cost | vs HEFT |");
        Console.WriteLine("|------:|------:|-----------|--------------------:|--------:|----------:|--------:|");
        foreach (var tasks in new[] { 100, 1_000 })
        {
            Compare(tasks, seeds: 5);
        }

        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(TickBenchmarks).Assembly).Run(args);
        break;
}

string Latency(int tasks, int runs)
{
    var all = new List<double>();
    var busy = new List<double>();
    var first = new List<double>();
    for (var seed = 1; seed <= runs; seed++)
    {
        var clock = new SimulationClock(start);
        using var orchestrator = new DagOrchestrator(LayeredDagGenerator.StandardPools(50), new OrchestratorOptions(), clock);
        orchestrator.Submit(LayeredDagGenerator.Generate(tasks, seed)).GetValueOrThrow();
        var decided = new List<bool>();
        var result = new DagSimulation(orchestrator, clock, new SimulationSettings(seed, DurationNoise: 0.3, SpotInterruptionsPerHour: 1, MeasureTickLatency: true))
            .Run(report => decided.Add(report.Decisions.Count > 0));
        all.AddRange(result.TickMicroseconds);
        busy.AddRange(result.TickMicroseconds.Where((_, k) => decided[k]));
        first.Add(result.TickMicroseconds[0]);
    }

    all.Sort();
    busy.Sort();
    return string.Create(CultureInfo.InvariantCulture,
        $"| {tasks:N0} | 50 | {runs} | {all.Count:N0} | {Percentile(all, 0.50):0.0} | {Percentile(all, 0.99):0.0} | {busy.Count:N0} | {Percentile(busy, 0.50):0.0} | {Percentile(busy, 0.99):0.0} | {all[^1]:0.0} | {first.Average():0.0} |");
}

void Compare(int tasks, int seeds)
{
    var rows = new Dictionary<string, (List<double> Makespan, List<decimal> Cost)>();
    void Add(string name, double makespan, decimal cost)
    {
        if (!rows.TryGetValue(name, out var row))
        {
            rows[name] = row = ([], []);
        }

        row.Makespan.Add(makespan / 60);
        row.Cost.Add(cost);
    }

    for (var seed = 1; seed <= seeds; seed++)
    {
        var dag = LayeredDagGenerator.Generate(tasks, seed);
        var heft = Baselines.Heft(dag, LayeredDagGenerator.StandardPools(50));
        var fifo = Baselines.Fifo(dag, LayeredDagGenerator.StandardPools(50));
        Add("HEFT (static, on-demand)", heft.Makespan, heft.Cost);
        Add("Greedy FIFO (on-demand)", fifo.Makespan, fifo.Cost);
        foreach (var (name, options) in new[]
        {
            ("Orchestrator (0.6/0.3/0.1, spot allowed)", new OrchestratorOptions { TickInterval = TimeSpan.FromSeconds(5) }),
            ("Orchestrator (0.6/0.3/0.1, on-demand only)", new OrchestratorOptions { TickInterval = TimeSpan.FromSeconds(5), SpotUrgencyThreshold = 0 }),
        })
        {
            var clock = new SimulationClock(start);
            using var orchestrator = new DagOrchestrator(LayeredDagGenerator.StandardPools(50), options, clock);
            orchestrator.Submit(dag).GetValueOrThrow();
            var result = new DagSimulation(orchestrator, clock, new SimulationSettings(seed)).Run();
            Add(name, result.Makespan.TotalSeconds, result.Cost);
        }
    }

    var heftRow = rows["HEFT (static, on-demand)"];
    foreach (var (name, (makespan, cost)) in rows)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {tasks:N0} | {seeds} | {name} | {makespan.Average():0.0} | {makespan.Average() / heftRow.Makespan.Average():0.00}× | {cost.Average():0.00} | {(double)(cost.Average() / heftRow.Cost.Average()):0.00}× |"));
    }
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
