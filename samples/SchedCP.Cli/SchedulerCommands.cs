using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SchedCP.Agents;
using SchedCP.ControlPlane.Deployment;
using SchedCP.ControlPlane.Scheduling;
using SchedCP.ControlPlane.Verification;
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
internal static partial class SchedulerCommands
{
    private static string PidFile => Path.Combine(Environment.GetEnvironmentVariable("SCHEDCP_RUN_DIR") ?? "/run/schedcp", "current.json");

    public static IEnumerable<Command> Create()
    {
        yield return Deploy("run", "deploy POLICY on this sched_ext host as a canary, then hold it until Ctrl-C or 'schedcp stop'", holdOnHost: true);
        yield return Deploy("deploy", "the same token-checked canary deployment; without sched_ext a sandbox guest plays the host", holdOnHost: false);
        yield return Rollback();
        yield return StopCommand();
        yield return StatusCommand();
        yield return Sandbox();
        yield return Verify();
        yield return Bench();
    }

    // POLICY name=value...: the policy and its parameters, checked against the policy's schema before anything loads.
    private static Argument<string[]> PolicyAndParameters(string description) => new("POLICY name=value")
    {
        Arity = ArgumentArity.ZeroOrMore,
        Description = description,
    };

    private static Command Deploy(string verb, string description, bool holdOnHost)
    {
        var policy = PolicyAndParameters("the policy (see 'schedcp list') and its parameters as name=value");
        var token = new Option<string?>("--token") { HelpName = "T", Description = "the deployment token the verifier issued for this policy, parameters, object and host" };
        var key = new Option<string?>("--key") { HelpName = "PEM", Description = "the verifier's key the token is checked against (the MCP server's --signing-key)" };
        var unsafeNoToken = new Option<bool>("--unsafe-no-token") { Description = "LAB ONLY: deploy without a token; journaled as unsafe, still canaried" };
        var (json, db) = (CliOptions.Json(), CliOptions.Database());
        var command = new Command(verb, description) { policy, token, key, unsafeNoToken, json, db };
        command.SetCliAction((parsed, _) => DeployAsync(
            verb, PolicyArguments.From(parsed.GetValue(policy)), parsed.GetValue(token), parsed.GetValue(key), parsed.GetValue(unsafeNoToken), parsed.GetValue(db), parsed.GetValue(json), holdOnHost));
        return command;
    }

    private static Command Rollback()
    {
        var key = new Option<string?>("--key") { HelpName = "PEM", Description = "the verifier's key (as for deploy)" };
        var (json, db) = (CliOptions.Json(), CliOptions.Database());
        var command = new Command("rollback", "back to the known-good scheduler before the last deployment, or EEVDF") { key, json, db };
        command.SetCliAction((parsed, _) => RollbackAsync(parsed.GetValue(key), parsed.GetValue(db), parsed.GetValue(json)));
        return command;
    }

    private static Command StopCommand()
    {
        var json = CliOptions.Json();
        var command = new Command("stop", "detach what 'schedcp run' started (exit 4 when nothing runs)") { json };
        command.SetCliAction((parsed, _) => Task.FromResult(Stop(parsed.GetValue(json))));
        return command;
    }

    private static Command StatusCommand()
    {
        var json = CliOptions.Json();
        var command = new Command("status", "the kernel's sched_ext state and what 'schedcp run' holds") { json };
        command.SetCliAction((parsed, _) => Task.FromResult(Status(parsed.GetValue(json))));
        return command;
    }

    private static Command Sandbox()
    {
        var policy = PolicyAndParameters("the policy (see 'schedcp list') and its parameters as name=value");
        var seconds = CliOptions.PositiveInt("--seconds", 3, "how long the workload runs under the scheduler");
        var threads = CliOptions.PositiveInt("--threads", 4, "the workload's threads");
        var (json, db, verbose) = (CliOptions.Json(), CliOptions.Database(), CliOptions.Verbose());
        var run = new Command("run", "boot the sched_ext guest, attach POLICY, run a workload under it and detach (exit 5 when it fails there)") { policy, seconds, threads, json, db, verbose };
        run.SetCliAction((parsed, _) => SandboxRunAsync(PolicyArguments.From(parsed.GetValue(policy)), parsed.GetValue(seconds), parsed.GetValue(threads), parsed.GetValue(db), parsed.GetValue(json), parsed.GetValue(verbose)));
        var checkJson = CliOptions.Json();
        var check = new Command("check", "whether the sandbox toolchain and QEMU are usable (exit 3 when not)") { checkJson };
        check.SetCliAction((parsed, _) => Task.FromResult(SandboxCheck(parsed.GetValue(checkJson))));
        return new Command("sandbox", "a scheduler in the sandbox guest") { run, check };
    }

