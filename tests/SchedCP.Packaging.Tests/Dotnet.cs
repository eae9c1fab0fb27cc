using System.Diagnostics;

namespace SchedCP.Packaging.Tests;

/// <summary>Runs a command as a user types it, with its own NuGet package folder so no package comes from an earlier run.</summary>
public sealed record Dotnet(int ExitCode, string Out, string Err)
{
    public static async Task<Dotnet> RunAsync(string fileName, string workingDirectory, string packageCache, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["NUGET_PACKAGES"] = packageCache;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // The test host's own MSBuild settings must not leak into a build outside the repository.
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBuildSDKsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        // A user outside the repository has no repository folders: what the packages ship must be enough.
        start.Environment.Remove("SCHEDCP_BPF_DIR");
        start.Environment.Remove("SCHEDCP_WORKLOADS_DIR");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        await process.WaitForExitAsync(timeout.Token);
        return new Dotnet(process.ExitCode, await stdout, await stderr);
    }

    public override string ToString() => $"exit {ExitCode}\n{Out}\n{Err}";
}
