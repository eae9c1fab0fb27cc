using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SchedCP.Agents.Runtime.Orchestration;
using SchedCP.Agents.Runtime.Orchestration.Resources;
using SchedCP.Agents.Runtime.Orchestration.Simulation;
using SchedCP.Agents.Runtime.Orchestration.Tasks;

namespace SchedCP.Agents.Runtime.Tests.Orchestration;

/// <summary>On seeded random layered DAGs with noisy durations and spot interruptions, every schedule respects dependencies, capacity and budget.</summary>
public sealed class SchedulingPropertyTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static Arbitrary<(int Seed, int Tasks, int Pools, int BudgetPercent)> Cases() =>
        Gen.Choose(1, 1_000_000).Zip(Gen.Choose(3, 60)).Zip(Gen.Choose(3, 14)).Zip(Gen.Choose(5, 150))
            .Select(t => (t.Item1.Item1.Item1, t.Item1.Item1.Item2, t.Item1.Item2, t.Item2)).ToArbitrary();

    [Property(MaxTest = 40)]
    public Property Every_task_starts_only_after_all_its_dependencies_completed() =>
        Prop.ForAll(Cases(), c =>
        {
            var (orchestrator, result) = Simulate(c.Seed, c.Tasks, c.Pools, budget: null, onTick: null);
            using (orchestrator)
            {
                var dag = orchestrator.Dag!;
                var completedAt = orchestrator.Tasks.ToDictionary(t => t.TaskId, t => t.History.Where(h => h.To == TaskState.Completed).Select(h => h.At).DefaultIfEmpty(DateTimeOffset.MaxValue).Max());
                var ok = orchestrator.Tasks.All(run => run.History.Where(h => h.To == TaskState.Running).All(started =>
                    dag.Tasks.Single(t => t.Id == run.TaskId).DependsOn.All(d => completedAt[d] <= started.At)));
                // Interruptions may exhaust a task's retries; then it failed and its dependents were cancelled, never run.
                var unfinishedExplained = orchestrator.Tasks.Where(t => !t.History.Any(h => h.To == TaskState.Completed))
                    .All(t => t.History.Any(h => h.To is TaskState.Failed or TaskState.Cancelled));
                return (ok && orchestrator.IsFinished && unfinishedExplained && !result.Stuck).Label($"completed {result.Completed}/{dag.Count}, stuck={result.Stuck}");
            }
        });

    [Property(MaxTest = 40)]
    public Property Placed_work_never_exceeds_any_pool_capacity() =>
        Prop.ForAll(Cases(), c =>
        {
            var violations = new List<string>();
            var (orchestrator, _) = Simulate(c.Seed, c.Tasks, c.Pools, budget: null, onTick: (o, _) =>
            {
                var local = (LocalPool)o.Pools[0];
                var used = o.Tasks.Where(t => t.State is TaskState.Scheduled or TaskState.Running && t.Placement!.PoolId == local.Id)
                    .Sum(t => o.Dag!.Tasks.Single(s => s.Id == t.TaskId).Requirements.Cpu);
                if (used > local.Cpu)
                {
                    violations.Add($"local uses {used} of {local.Cpu} cores");
                }

                foreach (var cloud in o.Pools.OfType<SimulatedCloudPool>())
                {
                    var perInstance = o.Tasks.Where(t => t.State is TaskState.Scheduled or TaskState.Running && t.Placement!.PoolId == cloud.Id)
                        .GroupBy(t => t.Placement!.InstanceId).ToList();
                    if (perInstance.Count > cloud.MaxInstances || cloud.InstanceCount > cloud.MaxInstances || perInstance.Any(g => g.Count() > cloud.Type.Cpu))
                    {
                        violations.Add($"{cloud.Id} over capacity: {perInstance.Count} instances of {cloud.MaxInstances}");
                    }
                }
            });
            orchestrator.Dispose();
            return (violations.Count == 0).Label(string.Join("; ", violations.Take(3)));
        });

    [Property(MaxTest = 40)]
    public Property Spend_plus_commitments_never_exceed_the_budget() =>
        Prop.ForAll(Cases(), c =>
        {
            // A budget between 5 % and 150 % of what an unconstrained run spends.
            var (free, freeResult) = Simulate(c.Seed, c.Tasks, c.Pools, budget: null, onTick: null);
            free.Dispose();
            var budget = Math.Round(freeResult.Cost * c.BudgetPercent / 100m, 6);
            var worst = 0m;
            var (orchestrator, result) = Simulate(c.Seed, c.Tasks, c.Pools, budget, onTick: (o, _) => worst = Math.Max(worst, o.Budget.Spent + o.Budget.Committed));
            orchestrator.Dispose();
            return (worst <= budget && result.Cost <= budget).Label($"budget {budget}, worst {worst}, spent {result.Cost}");
        });

    internal static (DagOrchestrator Orchestrator, SimulationResult Result) Simulate(int seed, int tasks, int pools, decimal? budget, Action<DagOrchestrator, TickReport>? onTick)
    {
        var clock = new SimulationClock(Start);
        var orchestrator = new DagOrchestrator(LayeredDagGenerator.StandardPools(pools), new OrchestratorOptions { Budget = budget }, clock);
        orchestrator.Submit(LayeredDagGenerator.Generate(tasks, seed)).GetValueOrThrow();
        var simulation = new DagSimulation(orchestrator, clock, new SimulationSettings(seed, DurationNoise: 0.3, SpotInterruptionsPerHour: 2));
        var result = simulation.Run(onTick is null ? null : report => onTick(orchestrator, report));
        return (orchestrator, result);
    }
}
