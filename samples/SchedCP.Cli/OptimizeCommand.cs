using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SchedCP.Agents;
using SchedCP.Console.Hosting;
using SchedCP.Console.Security;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Workloads;
using SchedCP.Verifier.Compile;
using SchedCP.Verifier.Pipeline;
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
    private const string DefaultConsoleUrl = "http://127.0.0.1:3003";

    private const string Workloads = "longtail|longtail-same|wakeup|buildlike|hackbench|xz-batch|cyclictest|stress-ng|sysbench-cpu|sysbench-threads|make-j";

    public static Command Create()
    {
        var target = new Argument<string[]>("WORKLOAD | -- PROGRAM ARGS")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = $"a built-in benchmark workload ({Workloads}), or after -- any command, judged by its makespan: an executable (static or dynamic) or a script whose interpreter this machine has (#!/bin/sh, #!/usr/bin/env python3...), copied into the sandbox guest, which runs this machine's own programs and libraries",
        };
        target.CompletionSources.Add(Workloads.Split('|'));
        var workload = new Option<string?>("--workload") { HelpName = "NAME", Description = "a built-in benchmark workload" };
        workload.CompletionSources.Add(Workloads.Split('|'));
        var kpi = new Option<string?>("--kpi") { HelpName = "REGEX", Description = "with -- PROGRAM: judge it by a number it prints instead of its makespan: a regex with one capture group around the number, matched on the last 4 KiB of its output (the last match counts; 1 s match limit); lower is better" };
        var kpiHigher = new Option<bool>("--kpi-higher") { Description = "the --kpi number is a throughput: higher is better" };
        var cwd = new Option<string?>("--cwd") { HelpName = "DIR", Description = "with -- PROGRAM: run it in DIR (read-only in the sandbox guest)" };
        var env = new Option<string[]>("--env") { HelpName = "NAME=VALUE", Description = "with -- PROGRAM: set a variable (repeatable; set with setenv, never through a shell)" };
        var iterations = CliOptions.PositiveInt("--iterations", 1, "loop iterations");
        var candidates = CliOptions.PositiveInt("--candidates", 6, "candidates per plan");
        var repeats = CliOptions.PositiveInt("--repeats", 5, "final-round repeats per arm");
        var cpus = CliOptions.PositiveInt("--cpus", 2, "vCPUs of the sandbox guest (the result states it)", maximum: 64);
        var db = CliOptions.Database();
        var signingKey = new Option<string?>("--signing-key") { HelpName = "PATH", Description = "the verifier's key for the result's deployment token (default: created once under $XDG_DATA_HOME/schedcp or ~/.local/share/schedcp, mode 0600)" };
        var markdown = new Option<string?>("--markdown") { HelpName = "PATH", Description = "append the result as a markdown section to PATH" };
        var svg = new Option<string?>("--svg") { HelpName = "PATH", Description = "write a before/after chart (SVG) to PATH" };
        var json = new Option<bool>("--json") { Description = "print the whole result as JSON instead of the report" };
        var gauntlet = new Option<string>("--gauntlet") { HelpName = "static|full", DefaultValueFactory = _ => "static", Description = "how each candidate is proven before it is measured: static = clang and the static checks (revised and generated sources build); full = also the kernel verifier, a sandbox run and the performance gate (about 20 s of guest time more per candidate)" };
        gauntlet.AcceptOnlyFromAmong("static", "full");
        var maxCalls = new Option<int?>("--max-model-calls") { HelpName = "N", Description = "stop the run (typed, exit 1 if nothing was measured yet) before the model is called more than N times" };
        var maxTokens = new Option<long?>("--max-tokens") { HelpName = "N", Description = "stop the run before the model's input and output tokens pass N" };
        var maxCost = new Option<decimal?>("--max-cost") { HelpName = "AMOUNT", Description = "stop the run before its model cost passes AMOUNT (US dollars, from the built-in price table for the model)" };
        var maxWall = new Option<double?>("--max-wall") { HelpName = "MINUTES", Description = "stop the run before a new stage starts past MINUTES of wall time" };
        var state = new Option<string?>("--state") { HelpName = "PATH", Description = "keep the agents' runtime state (lock table, artifacts, change sets, memory, run records) in this SQLite file, so loops started from several processes on this machine take turns on the sandbox and the benchmark, and what a run recorded outlives it (default: in memory, this process only)" };
        var deploy = new Option<bool>("--deploy") { Description = "deploy the best candidate when it beat EEVDF by the rule: its token, a canary on the workload's KPI, rollback to the last known-good scheduler (on a host without sched_ext, a sandbox guest plays the host); the result says what happened" };
        var verbose = CliOptions.Verbose();
        var provider = new Option<string?>("--provider") { HelpName = "openai|ollama|azure", Description = "the model's provider (env SCHEDCP_PROVIDER; default openai when a model is named)" };
        var model = new Option<string?>("--model") { HelpName = "NAME", Description = "the model (env SCHEDCP_MODEL; the key comes from SCHEDCP_API_KEY or OPENAI_API_KEY); none: the offline planner" };
        provider.CompletionSources.Add("openai", "ollama", "azure");
        var endpoint = new Option<string?>("--endpoint") { HelpName = "URL", Description = "the API endpoint (env SCHEDCP_ENDPOINT; ollama: http://127.0.0.1:11434/v1)" };
        var console = new Option<string?>("--console")
        {
            HelpName = "URL",
            Arity = ArgumentArity.ZeroOrOne,
            Description = $"show the run live on the operator console at this loopback URL (default {DefaultConsoleUrl}, else a free port), printed to stderr before the loop starts; log in with the token from ${ConsoleBearerToken.TokenVariable} or the fresh one printed; put it after the workload or write --console=URL",
        };
        var command = new Command("optimize", "the sched-agent loop: observe the workload, plan, verify and measure candidates side by side with EEVDF in the sandbox guest, learn; offline unless a model is configured")
        {
            target, workload, kpi, kpiHigher, cwd, env, iterations, candidates, repeats, cpus, db, signingKey, markdown, svg, json, state, gauntlet, maxCalls, maxTokens, maxCost, maxWall, deploy, verbose, provider, model, endpoint, console,
        };
        command.SetCliAction((parsed, _) =>
        {
            // Everything after -- is the program and its arguments, however it looks; before it, at most a workload name.
            var values = parsed.GetValue(target) ?? [];
            var doubleDash = parsed.Tokens.Any(t => t.Type == TokenType.DoubleDash);
            var program = doubleDash ? parsed.Tokens.SkipWhile(t => t.Type != TokenType.DoubleDash).Skip(1).Select(t => t.Value).ToArray() : null;
            var named = values[..(values.Length - (program?.Length ?? 0))];
            if (named.Length > 1)
            {
                throw new ArgumentException($"unexpected argument '{named[1]}': name one workload, or put a program after --");
            }

            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parsed.GetValue(env) ?? [])
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                environment[eq > 0 ? pair[..eq] : throw new ArgumentException($"--env needs NAME=VALUE, got '{pair}'")] = pair[(eq + 1)..];
            }

            var workloadName = parsed.GetValue(workload);
            if (named.Length == 1)
            {
                workloadName = workloadName is null ? named[0] : throw new ArgumentException($"give the workload once: '{named[0]}' or --workload {workloadName}");
            }

            if (parsed.GetValue(maxCalls) is < 0 || parsed.GetValue(maxTokens) is < 0 || parsed.GetValue(maxCost) is < 0 || parsed.GetValue(maxWall) is <= 0)
            {
                throw new ArgumentException("--max-model-calls, --max-tokens and --max-cost take a number of at least 0, --max-wall a positive number of minutes");
            }

            var budget = new AgentBudget
            {
                MaxModelCalls = parsed.GetValue(maxCalls),
                MaxTokens = parsed.GetValue(maxTokens),
                MaxCost = parsed.GetValue(maxCost),
                MaxWallTime = parsed.GetValue(maxWall) is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
            };
            return RunAsync(new OptimizeArguments(
                workloadName, program, parsed.GetValue(kpi), parsed.GetValue(kpiHigher), parsed.GetValue(cwd), environment,
                parsed.GetValue(iterations), parsed.GetValue(candidates), parsed.GetValue(repeats), parsed.GetValue(cpus), parsed.GetValue(db), parsed.GetValue(signingKey),
                parsed.GetValue(markdown), parsed.GetValue(svg), parsed.GetValue(json), parsed.GetValue(state), parsed.GetValue(gauntlet) == "full", budget, parsed.GetValue(deploy), parsed.GetValue(verbose),
                parsed.GetValue(provider), parsed.GetValue(model), parsed.GetValue(endpoint),
                parsed.GetResult(console) is null ? null : parsed.GetValue(console) ?? ""));
        });
        return command;
    }

    private sealed record OptimizeArguments(
        string? WorkloadName, string[]? Command, string? KpiPattern, bool KpiHigher, string? WorkingDirectory, Dictionary<string, string> Environment,
        int Iterations, int Candidates, int Repeats, int Cpus, string? Db, string? SigningKeyPath, string? Markdown, string? Svg, bool Json, string? State, bool FullGauntlet, AgentBudget Budget, bool Deploy, bool Verbose,
        string? Provider, string? Model, string? Endpoint, string? Console);

    private static async Task<int> RunAsync(OptimizeArguments a)
    {
        var (workloadName, command, kpiPattern, kpiHigher, workingDirectory, environment) = (a.WorkloadName, a.Command, a.KpiPattern, a.KpiHigher, a.WorkingDirectory, a.Environment);
        var (iterations, candidates, repeats, cpus, json) = (a.Iterations, a.Candidates, a.Repeats, a.Cpus, a.Json);
        string? stagedDirectory = null;
        BenchmarkWorkload? workload;
        if (command is not null)
        {
            if (workloadName is not null || command.Length == 0)
            {
                throw new ArgumentException(command.Length == 0 ? "name a program after --" : "give either a built-in workload or a command after --, not both");
            }

            var program = command[0];
            if (program.Contains('/', StringComparison.Ordinal) || File.Exists(program))
            {
                if (!CommandWorkloadStaging.TryStage(program, out stagedDirectory, out var failure))
                {
                    throw new ArgumentException($"{failure!.Message} {failure.Remedy}");
                }

                program = Path.GetFileName(program);
            }

            workload = BenchmarkWorkload.Command(program, command[1..], workingDirectory is null ? null : Path.GetFullPath(workingDirectory), environment);

            if (workingDirectory is not null && !Directory.Exists(workingDirectory))
            {
                throw new ArgumentException($"--cwd {workingDirectory} is not a directory; give one that exists (the guest sees this machine's files read-only)");
            }

            if (kpiPattern is not null)
            {
                if (!OutputKpi.TryCreate("kpi", kpiPattern, kpiHigher ? KpiDirection.HigherIsBetter : KpiDirection.LowerIsBetter, OutputKpiAggregate.Last, out var kpi, out var problem))
                {
                    throw new ArgumentException($"--kpi: {problem}");
                }

                workload = workload with { Kpi = kpi };
            }
        }
        else if (kpiPattern is not null || kpiHigher || workingDirectory is not null || environment.Count > 0)
        {
            throw new ArgumentException("--kpi, --kpi-higher, --cwd and --env apply to a command after --");
        }
        else if (workloadName is null || BenchmarkWorkloadFor(workloadName) is not { } builtIn)
        {
            throw new ArgumentException(workloadName is null ? $"name a workload ({Workloads}) or a program after --" : $"unknown workload '{workloadName}'; use one of {Workloads.Replace("|", ", ", StringComparison.Ordinal)}");
        }
        else
        {
            workload = builtIn;
        }

        var selection = ModelSelection.From(a.Provider, a.Model, a.Endpoint);
        var db = Cli.Database(a.Db);
        var live = new ProgressLoggerProvider();
        var services = new ServiceCollection().AddLogging(b => b.AddCliLogging(a.Verbose, live));
        services.AddSchedCPKernel(sandbox => sandbox.CpuCount = cpus);
        services.AddSchedCPRepository(o => o.DatabasePath = db);
        // The result carries a deployment token that outlives this process: it is signed with the persistent key.
        var signingKey = SigningKeyStore.LoadOrCreate(a.SigningKeyPath);
        if (!signingKey.Succeeded)
        {
            throw new ArgumentException($"{signingKey.Problem} {signingKey.Remedy}");
        }

        // Revised and generated candidates are sources: even the short gauntlet compiles them before the static checks.
        services.AddSchedCPVerifier(p => _ = a.FullGauntlet ? p.UseFullGauntlet() : p.UseCompile().UseStaticAnalysis(), signingKey.Key);
        if (stagedDirectory is not null)
        {
            // The user's program sits next to runcmd and the built workloads, on the host and in the guest.
            services.AddSingleton(sp => new WorkloadRunner(stagedDirectory, sp.GetService<TimeProvider>(), sp.GetService<ILogger<WorkloadRunner>>()));
        }

        // A relative path would land in each run's own work folder; an absolute one is shared by every run naming it.
        var statePath = a.State is null ? null : Path.GetFullPath(a.State);
        if (statePath is not null && !Directory.Exists(Path.GetDirectoryName(statePath)))
        {
            throw new ArgumentException($"--state {a.State}: the folder {Path.GetDirectoryName(statePath)} does not exist; create it or name a file in one that does");
        }

        services.AddSchedCPAgents(o =>
        {
            o.Deploy = a.Deploy;
            o.RuntimeStatePath = statePath;
            o.Budget = a.Budget;
        });
        // Started before the loop, so the address is printed while there is still everything to watch.
        await using var console = a.Console is null ? null : await StartConsoleAsync(a.Console);
        if (console is not null)
        {
            services.AddSingleton<IOptimizationProgress>(console.LoopProgress);
        }

        await using var provider = services.BuildServiceProvider();
        var loop = provider.GetRequiredService<OptimizationLoop>();
        var request = new OptimizationRequest(workload) { Iterations = iterations, MaxCandidates = candidates, FinalRepeats = repeats };
        using var chat = selection?.CreateClient();
        var result = await Terminal.ProgressAsync($"Optimising {workload} ({selection?.ToString() ?? "offline planner"}; observed and judged in the sched_ext sandbox, {cpus} vCPUs)...", progress =>
        {
            live.Progress = progress;
            return loop.RunAsync(request, chat);
        });
        if (result.Failure is { } loopFailure)
        {
            // A run that measured nothing is a failure, not a report: exit 1 with what happened and what to do.
            Console.Error.WriteLine($"schedcp optimize: {loopFailure.Message}");
            Console.Error.WriteLine(loopFailure.Remedy);
            if (result.BudgetStop is { } spent)
            {
                Console.Error.WriteLine($"stopped: {spent}");
            }
            if (json)
            {
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(result, Cli.Json));
            }

            return 1;
        }

        var text = Render(result, workload, cpus);
        Console.WriteLine(json ? System.Text.Json.JsonSerializer.Serialize(result, Cli.Json) : text);
        if (result.BudgetStop is { } stopped)
        {
            // Stopped after something was measured: the report stands on what was measured, and says why it is short.
            Console.Error.WriteLine($"schedcp optimize: stopped early: {stopped}");
        }
        if (a.Svg is not null)
        {
            await File.WriteAllTextAsync(a.Svg, ResultChart.Svg(result));
        }

        if (a.Markdown is not null)
        {
            await File.AppendAllTextAsync(a.Markdown, text + "\n");
        }

        return 0;
    }

    private static async Task<SchedCPConsoleHost> StartConsoleAsync(string url)
    {
        var endpoint = LoopbackEndpoint.Parse(url.Length == 0 ? DefaultConsoleUrl : url)
            ?? throw new ArgumentException($"--console {url}: give http://ADDRESS:PORT with an address in 127.0.0.0/8 or [::1] and no path, e.g. {DefaultConsoleUrl}");
        var token = ConsoleBearerToken.Resolve(null);
        if (token.Token is null)
        {
            throw new ArgumentException(token.Problem);
        }

        SchedCPConsoleHost host;
        try
        {
            host = await SchedCPConsoleHost.StartAsync(endpoint, o => o.BearerToken = token.Token);
        }
        catch (IOException) when (url.Length == 0)
        {
            // The default port is taken (another run's console): any free one will do, the address is printed.
            host = await SchedCPConsoleHost.StartAsync(new System.Net.IPEndPoint(endpoint.Address, 0), o => o.BearerToken = token.Token);
        }

        var from = token.Generated ? token.Token : "from " + ConsoleBearerToken.TokenVariable;
        await Console.Error.WriteLineAsync($"schedcp optimize: console on {host.Address} (token {from})");
        return host;
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
