using System.Net;
using System.Text.Json;
using SchedCP.Agents.Runtime;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.Records;
using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Console.Tests.Api;

/// <summary>The console reads the runs and artifacts a runtime kept in its state file, after that runtime is gone.</summary>
public sealed class StoredStateApiTests : IDisposable
{
    private readonly string _workspace = Path.Combine(Path.GetTempPath(), "schedcp-console-state-" + Guid.NewGuid().ToString("N"));

    public StoredStateApiTests() => Directory.CreateDirectory(_workspace);

    public void Dispose() => Directory.Delete(_workspace, recursive: true);

    [Fact]
    public async Task Runs_and_artifacts_of_an_ended_runtime_are_listed_from_its_state_file()
    {
        var statePath = Path.Combine(_workspace, "state.db");
        string runtimeId;
        using (var runtime = new AgentRuntime(new AgentRuntimeOptions { WorkspaceRoot = _workspace, EventLogPath = null }.UseSqliteState(statePath)))
        {
            runtimeId = runtime.RuntimeId;
            runtime.AddAgent("coder", async (ctx, _) =>
            {
                var lease = (await ctx.ClaimAsync([Claim.Exclusive(WorkUnit.File("a.txt"))])).GetValueOrThrow();
                ctx.WriteFile("a.txt", "hello\n", lease.FencingToken).GetValueOrThrow();
            }).GetValueOrThrow();
            await runtime.RunAsync().WaitAsync(TimeSpan.FromMinutes(2));
        }

        await using var server = await ConsoleServer.StartAsync();
        using var client = server.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("api/state/runs")).StatusCode);
        server.Feed.AttachState(RuntimeRecordStore.Sqlite(statePath));

        using var runs = JsonDocument.Parse(await client.GetStringAsync("api/state/runs"));
        var run = Assert.Single(runs.RootElement.EnumerateArray());
        Assert.Equal((runtimeId, "coder", "Completed"), (run.GetProperty("runtime").GetString(), run.GetProperty("agent").GetString(), run.GetProperty("state").GetString()));
        Assert.Equal("a.txt", Assert.Single(run.GetProperty("changes").EnumerateArray()).GetProperty("path").GetString());
        using var artifacts = JsonDocument.Parse(await client.GetStringAsync("api/state/artifacts"));
        Assert.Equal("Diff", Assert.Single(artifacts.RootElement.EnumerateArray()).GetProperty("kind").GetString());
    }
}
