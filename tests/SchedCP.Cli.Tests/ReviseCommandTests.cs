using System.Diagnostics;
using System.Text.Json;
using SchedCP.Testing;

namespace SchedCP.Cli.Tests;

/// <summary>
/// <c>schedcp revise</c>: a diff made with <c>diff -u</c> against the source <c>schedcp show --source</c> prints is
/// applied, compiled, checked and stored with its parent; a diff that does not apply, that names a path outside the
/// source, or that is too long is refused with what to do, and nothing is stored.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ReviseCommandTests : IDisposable
{
    private const string Lag = "const volatile u64 max_lag_ns = 20000000;";

    private readonly string _dir = Directory.CreateTempSubdirectory("schedcp-cli-revise-").FullName;

    private string Db => Path.Combine(_dir, "repo.db");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Compiling the patched source needs the sandbox toolchain's headers, not a guest.
    [BpfSourcesFact]
    public async Task Revise_verifies_and_stores_a_diff_made_against_the_shown_source_with_its_parent()
    {
        var patch = await DiffAsync(Lag, "const volatile u64 max_lag_ns = 5000000;");

        var revised = await Schedcp.RunAsync(_dir, "revise", "vtime", "--name", "vtime_lag5", "--diff", patch, "--db", Db, "--json");
        var shown = await Schedcp.RunAsync(_dir, "show", "vtime_lag5", "--db", Db, "--json");
        var source = await Schedcp.RunAsync(_dir, "show", "vtime_lag5", "--source", "--db", Db);

        Assert.True(revised.ExitCode == 0, revised.Out + revised.Err);
        using var result = JsonDocument.Parse(revised.Out);
        Assert.True(result.RootElement.GetProperty("stored").GetBoolean());
        var check = result.RootElement.GetProperty("patch").GetProperty("check");
        Assert.True(check.GetProperty("passed").GetBoolean(), check.ToString());
        Assert.Contains("compile:pass", check.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal("vtime", result.RootElement.GetProperty("patch").GetProperty("parent").GetString());
        Assert.Equal(0, shown.ExitCode);
        using var policy = JsonDocument.Parse(shown.Out);
        Assert.StartsWith("revision of vtime", policy.RootElement.GetProperty("algorithm").GetString(), StringComparison.Ordinal);
        Assert.Equal("generated", policy.RootElement.GetProperty("kind").GetString());
        Assert.Contains("const volatile u64 max_lag_ns = 5000000;", source.Out, StringComparison.Ordinal);
    }

    [BpfSourcesFact]
    public async Task A_revision_the_verifier_stops_exits_1_with_the_compiler_finding_and_is_not_stored()
    {
        var patch = await DiffAsync(Lag, "const volatile u64 max_lag_ns = ;");

        var revised = await Schedcp.RunAsync(_dir, "revise", "vtime", "--name", "vtime_broken", "--diff", patch, "--db", Db);

        Assert.Equal(1, revised.ExitCode);
        Assert.Contains("not stored", revised.Out, StringComparison.Ordinal);
        Assert.Contains("failed at compile", revised.Out, StringComparison.Ordinal);
        Assert.Equal(4, (await Schedcp.RunAsync(_dir, "show", "vtime_broken", "--db", Db)).ExitCode);
    }

    [Fact]
    public async Task A_diff_that_does_not_apply_names_the_hunk_and_the_source_line_and_nothing_is_stored()
    {
        var patch = await DiffAsync(Lag, "const volatile u64 max_lag_ns = 5000000;");
        var stale = Path.Combine(_dir, "stale.patch");
        await File.WriteAllTextAsync(stale, (await File.ReadAllTextAsync(patch)).Replace(" const volatile u64 slice_ns = 5000000;", " const volatile u64 slice_ns = 1;", StringComparison.Ordinal));

        var refused = await Schedcp.RunAsync(_dir, "revise", "vtime", "--name", "vtime_stale", "--diff", stale, "--db", Db);

        await AssertRefusedAsync(refused, "vtime_stale", "Hunk 1");
        Assert.Contains("at line 24 of the source the diff expects 'const volatile u64 slice_ns = 1;'", refused.Err, StringComparison.Ordinal);
        Assert.Contains("schedcp show POLICY --source", refused.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_diff_naming_a_path_outside_the_source_is_refused_and_nothing_is_stored()
    {
        var patch = await DiffAsync(Lag, "const volatile u64 max_lag_ns = 5000000;");
        var lines = (await File.ReadAllLinesAsync(patch)).Skip(2);
        var hostile = Path.Combine(_dir, "passwd.patch");
        await File.WriteAllLinesAsync(hostile, ["--- a/../../etc/passwd", "+++ b/../../etc/passwd", .. lines]);

        var refused = await Schedcp.RunAsync(_dir, "revise", "vtime", "--name", "vtime_passwd", "--diff", hostile, "--db", Db);

        await AssertRefusedAsync(refused, "vtime_passwd", "../../etc/passwd', a path that climbs out");
        Assert.Contains("only the policy's own source", refused.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_diff_on_stdin_is_refused_before_it_is_read_whole_and_nothing_is_stored()
    {
        var huge = "@@ -1,1 +1,1 @@\n" + string.Concat(Enumerable.Repeat("+const volatile u64 pad = 0;\n", 10_000));

        var refused = await Schedcp.RunWithInputAsync(_dir, huge, "revise", "vtime", "--name", "vtime_huge", "--diff", "-", "--db", Db);

        await AssertRefusedAsync(refused, "vtime_huge", "longer than 200000 characters");
    }

    [Fact]
    public async Task An_unknown_parent_exits_4_and_a_bad_or_taken_name_exits_2()
    {
        var patch = await DiffAsync(Lag, "const volatile u64 max_lag_ns = 5000000;");

        var unknown = await Schedcp.RunAsync(_dir, "revise", "no_such_policy", "--name", "x_rev", "--diff", patch, "--db", Db);
        var badName = await Schedcp.RunAsync(_dir, "revise", "vtime", "--name", "../../etc/passwd", "--diff", patch, "--db", Db);
        var taken = await Schedcp.RunAsync(_dir, "revise", "vtime", "--name", "vtime", "--diff", patch, "--db", Db);

        Assert.Equal(4, unknown.ExitCode);
        Assert.Contains("no_such_policy", unknown.Err, StringComparison.Ordinal);
        Assert.Equal(2, badName.ExitCode);
        Assert.Contains("--name: The policy name", badName.Err, StringComparison.Ordinal);
        Assert.Equal(2, taken.ExitCode);
        Assert.Contains("exists already", taken.Err, StringComparison.Ordinal);
    }

    /// <summary>The revised vtime runs side by side with EEVDF in the sandbox guest, from the same command.</summary>
    [SandboxFact]
    [Trait("Category", "Sandbox")]
    public async Task A_stored_revision_runs_side_by_side_with_eevdf_in_the_sandbox()
    {
        var patch = await DiffAsync(Lag, "const volatile u64 max_lag_ns = 5000000;");

        var run = await Schedcp.RunAsync(_dir, "revise", "vtime", "--name", "vtime_lag5", "--diff", patch, "--compare", "longtail", "--repeats", "2", "--db", Db, "--json");

        Assert.True(run.ExitCode == 0, run.Out + run.Err);
        using var result = JsonDocument.Parse(run.Out);
        var comparison = result.RootElement.GetProperty("comparison");
        Assert.Equal("vtime_lag5", comparison.GetProperty("policy").GetString());
        Assert.Contains(comparison.GetProperty("verdict").GetString(), new[] { "Better", "Worse", "Equal" });
        Assert.Contains("vs EEVDF", comparison.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    /// <summary>A real <c>diff -u</c> of vtime's source as <c>schedcp show --source</c> prints it and a copy with <paramref name="from"/> replaced.</summary>
    private async Task<string> DiffAsync(string from, string to)
    {
        var shown = await Schedcp.RunAsync(_dir, "show", "vtime", "--source", "--db", Db);
        Assert.True(shown.ExitCode == 0, shown.Err);
        Assert.Contains(from, shown.Out, StringComparison.Ordinal);
        var (original, modified, patch) = (Path.Combine(_dir, "vtime.bpf.c"), Path.Combine(_dir, "vtime.new.bpf.c"), Path.Combine(_dir, "change.patch"));
        await File.WriteAllTextAsync(original, shown.Out);
        await File.WriteAllTextAsync(modified, shown.Out.Replace(from, to, StringComparison.Ordinal));
        var start = new ProcessStartInfo("diff", ["-u", original, modified]) { RedirectStandardOutput = true };
        using var diff = Process.Start(start)!;
        var text = await diff.StandardOutput.ReadToEndAsync();
        await diff.WaitForExitAsync();
        Assert.Equal(1, diff.ExitCode);
        await File.WriteAllTextAsync(patch, text);
        return patch;
    }

    private async Task AssertRefusedAsync(Schedcp refused, string name, string message)
    {
        Assert.True(refused.ExitCode == 2, refused.Out + refused.Err);
        Assert.Contains(message, refused.Err, StringComparison.Ordinal);
        Assert.Contains("'schedcp revise --help'", refused.Err, StringComparison.Ordinal);
        Assert.Equal("", refused.Out);
        var shown = await Schedcp.RunAsync(_dir, "show", name, "--db", Db);
        Assert.True(shown.ExitCode == 4, $"show {name} exited {shown.ExitCode}: {shown.Out}{shown.Err}");
    }
}
