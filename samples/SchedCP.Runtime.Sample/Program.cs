// Three scripted agents edit overlapping files and share the `test` process resource.
// Prints the event log and the diffs each agent left behind.
using SchedCP.Agents.Runtime;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.Tools;
using SchedCP.Agents.Runtime.WorkUnits;
using SchedCP.Core.Diffs;

var workspace = Path.Combine(Path.GetTempPath(), "schedcp-sample-" + Environment.ProcessId);
Directory.CreateDirectory(Path.Combine(workspace, "src"));
File.WriteAllText(Path.Combine(workspace, "src/config.txt"), "threads=1\nverbose=false\n");
File.WriteAllText(Path.Combine(workspace, "src/app.txt"), "main\n");

using var runtime = new AgentRuntime(new AgentRuntimeOptions { WorkspaceRoot = workspace });

// Edits one line of a file through a patch, then runs the shared test resource.
AgentBody Tuner(string file, string from, string to) => async (ctx, _) =>
{
    var lease = (await ctx.ClaimAsync([Claim.Exclusive(WorkUnit.File(file))])).GetValueOrThrow();
    var before = ctx.ReadFile(file).GetValueOrThrow().Content;
    var patch = UnifiedDiff.Create(file, before, before.Replace(from, to, StringComparison.Ordinal));
    ctx.PatchFile(file, patch, lease.FencingToken).GetValueOrThrow();
    ctx.Release(lease);

    var test = (await ctx.ClaimAsync([Claim.Exclusive(ProcessResources.Test)])).GetValueOrThrow();
    var run = await ctx.RunProcessAsync(new ProcessRequest(ProcessResources.Test, "/bin/sh", ["-c", "cat src/config.txt | wc -l"]), test.FencingToken);
    ctx.PublishArtifact(SchedCP.Agents.Runtime.Artifacts.ArtifactKind.Message, "test", "text/plain", $"{ctx.AgentId}: test exit {run.Value?.ExitCode}");
    ctx.Release(test);
};

runtime.AddAgent("alice", Tuner("src/config.txt", "threads=1", "threads=4"));
runtime.AddAgent("bob", Tuner("src/config.txt", "verbose=false", "verbose=true"));
runtime.AddAgent("carol", async (ctx, _) =>
{
    // Carol needs the whole src directory: she waits until alice and bob are done with files inside it.
    var lease = (await ctx.ClaimAsync([Claim.Exclusive(WorkUnit.Directory("src"))])).GetValueOrThrow();
    var app = ctx.ReadFile("src/app.txt").GetValueOrThrow().Content;
    ctx.WriteFile("src/app.txt", app + "uses config\n", lease.FencingToken).GetValueOrThrow();
    ctx.Release(lease);
});

var report = await runtime.RunAsync();

Console.WriteLine("== event log");
foreach (var e in report.Events)
{
    Console.WriteLine(e);
}

Console.WriteLine();
foreach (var agent in report.Agents)
{
    Console.WriteLine($"== {agent.Id}: {agent.State}, {agent.ChangeSet.Changes.Count} change(s)");
    Console.Write(agent.ChangeSet.Review());
}

Console.WriteLine();
Console.WriteLine("== src/config.txt");
Console.Write(File.ReadAllText(Path.Combine(workspace, "src/config.txt")));
Directory.Delete(workspace, recursive: true);
