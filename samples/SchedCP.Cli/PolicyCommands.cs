using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SchedCP.Repository;

/// <summary>
/// <c>schedcp list</c>, <c>schedcp search TEXT</c> and <c>schedcp show POLICY</c>: the policy repository, summaries
/// first and full metadata on request.
/// </summary>
internal static class PolicyCommands
{
    public const string Usage = """
        usage: schedcp list [--kind scx|bpfObject|kernelExample|generated] [--json] [--db PATH]
               schedcp search TEXT... [--limit N] [--json] [--db PATH]
               schedcp show POLICY [--json] [--db PATH]
        """;

    public static async Task<int> RunAsync(string command, string[] args)
    {
        CliArguments a;
        string database;
        try
        {
            a = CliArguments.Parse(args, 1, ["--db", "--limit", "--kind"], ["--json"]);
            database = Cli.Database(a.Option("--db"));
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"schedcp {command}: {e.Message}\n{Usage}");
            return 2;
        }

        await using var services = Cli.Services(database, verbose: false);
        var repository = services.GetRequiredService<PolicyRepository>();
        var json = a.Has("--json");
        switch (command)
        {
            case "list":
            case "search":
                PolicyKind? kind = null;
                if (a.Option("--kind") is { } k)
                {
                    if (!Enum.TryParse<PolicyKind>(k, ignoreCase: true, out var parsedKind))
                    {
                        Console.Error.WriteLine($"schedcp {command}: unknown kind '{k}'; use one of {string.Join(", ", Enum.GetNames<PolicyKind>())}.");
                        return 2;
                    }

                    kind = parsedKind;
                }

                if (command == "search" && a.Positionals.Count == 0)
                {
                    Console.Error.WriteLine($"schedcp search: say what to search for, e.g. 'schedcp search low latency gaming'.\n{Usage}");
                    return 2;
                }

                int limit;
                try
                {
                    limit = a.PositiveInt("--limit", 5);
                }
                catch (ArgumentException e)
                {
                    Console.Error.WriteLine($"schedcp {command}: {e.Message}");
                    return 2;
                }

                var query = new PolicySearchQuery(string.Join(' ', a.Positionals)) { Limit = limit, Kinds = kind is { } only ? [only] : null };
                var ordered = command == "list" ? await repository.ListAsync(query) : await repository.SearchAsync(query);
                Console.WriteLine(json ? JsonSerializer.Serialize(ordered, Cli.Json) : string.Join('\n', ordered.Select(p => p.ToString())));
                return 0;
            default:
                if (a.Positionals.Count != 1)
                {
                    Console.Error.WriteLine($"schedcp show: name one policy.\n{Usage}");
                    return 2;
                }

                if (PolicyName.Validate(a.Positionals[0]) is { Succeeded: false } invalid)
                {
                    Console.Error.WriteLine($"schedcp show: {invalid.Error.Reason}");
                    return 2;
                }

                var policy = await repository.GetPolicyAsync(a.Positionals[0]);
                if (!policy.Succeeded)
                {
                    Console.Error.WriteLine($"schedcp show: {policy.Error!.Reason}");
                    return 4;
                }

                Console.WriteLine(json ? JsonSerializer.Serialize(policy.Value, Cli.Json) : Describe(policy.Value!));
                return 0;
        }
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
