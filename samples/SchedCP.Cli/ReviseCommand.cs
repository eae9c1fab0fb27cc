using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using SchedCP.Agents;
using SchedCP.ControlPlane.Verification;
using SchedCP.Core.Diffs;
using SchedCP.Repository;

/// <summary>
/// <c>schedcp revise PARENT --name NEW --diff FILE|-</c>: a unified diff against PARENT's source is applied, verified and
/// stored with its parent and the diff by the control plane's own <c>submit_patch</c> tool, the function the agents and
/// the MCP server call; with <c>--compare WORKLOAD</c> the stored revision then runs side by side with EEVDF in the
/// sandbox guest, through <c>compare_with_eevdf</c>. Exit 0 stored, 1 the verifier stopped it, 2 bad usage (a diff that
/// does not apply, too long, or touching another file; a bad name), 4 unknown PARENT, 5 it failed side by side with EEVDF.
/// </summary>
internal static class ReviseCommand
{
    private const string Workloads = "longtail|wakeup|buildlike";

    public static Command Create()
    {
        var parent = new Argument<string>("PARENT") { Description = "the policy whose source the diff is against ('schedcp show PARENT --source' prints that source)" };
        var name = new Option<string>("--name") { HelpName = "NEW", Required = true, Description = "the revised policy's name, new to the repository: lower-case letters, digits and '_'" };
        var diff = new Option<string>("--diff") { HelpName = "FILE|-", Required = true, Description = $"the unified diff (diff -u) against PARENT's source, from FILE or, with -, from stdin; one file, at most {UnifiedDiff.MaxLength} characters" };
        var gauntlet = new Option<string>("--gauntlet") { HelpName = "static|full", DefaultValueFactory = _ => "static", Description = "how the patched source is proven before it is stored: static = clang and the static checks; full = also the kernel verifier and a run under load in the sandbox guest" };
        gauntlet.AcceptOnlyFromAmong("static", "full");
        var compare = new Option<string?>("--compare") { HelpName = Workloads, Description = "once stored, run the revision side by side with EEVDF on this benchmark workload in the sandbox guest" };
        compare.AcceptOnlyFromAmong(Workloads.Split('|'));
        var metric = new Option<string>("--metric") { HelpName = "makespan_ms|p99_us", DefaultValueFactory = _ => "makespan_ms", Description = "the KPI --compare judges by (lower is better)" };
        metric.AcceptOnlyFromAmong("makespan_ms", "p99_us");
        var repeats = CliOptions.PositiveInt("--repeats", 3, "with --compare: runs per arm", maximum: 10);
        var (json, db, verbose) = (CliOptions.Json(), CliOptions.Database(), CliOptions.Verbose());
        var command = new Command("revise", "a unified diff against a policy's source: applied, compiled, checked and stored with its parent and the diff (exit 1 when the verifier stops it)")
        {
            parent, name, diff, gauntlet, compare, metric, repeats, json, db, verbose,
        };
        command.SetCliAction((parsed, cancellation) => RunAsync(new ReviseArguments(
            parsed.GetValue(parent)!, parsed.GetValue(name)!, parsed.GetValue(diff)!, parsed.GetValue(gauntlet) == "full", parsed.GetValue(compare), parsed.GetValue(metric)!,
            parsed.GetValue(repeats), parsed.GetValue(db), parsed.GetValue(json), parsed.GetValue(verbose)), cancellation));
        return command;
    }

    private sealed record ReviseArguments(string Parent, string Name, string Diff, bool FullGauntlet, string? Compare, string Metric, int Repeats, string? Db, bool Json, bool Verbose);

    /// <summary>What <c>--json</c> prints: the revision as <c>submit_patch</c> returned it and, with --compare, the side-by-side run.</summary>
    private sealed record Revision(string Name, bool Stored, PatchResult Patch, ComparisonResult? Comparison);

