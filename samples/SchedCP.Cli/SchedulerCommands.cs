using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SchedCP.Agents;
using SchedCP.ControlPlane.Deployment;
using SchedCP.Kernel.Capabilities;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Schedulers;
using SchedCP.Kernel.Supervision;
using SchedCP.Kernel.Trials;
using SchedCP.Kernel.Workloads;
using SchedCP.Repository;
using SchedCP.Verifier.Canary;
using SchedCP.Verifier.Compile;
using SchedCP.Verifier.Pipeline;
using SchedCP.Verifier.StaticAnalysis;

/// <summary>
/// Running schedulers: <c>run</c>, <c>deploy</c>, <c>rollback</c>, <c>stop</c> and <c>status</c> on a sched_ext host
/// (run and deploy go through the control plane's deployment service: token, canary, known-good rollback);
/// <c>sandbox run</c> in the sandbox guest; <c>verify</c> a BPF C file through the gauntlet; <c>bench</c> a workload side by side with EEVDF.
/// Every policy goes through the repository's parameter schema first, so nothing unchecked reaches the loader.
/// </summary>
internal static class SchedulerCommands
{
    public const string Usage = """
        usage: schedcp run POLICY [name=value ...] --token T [--key PEM] [--db PATH]
                                                                     deploy on a sched_ext host as a canary, then hold it until Ctrl-C or 'schedcp stop'
               schedcp deploy POLICY [name=value ...] --token T [--key PEM] [--db PATH]
                                                                     the same canary deployment; without sched_ext a sandbox guest plays the host
               schedcp rollback                                      back to the known-good scheduler before the last deployment, or EEVDF
                 --token T          the deployment token the verifier issued for this policy, parameters, object and host
                 --key PEM          the verifier's key the token is checked against (the MCP server's --signing-key)
                 --unsafe-no-token  LAB ONLY: deploy without a token; journaled as unsafe, still canaried
               schedcp stop                                          stops what 'schedcp run' started
               schedcp status                                        kernel sched_ext state and what 'schedcp run' runs
               schedcp sandbox run POLICY [name=value ...] [--seconds N] [--threads N] [--json]
               schedcp sandbox check                                 whether the sandbox toolchain and QEMU are usable
               schedcp verify FILE.bpf.c|FILE.bpf.o [--kernel] [--json]  compile (source only), static checks (and the kernel verifier in the sandbox)
               schedcp bench longtail|wakeup|buildlike [--schedulers a,b] [--repeats N] [--json]
        """;

    private static string PidFile => Path.Combine(Environment.GetEnvironmentVariable("SCHEDCP_RUN_DIR") ?? "/run/schedcp", "current.json");

