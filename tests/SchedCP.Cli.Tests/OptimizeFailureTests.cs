namespace SchedCP.Cli.Tests;

/// <summary>
/// <c>schedcp optimize</c> where nothing it needs is built: a copy of the tool outside this repository, as a user who
/// installed the package runs it. Nothing boots: the workload is found missing before any guest starts.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OptimizeFailureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("schedcp-cli-outside-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Optimize_without_built_workloads_exits_1_with_the_failure_and_its_remedy_and_records_nothing()
    {
        var tool = Path.Combine(_dir, "tool");
        CopyDirectory(AppContext.BaseDirectory, tool);
        var db = Path.Combine(_dir, "repository.db");

        var run = await Schedcp.RunAsync(Path.Combine(tool, "schedcp.dll"), _dir, ["optimize", "longtail", "--db", db]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("schedcp optimize: longtail could not be observed", run.Err, StringComparison.Ordinal);
        Assert.Contains("workload binaries", run.Err, StringComparison.Ordinal);
        Assert.Contains("SCHEDCP_WORKLOADS_DIR", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("better than EEVDF", run.Out, StringComparison.Ordinal);

        // The repository holds no profile and no run of the failed attempt.
        Assert.Equal(0, Count(db, "workload_profiles"));
        Assert.Equal(0, Count(db, "runs"));
    }

    private static long Count(string db, string table)
    {
        if (!File.Exists(db))
        {
            return 0;
        }

        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
