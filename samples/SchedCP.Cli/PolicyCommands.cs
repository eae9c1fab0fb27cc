using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using SchedCP.Agents;
using SchedCP.Repository;

/// <summary>
/// <c>schedcp list</c>, <c>schedcp search TEXT</c> and <c>schedcp show POLICY</c>: the policy repository, summaries
/// first and full metadata on request.
/// </summary>
internal static class PolicyCommands
{
    private const string Kinds = "scx|kernelExample|bpfObject|generated";

    public static IEnumerable<Command> Create()
    {
        yield return List();
        yield return Search();
        yield return Show();
    }

    private static Command List()
    {
        var kind = KindOption();
        var limit = CliOptions.OptionalPositiveInt("--limit", "show at most N policies (default all)");
        var (json, db) = (CliOptions.Json(), CliOptions.Database());
        var command = new Command("list", "the policies in the repository, one summary each") { kind, limit, json, db };
        command.SetCliAction(async (parsed, cancellation) =>
        {
            var only = Kind(parsed.GetValue(kind));
            await using var services = Cli.Services(Cli.Database(parsed.GetValue(db)), verbose: false);
            var listed = await services.GetRequiredService<PolicyRepository>().ListAsync(new PolicySearchQuery("") { Kinds = only is { } k ? [k] : null }, cancellation);
            Summaries([.. listed.Take(parsed.GetValue(limit) ?? int.MaxValue)], parsed.GetValue(json));
            return 0;
        });
        return command;
    }

    private static Command Search()
    {
        var text = new Argument<string[]>("TEXT") { Arity = ArgumentArity.ZeroOrMore, Description = "what the workload needs, in words: 'low latency gaming', 'long tail batch makespan'" };
        var kind = KindOption();
        var limit = CliOptions.PositiveInt("--limit", 5, "show the N best matches");
        var (json, db) = (CliOptions.Json(), CliOptions.Database());
        var command = new Command("search", "the policies ranked by how well they match TEXT") { text, kind, limit, json, db };
        command.SetCliAction(async (parsed, cancellation) =>
        {
            var words = parsed.GetValue(text) ?? [];
            if (words.Length == 0)
            {
                throw new ArgumentException("say what to search for, e.g. 'schedcp search low latency gaming'");
            }

            var only = Kind(parsed.GetValue(kind));
            await using var services = Cli.Services(Cli.Database(parsed.GetValue(db)), verbose: false);
            var query = new PolicySearchQuery(string.Join(' ', words)) { Limit = parsed.GetValue(limit), Kinds = only is { } k ? [k] : null };
            Summaries(await services.GetRequiredService<PolicyRepository>().SearchAsync(query, cancellation), parsed.GetValue(json));
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var name = new Argument<string>("POLICY") { Description = "the policy's name, as 'list' or 'search' print it" };
        var source = new Option<bool>("--source") { Description = "print its BPF C source instead, the text 'schedcp revise' diffs against (exit 4 when it has none here)" };
        var (json, db) = (CliOptions.Json(), CliOptions.Database());
        var command = new Command("show", "one policy's full metadata: algorithm, targets, limitations, parameters (exit 4 when unknown)") { name, source, json, db };
        command.SetCliAction(async (parsed, cancellation) =>
        {
            var policyName = parsed.GetValue(name)!;
            if (PolicyName.Validate(policyName) is { Succeeded: false } invalid)
            {
                throw new ArgumentException(invalid.Failure.Message);
            }

            await using var services = Cli.Services(Cli.Database(parsed.GetValue(db)), verbose: false);
            var policy = await services.GetRequiredService<PolicyRepository>().GetPolicyAsync(policyName, cancellation);
            if (!policy.Succeeded)
            {
                await Console.Error.WriteLineAsync($"schedcp show: {policy.Failure!.Describe()}");
                return 4;
            }

            if (parsed.GetValue(source))
            {
                // The source as the control plane's tools read it, so a diff made against it applies in 'revise'.
                var text = (await services.GetRequiredService<SchedulerToolbox>().GetPolicyAsync(policyName, includeSource: true, cancellation)).Source;
                if (text is null)
                {
                    await Console.Error.WriteLineAsync($"schedcp show: {policyName} has no BPF C source here ({policy.Value!.Kind}); set SCHEDCP_SOURCE_DIR to the checkout that holds bpf/ for a catalog policy's source.");
                    return 4;
                }

                if (parsed.GetValue(json))
                {
                    Cli.WriteJson(new { name = policyName, source = text });
                }
                else
                {
                    Console.Write(text);
                }
            }
            else if (parsed.GetValue(json))
            {
                Cli.WriteJson(policy.Value!);
            }
            else
            {
                Console.WriteLine(Describe(policy.Value!));
            }

            return 0;
        });
        return command;
    }

    private static Option<string?> KindOption()
    {
        var option = new Option<string?>("--kind") { HelpName = Kinds, Description = "only policies of this kind" };
        option.CompletionSources.Add(Kinds.Split('|'));
        return option;
    }

    // The kinds as PolicyKind names them, case-insensitive, and 'scx' for the scx binaries as the usage has always written it.
    private static PolicyKind? Kind(string? text) =>
        text is null ? null
        : text.Equals("scx", StringComparison.OrdinalIgnoreCase) ? PolicyKind.ScxBinary
        : Enum.TryParse<PolicyKind>(text, ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !char.IsAsciiDigit(text[0]) ? kind
        : throw new ArgumentException($"unknown kind '{text}'; use one of {Kinds.Replace("|", ", ", StringComparison.Ordinal)}");

    private static void Summaries(IReadOnlyCollection<PolicySummary> policies, bool json)
    {
        if (json)
        {
            Cli.WriteJson(policies);
            return;
        }

        Terminal.Table(
            policies,
            ["policy", "kind", "lifecycle", "what it does", "use", "parameters"],
            p => [p.Name, p.Kind.ToString(), p.Lifecycle.ToString(), p.Headline, string.Join(", ", p.UseCases), p.ParameterCount.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            p => p.ToString());
    }

    private static string Describe(SchedulerPolicy p) =>
        $"""
        {p.Name} [{p.Kind}, {p.Lifecycle}] v{p.Version}
        {p.Description}
        algorithm: {p.Algorithm}
        targets: {string.Join(", ", p.TargetWorkloads)}
        limitations: {string.Join("; ", p.Limitations)}
        parameters:
        {string.Join('\n', p.Parameters.Select(s => $"  {s.Name} ({s.Type}{(s.Minimum is null ? "" : $", {s.Minimum}..{s.Maximum}")}{(s.Default is null ? "" : $", default {s.Default}")}): {s.Description}"))}
        """;
}