    public static async Task<int> RunAsync(string command, string[] args)
    {
        CliArguments a;
        try
        {
            a = CliArguments.Parse(args, 1, ["--db", "--seconds", "--threads", "--schedulers", "--repeats", "--token", "--key"], ["--json", "--kernel", "--verbose", "--unsafe-no-token"]);
            return command switch
            {
                "run" => await DeployAsync(a, holdOnHost: true),
                "deploy" => await DeployAsync(a, holdOnHost: false),
                "rollback" => await RollbackAsync(a),
                "stop" => Stop(),
                "status" => Status(),
                "sandbox" => await SandboxAsync(a),
                "verify" => await VerifyAsync(a),
                _ => await BenchAsync(a),
            };
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"schedcp {command}: {e.Message}\n{Usage}");
            return 2;
        }
    }

    private static async Task<(SchedulerPolicy, SchedulerUnderTest)?> ResolveAsync(ServiceProvider services, CliArguments a, int position)
    {
        if (a.Positionals.Count <= position)
        {
            throw new ArgumentException("name a policy (see 'schedcp list')");
        }

        if (PolicyName.Validate(a.Positionals[position]) is { Succeeded: false } invalid)
        {
            throw new ArgumentException(invalid.Error.Reason);
        }

        var repository = services.GetRequiredService<PolicyRepository>();
        var policy = await repository.GetPolicyAsync(a.Positionals[position]);
        if (!policy.Succeeded)
        {
            Console.Error.WriteLine(policy.Error!.Reason);
            return null;
        }

        var validated = await repository.ValidateParametersAsync(policy.Value!.Name, a.Parameters);
        if (!validated.Succeeded)
        {
            Console.Error.WriteLine(validated.Error!.Reason);
            return null;
        }

        if (PolicySchedulers.Create(policy.Value, validated.Value!, null, out var problem) is not { } scheduler)
        {
            Console.Error.WriteLine(problem);
            return null;
        }

        return (policy.Value, scheduler);
    }

    /// <summary>Exit code of a refused deployment (token, options or candidate); the message says what to do.</summary>
    public const int Refused = 7;

    // The control plane for deployments: the verifier's key from --key (every token is refused as foreign without it).
    private static ServiceProvider DeploymentServices(CliArguments a)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSchedCPKernel();
        var database = Cli.Database(a.Option("--db"));
        services.AddSchedCPRepository(o => o.DatabasePath = database);
        System.Security.Cryptography.ECDsa? key = null;
        if (a.Option("--key") is { } pem)
        {
            key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            key.ImportFromPem(File.ReadAllText(pem));
        }

        services.AddSchedCPVerifier(p => p.UseCompile().UseStaticAnalysis(), key);
        services.AddSchedCPAgents();
        services.AddSchedCPControlPlane(o => o.AllowUnsafeNoToken = a.Has("--unsafe-no-token"));
        return services.BuildServiceProvider();
    }

    private static async Task<int> DeployAsync(CliArguments a, bool holdOnHost)
    {
        var verb = holdOnHost ? "run" : "deploy";
        var token = a.Option("--token");
        var unsafeNoToken = a.Has("--unsafe-no-token");
        if (token is null && !unsafeNoToken)
        {
            // The service refuses this too; saying it before anything loads is kinder.
            Console.Error.WriteLine($"schedcp {verb}: refused (Missing): attaching a scheduler on a host is a deployment and needs a deployment token. "
                + "Verify the candidate (MCP 'verify' at kernel or sandbox depth) and pass its token with --token and the verifier's key with --key; on a lab machine only, --unsafe-no-token.");
            return Refused;
        }

        if (holdOnHost && !new CapabilityProbe().Probe().CanRunSchedulers)
        {
            Console.Error.Write($"This host cannot run sched_ext schedulers; 'schedcp deploy' rehearses the deployment in a sandbox guest and 'schedcp sandbox run' runs a scheduler there.\n{new CapabilityProbe().Probe()}");
            return 3;
        }

        await using var services = DeploymentServices(a);
        if (await ResolveAsync(services, a, 0) is not var (policy, _))
        {
            return 4;
        }

        var repository = services.GetRequiredService<PolicyRepository>();
        var validated = (await repository.ValidateParametersAsync(policy.Name, a.Parameters)).Value!;
        var artifact = await services.GetRequiredService<PolicyWorkbench>().ArtifactPathAsync(policy.Name, a.Parameters);
        if (!artifact.Succeeded)
        {
            Console.Error.WriteLine($"schedcp {verb}: refused: {artifact.Error!.Reason}");
            return Refused;
        }

        var deployments = services.GetRequiredService<DeploymentService>();
        var candidate = new DeployableScheduler(policy.Name, artifact.Value!, policy.OpsName ?? policy.Name) { Parameters = validated.Rodata.ToDictionary(r => r.Variable, r => r.Value) };
        var outcome = await deployments.DeployAsync(new DeploymentRequest(candidate, token, "cli") { TokenParameters = validated.Values, UnsafeNoToken = unsafeNoToken });
        (outcome.Status == DeploymentStatus.Promoted ? Console.Out : Console.Error).WriteLine($"schedcp {verb}: {outcome}");
        switch (outcome.Status)
        {
            case DeploymentStatus.Refused:
                return Refused;
            case DeploymentStatus.Failed:
                return 5;
            case DeploymentStatus.RolledBack:
                return 6;
        }

        if (outcome.Where != "host")
        {
            return 0;
        }

        // The loader is this process's child: hold it until Ctrl-C or 'schedcp stop', as 'run' always did.
        return await HoldAsync(services, policy.Name, outcome.Running);
    }

    private static async Task<int> RollbackAsync(CliArguments a)
    {
        var onHost = new CapabilityProbe().Probe().CanRunSchedulers;
        if (onHost && File.Exists(PidFile))
        {
            // The running deployment belongs to another schedcp process: ask it to let go first.
            Stop();
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        await using var services = DeploymentServices(a);
        var outcome = await services.GetRequiredService<DeploymentService>().RollbackAsync("cli");
        Console.WriteLine($"schedcp rollback: {outcome}");
        return onHost && outcome.Running != "EEVDF" ? await HoldAsync(services, outcome.Policy, outcome.Running) : 0;
    }

    private static async Task<int> HoldAsync(ServiceProvider services, string policy, string ops)
    {
        var supervisor = services.GetRequiredService<ISchedulerSupervisor>();
        if (supervisor.Current is not { } running)
        {
            Console.Error.WriteLine($"{policy} is not held by this process.");
            return 5;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(PidFile)!);
        await File.WriteAllTextAsync(PidFile, JsonSerializer.Serialize(new { pid = Environment.ProcessId, policy, ops }));
        Console.WriteLine($"{policy} attached as {running}; Ctrl-C or 'schedcp stop' detaches it.");
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        var ended = await Task.WhenAny(running.Completion, Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default));
        File.Delete(PidFile);
        if (ended == running.Completion)
        {
            Console.Error.WriteLine($"{policy} ended on its own: {running.Completion.Result}");
            return 6;
        }

        var exit = await supervisor.StopAsync();
        Console.WriteLine(exit.Succeeded ? $"detached: {exit.Value}" : exit.Failure!.ToString());
        return exit.Succeeded ? 0 : 5;
    }

    private static int Stop()
    {
        if (!File.Exists(PidFile))
        {
            Console.Error.WriteLine("Nothing to stop: no scheduler was started with 'schedcp run' on this host.");
            return 4;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(PidFile));
        var pid = document.RootElement.GetProperty("pid").GetInt32();
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]))!;
        kill.WaitForExit();
        Console.WriteLine(kill.ExitCode == 0 ? $"asked schedcp run (pid {pid}) to detach its scheduler" : $"pid {pid} is gone; removing its record");
        if (kill.ExitCode != 0)
        {
            File.Delete(PidFile);
        }

        return 0;
    }

    private static int Status()
    {
        var state = new SchedCP.Kernel.SchedExt.SchedExtState();
        Console.WriteLine(state.TryRead(out var status, out var failure)
            ? $"sched_ext {status!.State.ToString().ToLowerInvariant()}, ops {status.Ops ?? "-"}, enable_seq {status.EnableSeq}"
            : $"sched_ext unavailable: {failure}");
        Console.WriteLine(File.Exists(PidFile) ? $"schedcp run: {File.ReadAllText(PidFile)}" : "schedcp run: nothing started");
        return 0;
    }

    private static async Task<int> SandboxAsync(CliArguments a)
    {
        var verb = a.Positionals.FirstOrDefault();
        if (verb == "check")
        {
            if (!SandboxToolchain.TryLocate(null, out var toolchain, out var missing))
            {
                Console.Error.WriteLine(missing!.Message);
                return 3;
            }

            Console.WriteLine($"sandbox toolchain: {toolchain!.Directory}");
            return 0;
        }

        if (verb != "run")
        {
            throw new ArgumentException("use 'sandbox run POLICY' or 'sandbox check'");
        }

        await using var services = Cli.Services(Cli.Database(a.Option("--db")), a.Has("--verbose"));
        if (await ResolveAsync(services, a, 1) is not var (policy, scheduler))
        {
            return 4;
        }

        var trials = services.GetRequiredService<SchedulerTrialRunner>();
        var result = await trials.RunAsync(new SchedulerTrial(scheduler)
        {
            WorkloadThreads = a.PositiveInt("--threads", 4),
            WorkloadDuration = TimeSpan.FromSeconds(a.PositiveInt("--seconds", 3)),
        });
        if (a.Has("--json"))
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

    private static async Task<int> VerifyAsync(CliArguments a)
    {
        if (a.Positionals.Count != 1 || !File.Exists(a.Positionals[0]))
        {
            throw new ArgumentException(a.Positionals.Count == 1 ? $"no such file: {a.Positionals[0]}" : "name one .bpf.c file");
        }

        var path = Path.GetFullPath(a.Positionals[0]);
        var candidate = VerifyCandidate(path);
        await using var services = Cli.Services(Cli.Database(a.Option("--db")), a.Has("--verbose"), kernelVerifier: a.Has("--kernel"));
        var report = await services.GetRequiredService<VerifierPipeline>().VerifyAsync(candidate);
        if (a.Has("--json"))
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

    private static async Task<int> BenchAsync(CliArguments a)
    {
        if (a.Positionals.Count != 1 || OptimizeCommand.BenchmarkWorkloadFor(a.Positionals[0]) is not { } workload)
        {
            throw new ArgumentException("name a workload: longtail, wakeup or buildlike");
        }

        await using var services = Cli.Services(Cli.Database(a.Option("--db")), a.Has("--verbose"));
        var schedulers = new List<SchedulerUnderTest>();
        foreach (var name in (a.Option("--schedulers") ?? "vtime").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var one = CliArguments.Parse([name], 0, [], []);
            if (await ResolveAsync(services, one, 0) is not var (_, scheduler))
            {
                return 4;
            }

            schedulers.Add(scheduler);
        }

        var session = await services.GetRequiredService<WorkloadRunner>().RunSideBySideInSandboxAsync(
            services.GetRequiredService<ISandboxRunner>(), [workload], a.PositiveInt("--repeats", 3), schedulers);
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
        if (a.Has("--json"))
        {
            Console.WriteLine(JsonSerializer.Serialize(rows, Cli.Json));
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
