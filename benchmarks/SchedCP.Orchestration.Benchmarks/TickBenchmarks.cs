using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using SchedCP.Agents.Runtime.Orchestration;
using SchedCP.Agents.Runtime.Orchestration.Simulation;

namespace SchedCP.Orchestration.Benchmarks;

/// <summary>
/// The heaviest tick of a run: a fresh layered DAG over 50 pools, every entry-layer task eligible and every pool
/// empty, so each eligible task is scored against every offer until capacity runs out. One tick per iteration.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 20)]
[MemoryDiagnoser]
public class TickBenchmarks
{
    private DagOrchestrator? _orchestrator;

    [Params(100, 1_000, 10_000)]
    public int Tasks { get; set; }

    [IterationSetup]
    public void Setup()
    {
        _orchestrator?.Dispose();
        var clock = new SimulationClock(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        _orchestrator = new DagOrchestrator(LayeredDagGenerator.StandardPools(50), new OrchestratorOptions(), clock);
        _orchestrator.Submit(LayeredDagGenerator.Generate(Tasks, seed: 1)).GetValueOrThrow();
    }

    [Benchmark]
    public int First_tick() => _orchestrator!.Tick().Placements.Count;
}
