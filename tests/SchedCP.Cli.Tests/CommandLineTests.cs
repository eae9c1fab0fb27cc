using System.Text.Json;
using SchedCP.Testing;

namespace SchedCP.Cli.Tests;

/// <summary>
/// The <c>schedcp</c> commands as a user runs them: a real process, real repository file, real compiler and verifier;
/// bad input ends with a usage exit code and a message that says what was wrong.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("schedcp-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task List_shows_every_own_policy_and_search_ranks_by_meaning()
    {
        var list = await Schedcp.RunAsync(_dir, "list", "--kind", "bpfObject", "--json");
        Assert.Equal(0, list.ExitCode);
        using var listed = JsonDocument.Parse(list.Out);
        var names = listed.RootElement.EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToArray();
        Assert.Contains("longjob", names);
        Assert.Contains("vtime", names);
        Assert.All(listed.RootElement.EnumerateArray(), p => Assert.Equal("bpfObject", p.GetProperty("kind").GetString()));

        var search = await Schedcp.RunAsync(_dir, "search", "long", "tail", "batch", "makespan", "--limit", "3");
        Assert.Equal(0, search.ExitCode);
        Assert.Contains("longjob", search.Out, StringComparison.Ordinal);
        Assert.Equal(3, search.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.True(File.Exists(Path.Combine(_dir, "data", "schedcp", "repository.db")), "the default repository is under the user's data folder");
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(Path.Combine(_dir, "data", "schedcp")) == (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute), "the data folder is private");
        Assert.False(File.Exists(Path.Combine(_dir, "schedcp-repository.db")), "nothing is written to the working directory");
    }

    [Fact]
    public async Task Show_gives_full_metadata_and_an_unknown_policy_says_how_to_find_one()
    {
        var show = await Schedcp.RunAsync(_dir, "show", "longjob");
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("long_comm0 (String)", show.Out, StringComparison.Ordinal);

        var unknown = await Schedcp.RunAsync(_dir, "show", "scx_nope");
        Assert.Equal(4, unknown.ExitCode);
        Assert.Contains("search", unknown.Err, StringComparison.Ordinal);
    }

    [BpfSourcesFact]
    public async Task Verify_passes_a_good_scheduler_and_stops_a_bad_one_at_the_static_stage_with_its_remedy()
    {
        var good = await Schedcp.RunAsync(_dir, "verify", BuildOutputs.Source("bpf/schedulers/fifo.bpf.c"), "--json");
        Assert.Equal(0, good.ExitCode);
        using var verdicts = JsonDocument.Parse(good.Out);
        Assert.True(verdicts.RootElement.GetProperty("passed").GetBoolean());

        var bad = await Schedcp.RunAsync(_dir, "verify", BuildOutputs.Source("bpf/testing/missing_dsq.bpf.c"));
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("static: FAILED", bad.Out, StringComparison.Ordinal);
        Assert.Contains("scx_bpf_create_dsq(2, -1)", bad.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "run", "vtime", "--bogus" }, "unknown option --bogus")]
    [InlineData(new[] { "search" }, "say what to search for")]
    [InlineData(new[] { "bench", "nosuch" }, "name a workload")]
    [InlineData(new[] { "list", "--kind", "weird" }, "unknown kind 'weird'")]
    [InlineData(new[] { "optimize", "longtail", "--repeats", "0" }, "--repeats needs a positive integer")]
    [InlineData(new[] { "frobnicate" }, "usage: schedcp COMMAND")]
    [InlineData(new[] { "optimize", "longtail", "--provider", "azure", "--model", "gpt-4o" }, "Azure OpenAI needs --endpoint")]
    [InlineData(new[] { "optimize", "longtail", "--model", "m", "--endpoint", "ftp://x" }, "absolute http(s) URL")]
    [InlineData(new[] { "optimize", "longtail", "--provider", "ollama" }, "without a model")]
    public async Task Bad_input_is_a_usage_error_that_names_the_problem(string[] args, string message)
    {
        var result = await Schedcp.RunAsync(_dir, args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parameter_outside_its_schema_is_a_usage_error_and_never_reaches_a_loader()
    {
        var result = await Schedcp.RunAsync(_dir, "sandbox", "run", "vtime", "slice_ns=-5");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("slice_ns", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Optimize_refuses_a_command_the_guest_cannot_run_and_says_how_to_fix_it()
    {
        var script = Path.Combine(_dir, "needs-python9.sh");
        await File.WriteAllTextAsync(script, "#!/opt/none/python9\npass\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var missing = await Schedcp.RunAsync(_dir, "optimize", "--", script);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("/opt/none/python9", missing.Err, StringComparison.Ordinal);

        var both = await Schedcp.RunAsync(_dir, "optimize", "longtail", "--", "sh", "-c", "true");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("not both", both.Err, StringComparison.Ordinal);

        var unknown = await Schedcp.RunAsync(_dir, "optimize", "--workload", "nosuch");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown workload 'nosuch'", unknown.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("directory", "is a directory")]
    [InlineData("/dev/zero", "not a regular file")]
    [InlineData("text", "not a SQLite database")]
    [InlineData("missing", "does not exist")]
    public async Task A_db_path_that_is_not_a_sqlite_file_is_a_usage_error_and_nothing_is_created(string kind, string message)
    {
        var path = kind switch
        {
            "directory" => Directory.CreateDirectory(Path.Combine(_dir, "a-folder")).FullName,
            "text" => Path.Combine(_dir, "notes.txt"),
            "missing" => Path.Combine(_dir, "missing", "dir", "x.db"),
            _ => kind,
        };
        if (kind == "text")
        {
            await File.WriteAllTextAsync(path, "these are my notes, not a database\n");
        }

        var before = Directory.GetFileSystemEntries(_dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var result = await Schedcp.RunAsync(_dir, "list", "--db", path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Err, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFileSystemEntries(_dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray());
        if (kind == "text")
        {
            Assert.Equal("these are my notes, not a database\n", await File.ReadAllTextAsync(path));
        }
    }

    [Fact]
    public async Task A_policy_name_with_a_trailing_newline_or_a_path_is_refused_with_the_valid_shape()
    {
        foreach (var name in new[] { "vtime\n", "../../etc/passwd", "Vtime" })
        {
            var result = await Schedcp.RunAsync(_dir, "show", name);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("lower-case letter", result.Err, StringComparison.Ordinal);
        }
    }

    [BpfSourcesFact]
    public async Task Verify_analyses_a_compiled_object_instead_of_passing_it_through_the_compiler()
    {
        var result = await Schedcp.RunAsync(_dir, "verify", BuildOutputs.BpfObject("missing_dsq"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("static: FAILED", result.Out, StringComparison.Ordinal);

        var good = await Schedcp.RunAsync(_dir, "verify", BuildOutputs.BpfObject("fifo"));
        Assert.Equal(0, good.ExitCode);
        Assert.Contains("static: passed", good.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fake.o", "not an ELF object")]
    [InlineData("notes.txt", "neither BPF C source")]
    public async Task Verify_refuses_a_file_that_is_neither_source_nor_object_and_says_what_to_pass(string file, string message)
    {
        var path = Path.Combine(_dir, file);
        await File.WriteAllTextAsync(path, "int x;\n");
        var result = await Schedcp.RunAsync(_dir, "verify", path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
    }

    [BpfSourcesFact]
    public async Task Verify_of_a_source_including_a_host_file_names_the_line_and_shows_nothing_of_the_file()
    {
        var secret = Path.Combine(_dir, "secret.txt");
        await File.WriteAllTextAsync(secret, "topsecret_81c3 rest\n");
        var source = Path.Combine(_dir, "evil.bpf.c");
        await File.WriteAllTextAsync(source, $"int a;\n#include \"{secret}\"\n");
        var result = await Schedcp.RunAsync(_dir, "verify", source);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("line 2", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret_81c3", result.Out + result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_of_a_huge_source_is_refused_by_size_without_an_exception()
    {
        var source = Path.Combine(_dir, "huge.bpf.c");
        await using (var file = File.Create(source))
        {
            await file.WriteAsync(System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("int x; /* padding */\n", 200))));
            file.SetLength(100L * 1024 * 1024);
        }

        var result = await Schedcp.RunAsync(_dir, "verify", source);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("more than the 1048576 accepted", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_without_a_running_scheduler_says_so()
    {
        var result = await Schedcp.RunAsync(_dir, "stop");
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("Nothing to stop", result.Err, StringComparison.Ordinal);
    }
}
