using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SchedCP.Agents;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Workloads;
using SchedCP.Verifier.StaticAnalysis;
using SchedCP.Verifier.Tokens;

/// <summary>
/// <c>schedcp optimize WORKLOAD [options]</c> or <c>schedcp optimize [options] -- PROGRAM [ARGS...]</c>: the closed
/// sched-agent loop on a benchmark workload or on any command (run through <c>runcmd</c>, judged by its makespan),
/// offline unless a model is configured: observe, plan, verify and measure candidates side by side with EEVDF in the
/// sandbox, learn.
/// </summary>
internal static class OptimizeCommand
{
    public const string Usage = """
        usage: schedcp optimize longtail|longtail-same|wakeup|buildlike|hackbench|xz-batch|cyclictest|stress-ng|
                                sysbench-cpu|sysbench-threads|make-j [options]
               schedcp optimize --workload NAME [options]
               schedcp optimize [options] -- PROGRAM [ARGS...]
          PROGRAM             any command, judged by its makespan: an executable (static or dynamic) or a script
                              whose interpreter this machine has (#!/bin/sh, #!/usr/bin/env python3...), copied into
                              the sandbox guest, which runs this machine's own programs and libraries
          --kpi REGEX         with -- PROGRAM: judge it by a number it prints instead of its makespan: a regex
                              with one capture group around the number, matched on the last 4 KiB of its output
                              (the last match counts; 1 s match limit); lower is better
          --kpi-higher        the --kpi number is a throughput: higher is better
          --cwd DIR           with -- PROGRAM: run it in DIR (read-only in the sandbox guest)
          --env NAME=VALUE    with -- PROGRAM: set a variable (repeatable; set with setenv, never through a shell)
          --workload NAME     a built-in benchmark workload
          --iterations N      loop iterations (default 1)
          --candidates N      candidates per plan (default 6)
          --repeats N         final-round repeats per arm (default 5)
          --cpus N            vCPUs of the sandbox guest (default 2; the result states it)
          --db PATH           the policy repository (default $XDG_DATA_HOME/schedcp/repository.db)
          --signing-key PATH  the verifier's key for the result's deployment token (default: created once
                              under $XDG_DATA_HOME/schedcp or ~/.local/share/schedcp, mode 0600)
          --markdown PATH     append the result as a markdown section to PATH
          --svg PATH          write a before/after chart (SVG) to PATH
          --json              print the whole result as JSON instead of the report
          --deploy            deploy the best candidate when it beat EEVDF by the rule: its token, a canary on the
                              workload's KPI, rollback to the last known-good scheduler (on a host without sched_ext,
                              a sandbox guest plays the host); the result says what happened
          --verbose           log every stage
        """ + "\n" + ModelSelection.Usage;

    public static async Task<int> RunAsync(string[] args)
    {
        int iterations = 1, candidates = 6, repeats = 5, cpus = 2;
        string? db = null;
        string? markdown = null, svg = null, workloadName = null, signingKeyPath = null;
        bool verbose = false, json = false, deploy = false;
        string? providerName = null, model = null, endpoint = null;
        string[]? command = null;
        string? kpiPattern = null, workingDirectory = null;
        var kpiHigher = false;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        ModelSelection? selection;
        for (var i = 1; i < args.Length; i++)
        {
            var a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
            try
            {
                switch (a)
                {
                    case "--":
                        command = args[(i + 1)..];
                        i = args.Length;
                        break;
                    case "--workload": workloadName = Next(); break;
                    case "--kpi": kpiPattern = Next(); break;
                    case "--kpi-higher": kpiHigher = true; break;
                    case "--cwd": workingDirectory = Next(); break;
                    case "--env":
                        var pair = Next();
                        var eq = pair.IndexOf('=', StringComparison.Ordinal);
                        environment[eq > 0 ? pair[..eq] : throw new ArgumentException($"--env needs NAME=VALUE, got '{pair}'")] = pair[(eq + 1)..];
                        break;
                    case "--iterations": iterations = Positive(a, Next()); break;
                    case "--candidates": candidates = Positive(a, Next()); break;
                    case "--repeats": repeats = Positive(a, Next()); break;
                    case "--cpus": cpus = Positive(a, Next()) is var n && n <= 64 ? n : throw new ArgumentException($"--cpus needs 1..64, got {n}"); break;
                    case "--db": db = Next(); break;
                    case "--signing-key": signingKeyPath = Next(); break;
                    case "--markdown": markdown = Next(); break;
                    case "--svg": svg = Next(); break;
                    case "--verbose": verbose = true; break;
                    case "--json": json = true; break;
                    case "--deploy": deploy = true; break;
                    case "--provider": providerName = Next(); break;
                    case "--model": model = Next(); break;
                    case "--endpoint": endpoint = Next(); break;
                    default:
                        workloadName = !a.StartsWith("--", StringComparison.Ordinal) && workloadName is null ? a : throw new ArgumentException($"unknown option {a}");
                        break;
                }
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"schedcp optimize: {e.Message}\n{Usage}");
                return 2;
            }
        }

