using SchedCP.Agents.Runtime;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.Artifacts;
using SchedCP.Agents.Runtime.WorkUnits;

/// <summary>
/// A runtime named "writer" on a shared state (a SQLite file, or "postgresql:" and a connection string) whose agent
/// "writer" changes notes.txt, publishes an artifact and updates its memory, prints <c>WRITTEN &lt;artifact-id&gt;</c>
/// and then waits to be killed: what it wrote must be readable by the next process.
/// </summary>
internal static class RecordWriter
{
    public static async Task RunAsync(string workspace, string database)
    {
        var options = new AgentRuntimeOptions { WorkspaceRoot = workspace, EventLogPath = null, StateHolderScope = "writer" };
        options = database.StartsWith("postgresql:", StringComparison.Ordinal) ? options.UsePostgreSqlState(database["postgresql:".Length..]) : options.UseSqliteState(database);
        using var runtime = new AgentRuntime(options);
        runtime.AddAgent("writer", async (ctx, cancellationToken) =>
        {
            var lease = (await ctx.ClaimAsync([Claim.Exclusive(WorkUnit.File("notes.txt"))]).ConfigureAwait(false)).GetValueOrThrow();
            ctx.WriteFile("notes.txt", "written before the kill\n", lease.FencingToken).GetValueOrThrow();
            var id = ctx.PublishArtifact(ArtifactKind.Message, "findings", "text/plain", "the writer's finding");
            ctx.Memory.UpdateSummary(ctx.AgentId, "wrote notes.txt").GetValueOrThrow();
            Console.WriteLine("WRITTEN " + id.Value);
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }).GetValueOrThrow();
        await runtime.RunAsync().ConfigureAwait(false);
    }
}
