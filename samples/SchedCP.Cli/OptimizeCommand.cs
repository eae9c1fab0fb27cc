using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SchedCP.Agents;
using SchedCP.Kernel.Workloads;
using SchedCP.Verifier.StaticAnalysis;

/// <summary>
/// <c>schedcp optimize WORKLOAD [options]</c> or <c>schedcp optimize [options] -- PROGRAM [ARGS...]</c>: the closed
/// sched-agent loop on a benchmark workload or on any command (run through <c>runcmd</c>, judged by its makespan),
/// offline unless a model is configured: observe, plan, verify and measure candidates side by side with EEVDF in the
/// sandbox, learn.
/// </summary>
internal static class OptimizeCommand
{
    public const string Usage = """
        usage: schedcp optimize longtail|wakeup|buildlike [options]
               schedcp optimize --workload longtail|wakeup|buildlike [options]
               schedcp optimize [options] -- PROGRAM [ARGS...]
          PROGRAM             any command, judged by its makespan: a static executable or a #!/bin/sh script
                              (copied into the sandbox guest), or a busybox command such as sh -c '...'
          --workload NAME     a built-in benchmark workload
          --iterations N      loop iterations (default 1)
          --candidates N      candidates per plan (default 6)
          --repeats N         final-round repeats per arm (default 5)
          --db PATH           the policy repository (default $XDG_DATA_HOME/schedcp/repository.db)
          --markdown PATH     append the result as a markdown section to PATH
          --svg PATH          write a before/after chart (SVG) to PATH
          --json              print the whole result as JSON instead of the report
          --verbose           log every stage
        """ + "\n" + ModelSelection.Usage;

    public static async Task<int> RunAsync(string[] args)
    {
        int iterations = 1, candidates = 6, repeats = 5;
        string? db = null;
        string? markdown = null, svg = null, workloadName = null;
        bool verbose = false, json = false;
        string? providerName = null, model = null, endpoint = null;
        string[]? command = null;
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
                    case "--iterations": iterations = Positive(a, Next()); break;
                    case "--candidates": candidates = Positive(a, Next()); break;
                    case "--repeats": repeats = Positive(a, Next()); break;
                    case "--db": db = Next(); break;
                    case "--markdown": markdown = Next(); break;
                    case "--svg": svg = Next(); break;
                    case "--verbose": verbose = true; break;
                    case "--json": json = true; break;
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

            workload = BenchmarkWorkload.Command(program, command[1..]);
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
        services.AddSchedCPKernel();
        services.AddSchedCPRepository(o => o.DatabasePath = db);
        services.AddSchedCPVerifier(p => p.UseStaticAnalysis());
        if (stagedDirectory is not null)
        {
            // The user's program sits next to runcmd and the built workloads, on the host and in the guest.
            services.AddSingleton(sp => new WorkloadRunner(stagedDirectory, sp.GetService<TimeProvider>(), sp.GetService<ILogger<WorkloadRunner>>()));
        }

        services.AddSchedCPAgents();
        await using var provider = services.BuildServiceProvider();
        var loop = provider.GetRequiredService<OptimizationLoop>();
        var request = new OptimizationRequest(workload) { Iterations = iterations, MaxCandidates = candidates, FinalRepeats = repeats };
        Console.Error.WriteLine($"Optimising {workload} ({selection?.ToString() ?? "offline planner"}; candidates run in the sched_ext sandbox)...");
        using var chat = selection?.CreateClient();
        var result = await loop.RunAsync(request, chat);
        var text = Render(result, workload);
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
        "wakeup" => BenchmarkWorkload.Wakeup(messageThreads: 2, workers: 2, seconds: 1, requestMicroseconds: 20, thinkMicroseconds: 1000),
        "buildlike" => BenchmarkWorkload.BuildLike(waves: 3, width: 4, jobs: 2, taskMs: 20, seed: 1),
        _ => null,
    };

    private static int Positive(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{option} needs a positive integer, got '{value}'");

    private static string Render(OptimizationResult r, BenchmarkWorkload workload)
    {
        var t = new StringBuilder();
        var o = r.Observation;
        t.Append(CultureInfo.InvariantCulture, $"## {r.Workload}: `{workload}`\n\n");
        t.Append(CultureInfo.InvariantCulture, $"- Observation: goal {o.Goal}, KPI `{r.Kpi}`; long task names measured: {(o.LongTaskNames.Count == 0 ? "none" : string.Join(", ", o.LongTaskNames))}.\n");
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
