using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SchedCP.Agents;
using SchedCP.Agents.Runtime;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Console.Feed;
using SchedCP.Kernel.Analysis;
using SchedCP.Repository;

namespace SchedCP.Console.Tests.Feed;

/// <summary>An optimisation loop's progress calls land on the console's loop pages and its runtime on the agents page.</summary>
public sealed class ConsoleLoopProgressTests
{
    [Fact]
    public async Task Loop_progress_is_served_as_the_loop_and_its_runtime()
    {
        await using var server = await ConsoleServer.StartAsync();
        var progress = new ConsoleLoopProgress(server.Feed);
        // A command workload's name can hold anything; the console's id keeps the safe characters.
        const string runId = "my prog-20261206031500";
        const string id = "my-prog-20261206031500";
        var spec = new CandidateSpec("longjob slice=2ms", "longjob", new Dictionary<string, string> { ["slice_ms"] = "2" }) { Rationale = "long tasks first" };
        var better = new KpiChange("makespan_ms", KpiDirection.LowerIsBetter, new KpiSpread(5, 400, 4), new KpiSpread(5, 300, 3), 0.75, 3.5, KpiVerdict.Better, "Welch");

        progress.LoopStarted(runId, "my prog", null);
        progress.StageChanged(runId, "observation", OptimizationStageStatus.Running, null);
        progress.LoopStarted(runId, "my prog", PrimaryKpi.Makespan);
        progress.StageChanged(runId, "observation", OptimizationStageStatus.Done, "batch of 11 tasks");
        progress.CandidateChanged(runId, spec, null);
        progress.StageChanged(runId, "execution-1", OptimizationStageStatus.Failed, "guest did not boot");
        progress.CandidateChanged(runId, spec, new CandidateOutcome(spec, CandidateStatus.Measured, "x0.750 against EEVDF", better, "compile:pass static:pass"));
        progress.VerifierReported(runId, spec.Label, [new VerifierVerdict("compile", true, "built", "", DateTimeOffset.UnixEpoch), new VerifierVerdict("static", false, "unbounded loop", "", DateTimeOffset.UnixEpoch)]);
        progress.CostReported(runId, new CostReport([new StageCost("planning", TimeSpan.FromSeconds(2), 3, 100, 50, 0.01m)]));
        progress.LoopFinished(runId, "best longjob slice=2ms");
        using var workspace = new TemporaryFolder();
        using var runtime = new AgentRuntime(new AgentRuntimeOptions { WorkspaceRoot = workspace.Path, EventLogPath = null, DefaultLeaseTtl = TimeSpan.FromMinutes(5) });
        runtime.AddAgent("observation", (_, _) => Task.CompletedTask).GetValueOrThrow();
        progress.RuntimeCreated(runId, runtime);
        using var client = server.Client();

        using var doc = JsonDocument.Parse(await client.GetStringAsync($"api/loops/{id}"));
        var loop = doc.RootElement;

        Assert.Equal("my prog", loop.GetProperty("workload").GetString());
        Assert.Equal("makespan_ms", loop.GetProperty("metric").GetString());
        Assert.False(loop.GetProperty("higherIsBetter").GetBoolean());
        Assert.Equal(
            ["observation Done batch of 11 tasks", "execution-1 Failed guest did not boot"],
            loop.GetProperty("stages").EnumerateArray().Select(s => $"{s.GetProperty("name").GetString()} {s.GetProperty("status").GetString()} {s.GetProperty("detail").GetString()}"));
        var candidate = Assert.Single(loop.GetProperty("candidates").EnumerateArray());
        Assert.Equal("longjob", candidate.GetProperty("policy").GetString());
        Assert.Equal("measured", candidate.GetProperty("status").GetString());
        Assert.Equal(CandidateView.Better, candidate.GetProperty("verdict").GetString());
        Assert.Equal(400, candidate.GetProperty("baseline").GetDouble());
        Assert.Equal(0.75, candidate.GetProperty("ratio").GetDouble(), 3);
        var report = Assert.Single(loop.GetProperty("verifierReports").EnumerateArray());
        Assert.False(report.GetProperty("passed").GetBoolean());
        Assert.Equal("unbounded loop", report.GetProperty("stages")[1].GetProperty("detail").GetString());
        var cost = Assert.Single(loop.GetProperty("cost").EnumerateArray());
        Assert.Equal(150, cost.GetProperty("tokens").GetInt64());
        Assert.Equal("best longjob slice=2ms", loop.GetProperty("outcome").GetString());
        Assert.Same(runtime, server.Feed.Runtime(id));
        Assert.Contains(id, await client.GetStringAsync("api/runtimes"), StringComparison.Ordinal);
    }

    [Fact]
    public void AddSchedCPConsole_registers_the_loop_progress_on_the_consoles_feed()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSchedCPConsole(o => o.BearerToken = ConsoleServer.Token);
        using var provider = services.BuildServiceProvider();

        var progress = Assert.Single(provider.GetServices<IOptimizationProgress>());
        progress.LoopStarted("run-1", "longtail", PrimaryKpi.Makespan);

        Assert.Same(provider.GetRequiredService<ConsoleLoopProgress>(), progress);
        Assert.Equal("longtail", provider.GetRequiredService<ConsoleFeed>().Loop("run-1")!.Workload);
    }

    private sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"schedcp-console-loop-{Guid.NewGuid():N}")).FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