    private static Command Verify()
    {
        var file = new Argument<string>("FILE") { Description = "a BPF C source (.bpf.c) to compile, or a compiled BPF object (.bpf.o)" };
        var kernel = new Option<bool>("--kernel") { Description = "also load it through the kernel's verifier in the sandbox guest" };
        var (json, db, verbose) = (CliOptions.Json(), CliOptions.Database(), CliOptions.Verbose());
        var command = new Command("verify", "the verifier gauntlet: compile (source only), static checks, and with --kernel the kernel verifier (exit 1 when it fails)") { file, kernel, json, db, verbose };
        command.SetCliAction((parsed, _) => VerifyAsync(parsed.GetValue(file)!, parsed.GetValue(kernel), parsed.GetValue(db), parsed.GetValue(json), parsed.GetValue(verbose)));
        return command;
    }

    private static Command Bench()
    {
        var workload = new Argument<string>("WORKLOAD") { HelpName = "longtail|wakeup|buildlike", Description = "the benchmark workload" };
        workload.CompletionSources.Add("longtail", "wakeup", "buildlike");
        var schedulers = new Option<string>("--schedulers") { HelpName = "a,b", Description = "the policies to compare with EEVDF", DefaultValueFactory = _ => "vtime" };
        var repeats = CliOptions.PositiveInt("--repeats", 3, "runs per arm");
        var (json, db, verbose) = (CliOptions.Json(), CliOptions.Database(), CliOptions.Verbose());
        var command = new Command("bench", "a workload side by side with EEVDF in the sandbox guest, one arm per scheduler") { workload, schedulers, repeats, json, db, verbose };
        command.SetCliAction((parsed, _) => BenchAsync(parsed.GetValue(workload)!, parsed.GetValue(schedulers)!, parsed.GetValue(repeats), parsed.GetValue(db), parsed.GetValue(json), parsed.GetValue(verbose)));
        return command;
    }

    private static async Task<(SchedulerPolicy, SchedulerUnderTest)?> ResolveAsync(ServiceProvider services, PolicyArguments a)
    {
        if (PolicyName.Validate(a.Name) is { Succeeded: false } invalid)
        {
            throw new ArgumentException(invalid.Failure.Message);
        }

        var repository = services.GetRequiredService<PolicyRepository>();
        var policy = await repository.GetPolicyAsync(a.Name);
        if (!policy.Succeeded)
        {
            Console.Error.WriteLine(policy.Failure!.Describe());
            return null;
        }

        var validated = await repository.ValidateParametersAsync(policy.Value!.Name, a.Parameters);
        if (!validated.Succeeded)
        {
            // A value outside the policy's schema is bad input, like any other malformed argument.
            throw new ArgumentException(validated.Failure!.Describe());
        }

        var scheduler = PolicySchedulers.Create(policy.Value, validated.Value!, null, out var problem);
        // A revised or composed policy is stored as source: the workbench builds its object, as the tools' trials do.
        if (scheduler is null && policy.Value.Kind == PolicyKind.Generated)
        {
            var built = await services.GetRequiredService<PolicyWorkbench>().SchedulerAsync(policy.Value.Name, a.Parameters);
            (scheduler, problem) = (built.Value, built.Failure?.Message);
        }

        if (scheduler is null)
        {
            Console.Error.WriteLine(problem);
            return null;
        }

        return (policy.Value, scheduler);
    }

    /// <summary>Exit code of a refused deployment (token, options or candidate); the message says what to do.</summary>
    public const int Refused = 7;

    // The control plane for deployments: the verifier's key from --key (every token is refused as foreign without it).
    private static ServiceProvider DeploymentServices(string? db, string? keyFile, bool unsafeNoToken)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSchedCPKernel();
        var database = Cli.Database(db);
        services.AddSchedCPRepository(o => o.DatabasePath = database);
        System.Security.Cryptography.ECDsa? key = null;
        if (keyFile is { } pem)
        {
            key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            key.ImportFromPem(File.ReadAllText(pem));
        }

