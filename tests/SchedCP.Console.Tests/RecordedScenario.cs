using SchedCP.Agents.Runtime;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.WorkUnits;
using SchedCP.Console.Feed;

namespace SchedCP.Console.Tests;

/// <summary>
/// A short deterministic run recorded by a real runtime (editor holds <c>src/a.c</c> while reviewer and tester queue
/// for it), and a replay of it in which the tester claims another file, so the replay diverges.
/// </summary>
public static class RecordedScenario
{
    public static async Task<(RecordedRun Recorded, RecordedRun Diverged)> RecordAsync()
    {
        var workspace = Directory.CreateTempSubdirectory("schedcp-console-replay-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(workspace, "src"));
            await File.WriteAllTextAsync(Path.Combine(workspace, "src/a.c"), "int a;\n");
            var options = new AgentRuntimeOptions { WorkspaceRoot = workspace, EventLogPath = null, DefaultLeaseTtl = TimeSpan.FromMinutes(5) };
            AgentRunReport recorded;
            using (var runtime = new AgentRuntime(options))
            {
                AddAgents(runtime, testerFile: "src/a.c");
                recorded = await runtime.RunAsync();
            }

            await File.WriteAllTextAsync(Path.Combine(workspace, "src/a.c"), "int a;\n");
            using var replay = AgentRuntime.ForReplay(options, recorded.Events);
            AddAgents(replay, testerFile: "src/b.c");
            var replayed = await replay.RunAsync();
            Assert.NotNull(replayed.Divergence);
            return (new RecordedRun("recorded", recorded.Events, null, false), new RecordedRun("diverged", recorded.Events, replayed.Divergence, false));
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    private static void AddAgents(AgentRuntime runtime, string testerFile)
    {
        runtime.AddAgent("editor", async (ctx, ct) =>
        {
            var lease = (await ctx.ClaimAsync([Claim.Exclusive(WorkUnit.File("src/a.c"))])).GetValueOrThrow();
            ctx.WriteFile("src/a.c", "int a = 1;\n", lease.FencingToken).GetValueOrThrow();
            await ctx.YieldAsync();
            await ctx.YieldAsync();
            ctx.Release(lease);
        });
        runtime.AddAgent("reviewer", async (ctx, ct) =>
        {
            var lease = (await ctx.ClaimAsync([Claim.Shared(WorkUnit.File("src/a.c"))])).GetValueOrThrow();
            ctx.Release(lease);
        });
        runtime.AddAgent("tester", async (ctx, ct) =>
        {
            var lease = (await ctx.ClaimAsync([Claim.Exclusive(WorkUnit.File(testerFile))])).GetValueOrThrow();
            ctx.Release(lease);
        });
    }
}
