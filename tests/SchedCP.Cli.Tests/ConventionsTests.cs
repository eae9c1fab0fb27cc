using System.Text.Json;
using System.Text.RegularExpressions;

namespace SchedCP.Cli.Tests;

/// <summary>
/// What every <c>schedcp</c> verb shares: help and the version on stdout with exit 0, bad usage exit 2 naming the
/// problem, <c>--json</c> that parses, plain text when output is redirected, and the repository in the user's data
/// folder rather than the working directory.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class ConventionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("schedcp-cli-conventions-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData(null)]
    public async Task The_overview_goes_to_stdout_with_exit_0(string? argument)
    {
        var result = await Schedcp.RunAsync(_dir, argument is null ? [] : [argument]);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("usage: schedcp COMMAND", result.Out, StringComparison.Ordinal);
        Assert.Contains("optimize", result.Out, StringComparison.Ordinal);
        Assert.Equal("", result.Err);
    }

    [Theory]
    [InlineData("optimize", "--kpi-higher")]
    [InlineData("list", "--limit")]
    [InlineData("search", "--limit")]
    [InlineData("show", "POLICY")]
    [InlineData("run", "--unsafe-no-token")]
    [InlineData("deploy", "--token")]
    [InlineData("rollback", "--key")]
    [InlineData("stop", "--json")]
    [InlineData("status", "--json")]
    [InlineData("sandbox run", "--seconds")]
    [InlineData("sandbox check", "--json")]
    [InlineData("verify", "--kernel")]
    [InlineData("bench", "--schedulers")]
    [InlineData("revise", "--diff")]
    [InlineData("setup", "--check")]
    [InlineData("mcp", "--read-only")]
    [InlineData("capabilities", "--json")]
    [InlineData("state", "--json")]
    public async Task Each_verb_prints_its_own_help_on_stdout_with_exit_0(string verb, string option)
    {
        foreach (var help in new[] { "--help", "-h" })
        {
            var result = await Schedcp.RunAsync(_dir, [.. verb.Split(' '), help]);

            Assert.True(result.ExitCode == 0, result.Err);
            Assert.Contains($"schedcp {verb} ", result.Out, StringComparison.Ordinal);
            Assert.Contains(option, result.Out, StringComparison.Ordinal);
            Assert.Equal("", result.Err);
        }

        var viaHelp = await Schedcp.RunAsync(_dir, ["help", .. verb.Split(' ')]);
        Assert.Equal(0, viaHelp.ExitCode);
        Assert.Contains($"schedcp {verb} ", viaHelp.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_with_h_shows_help_instead_of_searching_for_it()
    {
        var result = await Schedcp.RunAsync(_dir, "search", "-h");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("schedcp search", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("[BpfObject", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_the_package_version_on_stdout_with_exit_0()
    {
        var result = await Schedcp.RunAsync(_dir, "--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(SemanticVersion(), result.Out);
        Assert.Equal("", result.Err);
    }

    [Theory]
    [InlineData(new[] { "list", "--bogus" }, "--bogus")]
    [InlineData(new[] { "search", "x", "--limit", "many" }, "many")]
    [InlineData(new[] { "optimize", "longtail", "--cpus", "65" }, "--cpus needs 1..64")]
    [InlineData(new[] { "show" }, "POLICY")]
    [InlineData(new[] { "revise", "vtime", "--diff", "x.patch" }, "--name")]
    [InlineData(new[] { "sandbox", "frob" }, "frob")]
    [InlineData(new[] { "help", "frob" }, "no command 'frob'")]
    public async Task An_unknown_option_or_malformed_value_exits_2_and_points_at_the_verbs_help(string[] args, string message)
    {
        var result = await Schedcp.RunAsync(_dir, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
        Assert.Contains($"'schedcp {args[0]}", result.Err, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task List_takes_kind_scx_as_its_usage_writes_it()
    {
        var result = await Schedcp.RunAsync(_dir, "list", "--kind", "scx", "--json");

        Assert.Equal(0, result.ExitCode);
        using var listed = JsonDocument.Parse(result.Out);
        Assert.NotEmpty(listed.RootElement.EnumerateArray());
        Assert.All(listed.RootElement.EnumerateArray(), p => Assert.Equal("scxBinary", p.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task List_limit_caps_the_lines_and_redirected_output_is_plain_text()
    {
        var result = await Schedcp.RunAsync(_dir, "list", "--limit", "3");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain('\u001b', result.Out + result.Err);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("search", "low", "latency")]
    [InlineData("show", "vtime")]
    [InlineData("capabilities")]
    [InlineData("state")]
    [InlineData("status")]
    [InlineData("stop")]
    [InlineData("setup", "--check")]
    public async Task Json_on_a_verb_prints_json_whatever_the_exit_code(params string[] args)
    {
        var result = await Schedcp.RunAsync(_dir, [.. args, "--json"]);

        Assert.True(result.ExitCode is 0 or 3 or 4, result.Err);
        using var json = JsonDocument.Parse(result.Out);
        Assert.True(json.RootElement.ValueKind is JsonValueKind.Object or JsonValueKind.Array);
    }

    [Fact]
    public async Task Setup_check_reports_each_requirement_with_a_remedy_for_the_missing_ones_and_builds_nothing()
    {
        var result = await Schedcp.RunAsync(_dir, "setup", "--check", "--json");

        Assert.True(result.ExitCode is 0 or 3, result.Err);
        using var json = JsonDocument.Parse(result.Out);
        var items = json.RootElement.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(["qemu", "clang", "toolchain", "bpf-schedulers", "workloads"], items.Select(i => i.GetProperty("name").GetString()));
        Assert.All(items.Where(i => !i.GetProperty("ready").GetBoolean()), i => Assert.NotEqual("", i.GetProperty("remedy").GetString()));
        Assert.Equal(result.ExitCode == 0, json.RootElement.GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task Capabilities_json_lists_every_check_and_the_verdict()
    {
        var result = await Schedcp.RunAsync(_dir, "capabilities", "--json");

        Assert.True(result.ExitCode is 0 or 3, result.Err);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(result.ExitCode == 0, json.RootElement.GetProperty("canRunSchedulers").GetBoolean());
        Assert.Contains(json.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "sched_ext");
    }

    [Fact]
    public async Task Without_xdg_data_home_the_repository_goes_under_home_local_share_and_nothing_into_the_working_directory()
    {
        var home = Directory.CreateDirectory(Path.Combine(_dir, "home")).FullName;
        var work = Directory.CreateDirectory(Path.Combine(_dir, "work")).FullName;

        var result = await Schedcp.RunAsync(work, new Dictionary<string, string?> { ["HOME"] = home, ["XDG_DATA_HOME"] = null }, "list", "--limit", "1");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.True(File.Exists(Path.Combine(home, ".local", "share", "schedcp", "repository.db")), "the default repository is under ~/.local/share/schedcp");
        Assert.DoesNotContain(Directory.GetFileSystemEntries(work), e => Path.GetFileName(e) != "run");
    }

    [Theory]
    [InlineData("schedcp se", "search")]
    [InlineData("schedcp list --kind ", "scx")]
    [InlineData("schedcp optimize lo", "longtail-same")]
    [InlineData("schedcp bench wa", "wakeup")]
    public async Task The_suggest_directive_that_shell_completion_calls_completes_verbs_and_values(string line, string expected)
    {
        var result = await Schedcp.RunAsync(_dir, $"[suggest:{line.Length}]", line);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(expected, result.Out.Split('\n', StringSplitOptions.TrimEntries));
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+")]
    private static partial Regex SemanticVersion();

    [Fact]
    public async Task Optimize_with_a_state_file_in_a_missing_folder_is_a_usage_error_that_names_it()
    {
        var dir = Directory.CreateTempSubdirectory("schedcp-state-").FullName;
        try
        {
            var run = await Schedcp.RunAsync(dir, "optimize", "longtail", "--state", Path.Combine(dir, "missing", "state.db"));

            Assert.Equal(2, run.ExitCode);
            Assert.Contains("--state", run.Err, StringComparison.Ordinal);
            Assert.Contains("does not exist", run.Err, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("--gauntlet", "bogus", "bogus")]
    [InlineData("--max-wall", "0", "--max-wall")]
    [InlineData("--max-model-calls", "-1", "--max-model-calls")]
    public async Task Optimize_refuses_a_bad_gauntlet_or_budget_before_any_work(string option, string value, string named)
    {
        var dir = Directory.CreateTempSubdirectory("schedcp-budget-").FullName;
        try
        {
            var run = await Schedcp.RunAsync(dir, "optimize", "longtail", option, value);

            Assert.Equal(2, run.ExitCode);
            Assert.Contains(named, run.Err, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(dir, "data", "schedcp", "repository.db")), "a refused command touches no repository");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
