using System.Diagnostics;

namespace SchedCP.Cli.Tests;

/// <summary>Runs the built <c>schedcp</c> as a child process in a scratch directory and captures what it printed.</summary>
internal sealed record Schedcp(int ExitCode, string Out, string Err)
{
    public static Task<Schedcp> RunAsync(string workingDirectory, params string[] args) =>
        RunAsync(Path.Combine(AppContext.BaseDirectory, "schedcp.dll"), workingDirectory, args);

    /// <summary>Runs the built <c>schedcp</c> with <paramref name="environment"/> over the usual variables; a null value removes one.</summary>
    public static Task<Schedcp> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        RunAsync(Path.Combine(AppContext.BaseDirectory, "schedcp.dll"), workingDirectory, args, environment);

    /// <summary>Runs the built <c>schedcp</c> with <paramref name="standardInput"/> written to its stdin, then closed.</summary>
    public static Task<Schedcp> RunWithInputAsync(string workingDirectory, string standardInput, params string[] args) =>
        RunAsync(Path.Combine(AppContext.BaseDirectory, "schedcp.dll"), workingDirectory, args, standardInput: standardInput);

    /// <summary>Runs the <c>schedcp.dll</c> at <paramref name="application"/>, without the variables that point at this repository's builds.</summary>
    public static async Task<Schedcp> RunAsync(string application, string workingDirectory, string[] args, IReadOnlyDictionary<string, string?>? environment = null, string? standardInput = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = standardInput is not null, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(application);
        if (!application.StartsWith(AppContext.BaseDirectory, StringComparison.Ordinal))
        {
            // A copy outside the repository sees what a user's machine sees: only what the environment says.
            start.Environment.Remove("SCHEDCP_BPF_DIR");
            start.Environment.Remove("SCHEDCP_WORKLOADS_DIR");
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["SCHEDCP_RUN_DIR"] = Path.Combine(workingDirectory, "run");
        start.Environment["XDG_DATA_HOME"] = Path.Combine(workingDirectory, "data");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            // Written while the output is drained; the command may stop reading early, which closes the pipe.
            try
            {
                await process.StandardInput.WriteAsync(standardInput);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        return new Schedcp(process.ExitCode, await stdout, await stderr);
    }
}