    private static async Task<int> RunAsync(ReviseArguments a, CancellationToken cancellation)
    {
        var parentName = Checked("PARENT", a.Parent);
        var name = Checked("--name", a.Name);
        var diff = await ReadDiffAsync(a.Diff, cancellation);
        var live = new ProgressLoggerProvider();
        await using var services = Cli.Services(Cli.Database(a.Db), a.Verbose, live: live);
        var repository = services.GetRequiredService<PolicyRepository>();
        if (await repository.GetPolicyAsync(parentName, cancellation) is { Succeeded: false } unknown)
        {
            await Console.Error.WriteLineAsync($"schedcp revise: PARENT: {unknown.Failure!.Message}");
            return 4;
        }

        if ((await repository.GetPolicyAsync(name, cancellation)).Succeeded)
        {
            throw new ArgumentException($"--name: a policy named {name} exists already; give the revision a new name, such as {parentName}_r2");
        }

        var toolbox = services.GetRequiredService<SchedulerToolbox>();
        PatchResult patch;
        try
        {
            patch = await Terminal.ProgressAsync($"Revising {parentName} as {name}: applying the diff, compiling and checking{(a.FullGauntlet ? ", then the kernel verifier and a run in the sandbox guest" : "")}...", progress =>
            {
                live.Progress = progress;
                return toolbox.SubmitPatchAsync(parentName, diff, name, a.FullGauntlet ? "sandbox" : "static", cancellation);
            });
        }
        catch (ToolArgumentException e)
        {
            // The tool's own refusal (a hunk that does not apply, a path outside the source), without the tool's name.
            throw new ArgumentException(e.Message.StartsWith(SchedulerToolbox.Names.SubmitPatch + ": ", StringComparison.Ordinal) ? e.Message[(SchedulerToolbox.Names.SubmitPatch.Length + 2)..] : e.Message, e);
        }

        ComparisonResult? comparison = null;
        if (patch.Check.Passed && a.Compare is { } workload)
        {
            comparison = await Terminal.ProgressAsync($"Running {name} side by side with EEVDF on {workload}, {a.Repeats} times per arm, in the sandbox guest...", progress =>
            {
                live.Progress = progress;
                return toolbox.CompareWithEevdfAsync(name, workload, null, a.Metric, a.Repeats, cancellation);
            });
        }

        var revision = new Revision(name, patch.Check.Passed, patch, comparison);
        if (a.Json)
        {
            Cli.WriteJson(revision);
        }
        else
        {
            Print(revision);
        }

        return !patch.Check.Passed ? 1 : comparison is { Verdict: "Failed" or "Unhealthy" } ? 5 : 0;
    }

    private static string Checked(string argument, string value) =>
        PolicyName.Validate(value.Trim()) is { Succeeded: false } invalid ? throw new ArgumentException($"{argument}: {invalid.Failure!.Message}") : value.Trim();

    /// <summary>The diff from FILE or stdin, refused when it is longer than the tool takes: nothing past the limit is read.</summary>
    private static async Task<string> ReadDiffAsync(string source, CancellationToken cancellation)
    {
        if (source != "-" && !File.Exists(source))
        {
            throw new ArgumentException($"--diff: no such file: {source}; give the file 'diff -u' wrote, or - to read the diff from stdin");
        }

        using var file = source == "-" ? null : new StreamReader(source);
        var reader = file ?? Console.In;
        var buffer = new char[UnifiedDiff.MaxLength + 1];
        var read = await reader.ReadBlockAsync(buffer, cancellation);
        return read <= UnifiedDiff.MaxLength
            ? new string(buffer, 0, read)
            : throw new ArgumentException($"--diff: the diff is longer than {UnifiedDiff.MaxLength} characters; a revision is a focused change: send only its hunks, with a few lines of context each");
    }

    private static void Print(Revision r)
    {
        var check = r.Patch.Check;
        var rows = new List<(string Field, string Value)>
        {
            ("policy", r.Stored ? $"{r.Name}, stored as a candidate" : $"{r.Name}, not stored"),
            ("parent", r.Patch.Parent),
            ("diff", r.Patch.Diff),
            ("verification", check.Summary),
            (check.Passed ? "result" : $"failed at {check.FailedStage ?? "store"}", check.Reason),
        };
        rows.AddRange(check.Findings.Select(f => ("finding", f)));
        if (r.Patch.PatchPath is { } path)
        {
            rows.Add(("patch", path));
        }

        if (r.Comparison is { } c)
        {
            rows.Add(($"vs EEVDF on {c.Workload}", $"{c.Verdict}: {c.Summary}"));
        }

        Terminal.Table(rows, ["", ""], row => [row.Field, row.Value], row => $"{row.Field}: {row.Value}");
        if (!check.Passed && check.LogTail.Length > 0)
        {
            Console.Error.WriteLine(check.LogTail);
        }
    }
}
