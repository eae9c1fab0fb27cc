using System.Collections.Concurrent;
using System.Diagnostics;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.Artifacts;
using SchedCP.Agents.Runtime.Tests.Claims.Storage;

namespace SchedCP.Agents.Runtime.Tests.Records;

/// <summary>A record writer process (SchedCP.Agents.Runtime.ClaimWorker in its records mode) is killed with SIGKILL; what it wrote is read by this process.</summary>
[Collection(LockStoreTests.Name)]
public sealed class TwoProcessRecordTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    public static TheoryData<string> SharedKinds => TestRecordState.SharedKinds;

    [Theory]
    [MemberData(nameof(SharedKinds))]
    public async Task Artifacts_change_sets_and_memory_of_a_killed_writer_are_read_by_another_process(string kind)
    {
        using var state = new TestRecordState(kind);
        var program = Path.Combine(AppContext.BaseDirectory, "SchedCP.Agents.Runtime.ClaimWorker.dll");
        var lines = new ConcurrentQueue<string>();
        using var writer = new Process
        {
            StartInfo = new ProcessStartInfo("dotnet", [program, "records", state.Workspace.Root, state.WorkerDatabase])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        writer.OutputDataReceived += (_, e) => Enqueue(e.Data);
        writer.ErrorDataReceived += (_, e) => Enqueue(e.Data is null ? null : "STDERR " + e.Data);
        writer.Start();
        writer.BeginOutputReadLine();
        writer.BeginErrorReadLine();
        string written;
        try
        {
            var stopwatch = Stopwatch.StartNew();
            while (lines.FirstOrDefault(l => l.StartsWith("WRITTEN ", StringComparison.Ordinal)) is not { } line)
            {
                Assert.False(writer.HasExited, $"the writer exited with {(writer.HasExited ? writer.ExitCode : 0)}: {string.Join('\n', lines)}");
                Assert.True(stopwatch.Elapsed < Patience, $"the writer wrote nothing within {Patience}: {string.Join('\n', lines)}");
                await Task.Delay(50);
            }

            written = lines.First(l => l.StartsWith("WRITTEN ", StringComparison.Ordinal))["WRITTEN ".Length..];
        }
        finally
        {
            writer.Kill();
            await writer.WaitForExitAsync();
        }

        using var reader = new AgentRuntime(state.Options());
        Assert.Equal("the writer's finding", reader.Artifacts.Get(new ArtifactId(written)).GetValueOrThrow().Content);
        Assert.Equal("wrote notes.txt", reader.Memory.Get("writer").Summary);
        var run = Assert.Single(reader.Runs.ForRuntime("writer"));
        Assert.Equal(AgentState.Running, run.State);
        var change = Assert.Single(run.Changes);
        Assert.Equal(("notes.txt", "written before the kill\n"), (change.Path, change.After));
        Assert.Equal(change.Diff, reader.Artifacts.Get(change.DiffArtifactId).GetValueOrThrow().Content);

        void Enqueue(string? line)
        {
            if (line is not null)
            {
                lines.Enqueue(line);
            }
        }
    }
}