        services.AddSchedCPVerifier(p => p.UseCompile().UseStaticAnalysis(), key);
        services.AddSchedCPAgents();
        services.AddSchedCPControlPlane(o => o.AllowUnsafeNoToken = unsafeNoToken);
        return services.BuildServiceProvider();
    }

    private static async Task<int> DeployAsync(string verb, PolicyArguments a, string? token, string? keyFile, bool unsafeNoToken, string? db, bool json, bool holdOnHost)
    {
        _ = a.Name;
        // Refusals before the deployment service answers: the reason on stderr, and as JSON on stdout with --json.
        int Refuse(int code, string reason)
        {
            Console.Error.WriteLine(reason);
            if (json)
            {
                Cli.WriteJson(new { status = code == Refused ? DeploymentStatus.Refused : (DeploymentStatus?)null, reason });
            }

            return code;
        }

        if (token is null && !unsafeNoToken)
        {
            // The service refuses this too; saying it before anything loads is kinder.
            return Refuse(Refused, $"schedcp {verb}: refused (Missing): attaching a scheduler on a host is a deployment and needs a deployment token. "
                + "Verify the candidate (MCP 'verify' at kernel or sandbox depth) and pass its token with --token and the verifier's key with --key; on a lab machine only, --unsafe-no-token.");
        }

        if (holdOnHost && new CapabilityProbe().Probe() is { CanRunSchedulers: false } capabilities)
        {
            return Refuse(3, $"This host cannot run sched_ext schedulers; 'schedcp deploy' rehearses the deployment in a sandbox guest and 'schedcp sandbox run' runs a scheduler there.\n{capabilities}".TrimEnd());
        }

        await using var services = DeploymentServices(db, keyFile, unsafeNoToken);
        if (await ResolveAsync(services, a) is not var (policy, _))
        {
            return 4;
        }

        var repository = services.GetRequiredService<PolicyRepository>();
        var validated = (await repository.ValidateParametersAsync(policy.Name, a.Parameters)).Value!;
        var artifact = await services.GetRequiredService<PolicyWorkbench>().ArtifactPathAsync(policy.Name, a.Parameters);
        if (!artifact.Succeeded)
        {
            return Refuse(Refused, $"schedcp {verb}: refused: {artifact.Failure!.Describe()}");
        }

        var deployments = services.GetRequiredService<DeploymentService>();
        var candidate = new DeployableScheduler(policy.Name, artifact.Value!, policy.OpsName ?? policy.Name) { Parameters = validated.Rodata.ToDictionary(r => r.Variable, r => r.Value) };
        var outcome = await deployments.DeployAsync(new DeploymentRequest(candidate, token, "cli") { TokenParameters = validated.Values, UnsafeNoToken = unsafeNoToken });
        if (json)
        {
            Cli.WriteJson(outcome);
        }
        else
        {
            (outcome.Status == DeploymentStatus.Promoted ? Console.Out : Console.Error).WriteLine($"schedcp {verb}: {outcome}");
        }

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

    private static async Task<int> RollbackAsync(string? keyFile, string? db, bool json)
    {
        var onHost = new CapabilityProbe().Probe().CanRunSchedulers;
        if (onHost && File.Exists(PidFile))
        {
            // The running deployment belongs to another schedcp process: ask it to let go first.
            Stop(json: false);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        await using var services = DeploymentServices(db, keyFile, unsafeNoToken: false);
        var outcome = await services.GetRequiredService<DeploymentService>().RollbackAsync("cli");
        if (json)
        {
            Cli.WriteJson(outcome);
        }
        else
        {
            Console.WriteLine($"schedcp rollback: {outcome}");
        }

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

    private static int Stop(bool json)
    {
        if (!File.Exists(PidFile))
        {
            Console.Error.WriteLine("Nothing to stop: no scheduler was started with 'schedcp run' on this host.");
            if (json)
            {
                Cli.WriteJson(new { stopped = false, reason = "nothing was started with 'schedcp run' on this host" });
            }

            return 4;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(PidFile));
        var pid = document.RootElement.GetProperty("pid").GetInt32();
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]))!;
        kill.WaitForExit();
        if (json)
        {
            Cli.WriteJson(new { stopped = kill.ExitCode == 0, pid });
        }
        else
        {
            Console.WriteLine(kill.ExitCode == 0 ? $"asked schedcp run (pid {pid}) to detach its scheduler" : $"pid {pid} is gone; removing its record");
        }

        if (kill.ExitCode != 0)
        {
            File.Delete(PidFile);
        }

        return 0;
    }

    private static int Status(bool json)
    {
        var state = new SchedCP.Kernel.SchedExt.SchedExtState();
        var readable = state.TryRead(out var status, out var failure);
        if (json)
        {
            using var held = File.Exists(PidFile) ? JsonDocument.Parse(File.ReadAllText(PidFile)) : null;
            Cli.WriteJson(new { schedExt = readable ? status : null, failure = readable ? null : failure?.ToString(), run = held?.RootElement });
            return 0;
        }

        Console.WriteLine(readable
            ? $"sched_ext {status!.State.ToString().ToLowerInvariant()}, ops {status.Ops ?? "-"}, enable_seq {status.EnableSeq}"
            : $"sched_ext unavailable: {failure}");
        Console.WriteLine(File.Exists(PidFile) ? $"schedcp run: {File.ReadAllText(PidFile)}" : "schedcp run: nothing started");
        return 0;
    }
}
