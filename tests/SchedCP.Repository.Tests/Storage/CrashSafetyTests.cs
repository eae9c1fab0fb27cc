using System.Diagnostics;
using Xunit.Abstractions;

namespace SchedCP.Repository.Tests.Storage;

public class CrashSafetyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_committed_batch_survives_a_writer_killed_mid_write()
    {
        using var db = new TemporaryDatabase();
        var writer = Path.Combine(AppContext.BaseDirectory, "SchedCP.Repository.CrashWriter.dll");
        Assert.True(File.Exists(writer), $"missing {writer}");

        var start = new ProcessStartInfo("dotnet", [writer, db.Path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var committed = new List<int>();
        var stopwatch = Stopwatch.StartNew();

        // Kill at a moment that is not aligned with a commit: after a number of batches, plus a few milliseconds.
        while (committed.Count < 40 && stopwatch.Elapsed < TimeSpan.FromSeconds(30))
        {
            var line = await process.StandardOutput.ReadLineAsync();
            if (line is null)
            {
                break;
            }

            committed.Add(int.Parse(line["committed ".Length..], System.Globalization.CultureInfo.InvariantCulture));
        }

        await Task.Delay(7);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        var rest = await process.StandardOutput.ReadToEndAsync();
        committed.AddRange(rest.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => int.Parse(l["committed ".Length..], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(committed.Count >= 40, "the writer did not commit enough batches: " + await process.StandardError.ReadToEndAsync());

        var store = db.Store();
        Assert.Equal("ok", await store.CheckIntegrityAsync());
        var fingerprint = WorkloadFingerprint.Compute(new Dictionary<string, string> { ["kind"] = "crash" });
        var runs = await store.GetRunsAsync(fingerprint);
        var ids = runs.Select(r => r.RunId).ToHashSet(StringComparer.Ordinal);
        foreach (var batch in committed)
        {
            for (var i = 0; i < 16; i++)
            {
                Assert.Contains($"run-{batch}-{i}", ids);
            }
        }

        // No torn batch: whatever was written, was written whole.
        Assert.All(runs.GroupBy(r => r.SessionId), g => Assert.Equal(16, g.Count()));
        output.WriteLine($"killed after {committed.Count} acknowledged batches; {runs.Count / 16} batches on disk; integrity ok");
    }
}
