using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SchedCP.Agents;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Schedulers;
using SchedCP.Kernel.Trials;
using SchedCP.Kernel.Workloads;
using SchedCP.Repository;
using SchedCP.Verifier.Compile;
using SchedCP.Verifier.Pipeline;
using SchedCP.Verifier.StaticAnalysis;

// Trying a policy without deploying it: the sandbox run, the verifier gauntlet and the side-by-side bench; the host
// commands (run, deploy, rollback, stop, status) are in SchedulerCommands.cs.
internal static partial class SchedulerCommands
{
    private static int SandboxCheck(bool json)
    {
        var usable = SandboxToolchain.TryLocate(null, out var toolchain, out var missing);
        if (json)
        {
            Cli.WriteJson(new { usable, directory = toolchain?.Directory, missing = missing?.Message });
        }
        else if (usable)
        {
            Console.WriteLine($"sandbox toolchain: {toolchain!.Directory}");
        }
        else
        {
            Console.Error.WriteLine(missing!.Message);
        }

        return usable ? 0 : 3;
    }

    private static async Task<int> SandboxRunAsync(PolicyArguments a, int seconds, int threads, string? db, bool json, bool verbose)
    {
        var live = new ProgressLoggerProvider();
        await using var services = Cli.Services(Cli.Database(db), verbose, live: live);
        if (await ResolveAsync(services, a) is not var (policy, scheduler))
        {
            return 4;
        }

        var trials = services.GetRequiredService<SchedulerTrialRunner>();
        var result = await Terminal.ProgressAsync($"Running {policy.Name} in the sandbox guest...", progress =>
        {
            live.Progress = progress;
            return trials.RunAsync(new SchedulerTrial(scheduler) { WorkloadThreads = threads, WorkloadDuration = TimeSpan.FromSeconds(seconds) });
        });
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                policy = policy.Name,
                attached = result.Attached is not null,
                ops = result.Attached?.Ops,
                failure = result.Failure?.ToString(),
                exit = result.Exit,
                nrRejected = result.Attached?.NrRejected,
            }, Cli.Json));
        }
        else
        {
            Console.WriteLine(result.Failure is null
                ? $"{policy.Name} attached as {result.Attached?.Ops} in the sandbox, ran the workload and detached cleanly ({result.Exit?.Kind})."
                : $"{policy.Name} failed in the sandbox: {result.Failure}");
        }

        return result.Failure is null ? 0 : 5;
    }

    private static async Task<int> VerifyAsync(string file, bool kernel, string? db, bool json, bool verbose)
    {
        if (!File.Exists(file))
        {
            throw new ArgumentException($"no such file: {file}");
        }

        var path = Path.GetFullPath(file);
        var candidate = VerifyCandidate(path);
        var live = new ProgressLoggerProvider();
        await using var services = Cli.Services(Cli.Database(db), verbose, kernelVerifier: kernel, live: live);
        var report = await Terminal.ProgressAsync($"Verifying {Path.GetFileName(path)}{(kernel ? " (the kernel verifier boots the sandbox guest)" : "")}...", progress =>
        {
            live.Progress = progress;
            return services.GetRequiredService<VerifierPipeline>().VerifyAsync(candidate);
        });
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                passed = report.Passed,
                objectPath = report.ObjectPath,
                stages = report.Verdicts.Select(v => new { v.Stage, v.Passed, v.Reason, findings = v.Findings.Select(f => f.ToString()), v.Metrics }),
            }, Cli.Json));
        }
        else
        {
            foreach (var line in report.Lines())
            {
                Console.WriteLine(line);
            }
        }

        return report.Passed ? 0 : 1;
    }

    /// <summary>
    /// What <c>verify</c> was given, decided by content first: an ELF file is a compiled BPF object (analysed as is);
    /// a C file (<c>.c</c>, <c>.h</c>) of text is a source to compile; anything else is refused with what to pass.
    /// </summary>
    private static VerificationCandidate VerifyCandidate(string path)
    {
        Span<byte> head = stackalloc byte[512];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read))
        {
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        var name = Path.GetFileName(path);
        var stem = name.Replace(".bpf.o", "", StringComparison.Ordinal).Replace(".bpf.c", "", StringComparison.Ordinal);
        if (read >= 4 && head[..4].SequenceEqual("\u007fELF"u8))
        {
            return VerificationCandidate.FromObject(Path.GetFileNameWithoutExtension(stem), path);
        }

        var extension = Path.GetExtension(path);
        if (extension is ".o")
        {
            throw new ArgumentException($"{name} ends in .o but is not an ELF object; pass the .bpf.o clang built, or the .bpf.c source");
        }

        if (extension is not (".c" or ".h") || head[..read].Contains((byte)0))
        {
            throw new ArgumentException($"{name} is neither BPF C source (.bpf.c text) nor a compiled BPF object (ELF .bpf.o); pass one of those");
        }

        return VerificationCandidate.FromSource(Path.GetFileNameWithoutExtension(stem), path);
    }

    private static async Task<int> BenchAsync(string workloadName, string schedulerNames, int repeats, string? db, bool json, bool verbose)
    {
        if (OptimizeCommand.BenchmarkWorkloadFor(workloadName) is not { } workload)
        {
            throw new ArgumentException("name a workload: longtail, wakeup or buildlike");
        }

        var live = new ProgressLoggerProvider();
        await using var services = Cli.Services(Cli.Database(db), verbose, live: live);
        var schedulers = new List<SchedulerUnderTest>();
        foreach (var name in schedulerNames.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (await ResolveAsync(services, PolicyArguments.From([name])) is not var (_, scheduler))
            {
                return 4;
            }

            schedulers.Add(scheduler);
        }

        var session = await Terminal.ProgressAsync($"Running {workload.Name} {repeats} times per arm against EEVDF in the sandbox guest...", progress =>
        {
            live.Progress = progress;
            return services.GetRequiredService<WorkloadRunner>().RunSideBySideInSandboxAsync(services.GetRequiredService<ISandboxRunner>(), [workload], repeats, schedulers);
        });
        if (session.Failure is not null)
        {
            Console.Error.WriteLine(session.Failure);
            return 5;
        }

        var metrics = session.Arms.SelectMany(arm => arm.Runs).Where(r => r.Result is not null).SelectMany(r => r.Result!.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();
        var rows = session.Arms.Select(arm => new
        {
            arm.Label,
            arm.Healthy,
            arm.Problem,
            Metrics = metrics.ToDictionary(m => m, m => arm.Values(workload.Name, m) is { Count: > 0 } v ? v.Average() : double.NaN),
        }).ToArray();
        if (json)
        {
            Cli.WriteJson(rows);
            return 0;
        }

        if (Terminal.StdoutIsInteractive)
        {
            Terminal.Table(rows, ["arm", "healthy", .. metrics], row => [row.Label, row.Healthy ? "yes" : "no: " + (row.Problem ?? "").Split('\n')[0], .. metrics.Select(m => row.Metrics[m].ToString("G4", CultureInfo.InvariantCulture))], row => row.Label);
            return 0;
        }

        Console.WriteLine($"| arm | healthy | {string.Join(" | ", metrics)} |");
        Console.WriteLine($"|---|---|{string.Concat(metrics.Select(_ => "---|"))}");
        foreach (var row in rows)
        {
            Console.WriteLine($"| {row.Label} | {(row.Healthy ? "yes" : "no: " + (row.Problem ?? "").Split('\n')[0].Replace("|", "/", StringComparison.Ordinal))} | {string.Join(" | ", metrics.Select(m => row.Metrics[m].ToString("G4", CultureInfo.InvariantCulture)))} |");
        }

        return 0;
    }
}