        string? stagedDirectory = null;
        BenchmarkWorkload? workload;
        if (command is not null)
        {
            if (workloadName is not null || command.Length == 0)
            {
                Console.Error.WriteLine($"schedcp optimize: {(command.Length == 0 ? "name a program after --" : "give either a built-in workload or a command after --, not both")}\n{Usage}");
                return 2;
            }

            var program = command[0];
            if (program.Contains('/', StringComparison.Ordinal) || File.Exists(program))
            {
                if (!CommandWorkloadStaging.TryStage(program, out stagedDirectory, out var failure))
                {
                    Console.Error.WriteLine($"schedcp optimize: {failure!.Message} {failure.Remedy}");
                    return 2;
                }

                program = Path.GetFileName(program);
            }

            try
            {
                workload = BenchmarkWorkload.Command(program, command[1..], workingDirectory is null ? null : Path.GetFullPath(workingDirectory), environment);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"schedcp optimize: {e.Message}");
                return 2;
            }

            if (workingDirectory is not null && !Directory.Exists(workingDirectory))
            {
                Console.Error.WriteLine($"schedcp optimize: --cwd {workingDirectory} is not a directory; give one that exists (the guest sees this machine's files read-only).");
                return 2;
            }

            if (kpiPattern is not null)
            {
                if (!OutputKpi.TryCreate("kpi", kpiPattern, kpiHigher ? KpiDirection.HigherIsBetter : KpiDirection.LowerIsBetter, OutputKpiAggregate.Last, out var kpi, out var problem))
                {
                    Console.Error.WriteLine($"schedcp optimize: --kpi: {problem}.");
                    return 2;
                }

                workload = workload with { Kpi = kpi };
            }
        }
        else if (kpiPattern is not null || kpiHigher || workingDirectory is not null || environment.Count > 0)
        {
            Console.Error.WriteLine($"schedcp optimize: --kpi, --kpi-higher, --cwd and --env apply to a command after --\n{Usage}");
            return 2;
        }
        else if (workloadName is null || BenchmarkWorkloadFor(workloadName) is not { } builtIn)
        {
            Console.Error.WriteLine(workloadName is null ? Usage : $"schedcp optimize: unknown workload '{workloadName}'\n{Usage}");
            return 2;
        }
        else
        {
            workload = builtIn;
        }

        try
        {
            selection = ModelSelection.From(providerName, model, endpoint);
            db = Cli.Database(db);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"schedcp optimize: {e.Message}\n{Usage}");
            return 2;
        }

        var services = new ServiceCollection()
            .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning)
                .AddFilter("SchedCP.Agents", LogLevel.Information));
        services.AddSchedCPKernel(sandbox => sandbox.CpuCount = cpus);
        services.AddSchedCPRepository(o => o.DatabasePath = db);
        // The result carries a deployment token that outlives this process: it is signed with the persistent key.
        var signingKey = SigningKeyStore.LoadOrCreate(signingKeyPath);
        if (!signingKey.Succeeded)
        {
            Console.Error.WriteLine($"schedcp optimize: {signingKey.Problem} {signingKey.Remedy}");
            return 2;
        }

        services.AddSchedCPVerifier(p => p.UseStaticAnalysis(), signingKey.Key);
        if (stagedDirectory is not null)
        {
            // The user's program sits next to runcmd and the built workloads, on the host and in the guest.
            services.AddSingleton(sp => new WorkloadRunner(stagedDirectory, sp.GetService<TimeProvider>(), sp.GetService<ILogger<WorkloadRunner>>()));
        }

        services.AddSchedCPAgents(o => o.Deploy = deploy);
        if (deploy)
        {
            services.AddSchedCPControlPlane();
        }

        await using var provider = services.BuildServiceProvider();
        var loop = provider.GetRequiredService<OptimizationLoop>();
        var request = new OptimizationRequest(workload) { Iterations = iterations, MaxCandidates = candidates, FinalRepeats = repeats };
        Console.Error.WriteLine($"Optimising {workload} ({selection?.ToString() ?? "offline planner"}; observed and judged in the sched_ext sandbox, {cpus} vCPUs)...");
        using var chat = selection?.CreateClient();
        var result = await loop.RunAsync(request, chat);
        if (result.Failure is { } loopFailure)
        {
            // A run that measured nothing is a failure, not a report: exit 1 with what happened and what to do.
            Console.Error.WriteLine($"schedcp optimize: {loopFailure.Message}");
            Console.Error.WriteLine(loopFailure.Remedy);
            if (json)
            {
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(result, Cli.Json));
            }

            return 1;
        }

        var text = Render(result, workload, cpus);
        Console.WriteLine(json ? System.Text.Json.JsonSerializer.Serialize(result, Cli.Json) : text);
        if (svg is not null)
        {
            await File.WriteAllTextAsync(svg, ResultChart.Svg(result));
        }

        if (markdown is not null)
        {
            await File.AppendAllTextAsync(markdown, text + "\n");
        }

        return 0;
    }

    internal static BenchmarkWorkload? BenchmarkWorkloadFor(string name) => name switch
    {
        // The paper's batch case: a few long tasks among many short ones, on the guest's 2 CPUs.
        "longtail" => BenchmarkWorkload.LongTail(shortTasks: 10, longTasks: 1, shortMs: 30, longMs: 300),
        // The same batch as real batches look: one program, one name, one argv; the long task at a seeded position.
        "longtail-same" => BenchmarkWorkload.SameNameLongTail(shortTasks: 16, longTasks: 1, shortMs: 30, longMs: 300, seed: 5),
        "wakeup" => BenchmarkWorkload.Wakeup(messageThreads: 2, workers: 2, seconds: 1, requestMicroseconds: 20, thinkMicroseconds: 1000),
        "buildlike" => BenchmarkWorkload.BuildLike(waves: 3, width: 4, jobs: 2, taskMs: 20, seed: 1),
        // Programs nobody here wrote (rt-tests, xz-utils, stress-ng, sysbench, make), judged by their makespan or the KPI they print.
        _ => ThirdPartyWorkloads.For(name),
    };

    private static int Positive(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{option} needs a positive integer, got '{value}'");

    private static string Render(OptimizationResult r, BenchmarkWorkload workload, int cpus)
    {
        var t = new StringBuilder();
        var o = r.Observation;
        t.Append(CultureInfo.InvariantCulture, $"## {r.Workload}: `{workload}` ({cpus} vCPUs)\n\n");
        var forks = o.LongTasks.HasForkIdentities ? $"; long tasks by fork order under '{o.LongTasks.ForkParent}': #{string.Join(", #", o.LongTasks.ForkIndices)}" : "";
        t.Append(CultureInfo.InvariantCulture, $"- Observation: goal {o.Goal}, KPI `{r.Kpi}`; long task names measured: {(o.LongTaskNames.Count == 0 ? "none" : string.Join(", ", o.LongTaskNames))}{forks}.\n");
        foreach (var note in o.Notes)
        {
            t.Append("  - ").Append(note).Append('\n');
        }

        foreach (var plan in r.Plans)
        {
            t.Append(CultureInfo.InvariantCulture, $"- Plan ({plan.Kind}, {plan.Planner}): {string.Join(" ", plan.Reasons)}\n");
        }

        t.Append("\n| Candidate | Status | Result |\n|---|---|---|\n");
        foreach (var c in r.Candidates)
        {
            t.Append(CultureInfo.InvariantCulture, $"| {c.Spec.Label} | {c.Status} | {c.Reason.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }

        t.Append('\n');
        t.Append(r.Best is { Change: { } ch }
            ? string.Create(CultureInfo.InvariantCulture, $"**Best: {r.Best.Spec.Label}: {r.Kpi} {ch.Current.Mean:G4} ± {ch.Current.StdDev:G3} vs EEVDF {ch.Baseline.Mean:G4} ± {ch.Baseline.StdDev:G3} in the same guest ({r.Improvement:P1} better).**\n")
            : "**No candidate beat EEVDF beyond the noise.**\n");
        t.Append(CultureInfo.InvariantCulture, $"\n- Deployment: {r.Deployment.Explanation}{(r.Deployment.Token is null ? "" : " (token issued)")}\n");
        t.Append("- Lessons: ").Append(string.Join(" ", r.Lessons)).Append('\n');
        t.Append("- Cost: ").Append(r.Cost.ToString().Replace("\n", "; ", StringComparison.Ordinal)).Append('\n');
        return t.ToString();
    }
}
