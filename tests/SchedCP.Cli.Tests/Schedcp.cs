using System.Diagnostics;

namespace SchedCP.Cli.Tests;

/// <summary>Runs the built <c>schedcp</c> as a child process in a scratch directory and captures what it printed.</summary>
internal sealed record Schedcp(int ExitCode, string Out, string Err)
{
    public static async Task<Schedcp> RunAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "schedcp.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["SCHEDCP_RUN_DIR"] = Path.Combine(workingDirectory, "run");
        start.Environment["XDG_DATA_HOME"] = Path.Combine(workingDirectory, "data");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        return new Schedcp(process.ExitCode, await stdout, await stderr);
    }
}
