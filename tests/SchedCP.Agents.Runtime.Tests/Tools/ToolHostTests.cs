using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;
using SchedCP.Agents.Runtime.Artifacts;
using SchedCP.Agents.Runtime.Claims;
using SchedCP.Agents.Runtime.Tools;
using SchedCP.Agents.Runtime.WorkUnits;
using SchedCP.Core.Diffs;

namespace SchedCP.Agents.Runtime.Tests.Tools;

public sealed class ToolHostTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();
    private readonly FakeTimeProvider _time = new();
    private readonly WorkUnitLockTable _locks;
    private readonly ArtifactStore _artifacts = new();
    private readonly ToolHost _host;

    public ToolHostTests()
    {
        _locks = new WorkUnitLockTable(_time);
        _host = new ToolHost(_workspace.Options(), _locks, _artifacts, _time);
    }

    public void Dispose() => _workspace.Dispose();

    private long Claim(string agent, WorkUnit unit) =>
        _locks.Request(agent, [Runtime.WorkUnits.Claim.Exclusive(unit)], TimeSpan.FromSeconds(30)).GetValueOrThrow().Grant.Result.Value!.FencingToken;

    [Fact]
    public void Write_without_a_claim_is_refused()
    {
        var result = _host.Write("a", "f.txt", "x", 1, new ChangeSet("a"));

        Assert.Equal(RuntimeErrorCode.NotClaimed, result.Failure?.Kind);
        Assert.False(File.Exists(Path.Combine(_workspace.Root, "f.txt")));
    }

    [Fact]
    public void Every_change_is_recorded_as_a_diff_artifact()
    {
        var token = Claim("a", WorkUnit.File("f.txt"));
        var change = _host.Write("a", "f.txt", "hello\n", token, new ChangeSet("a")).GetValueOrThrow();

        var artifact = _artifacts.Get(change.DiffArtifactId).GetValueOrThrow();
        Assert.Equal(ArtifactKind.Diff, artifact.Kind);
        Assert.Contains("+hello", artifact.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Patch_whose_base_does_not_match_is_refused_and_leaves_the_file_alone()
    {
        _workspace.Write("f.txt", "one\ntwo\nthree\n");
        var token = Claim("a", WorkUnit.File("f.txt"));
        var diff = UnifiedDiff.Create("f.txt", "one\nTWO\nthree\n", "one\n2\nthree\n");

        var result = _host.Patch("a", "f.txt", diff, token, new ChangeSet("a"));

        Assert.Equal(RuntimeErrorCode.PatchBaseMismatch, result.Failure?.Kind);
        Assert.Contains("line 2", result.Failure!.Message, StringComparison.Ordinal);
        Assert.Equal("one\ntwo\nthree\n", _workspace.Read("f.txt"));
    }

    [Fact]
    public void Matching_patch_is_applied()
    {
        _workspace.Write("f.txt", "one\ntwo\nthree\n");
        var token = Claim("a", WorkUnit.File("f.txt"));
        var diff = UnifiedDiff.Create("f.txt", "one\ntwo\nthree\n", "one\n2\nthree\nfour\n");

        Assert.True(_host.Patch("a", "f.txt", diff, token, new ChangeSet("a")).Succeeded);
        Assert.Equal("one\n2\nthree\nfour\n", _workspace.Read("f.txt"));
    }

    [Fact]
    public void Change_set_reverts_and_reapplies_and_refuses_when_files_moved_on()
    {
        _workspace.Write("f.txt", "v1\n");
        var token = Claim("a", WorkUnit.Directory(""));
        var changes = new ChangeSet("a");
        _host.Write("a", "f.txt", "v2\n", token, changes).GetValueOrThrow();
        _host.Write("a", "new.txt", "created\n", token, changes).GetValueOrThrow();

        Assert.True(_host.RevertChangeSet(changes).Succeeded);
        Assert.Equal("v1\n", _workspace.Read("f.txt"));
        Assert.False(File.Exists(Path.Combine(_workspace.Root, "new.txt")));

        Assert.True(_host.ApplyChangeSet(changes).Succeeded);
        Assert.Equal("v2\n", _workspace.Read("f.txt"));

        _workspace.Write("f.txt", "someone else\n");
        Assert.Equal(RuntimeErrorCode.ChangeSetConflict, _host.RevertChangeSet(changes).Failure?.Kind);
        Assert.Equal("created\n", _workspace.Read("new.txt"));
    }

    [Fact]
    public async Task Process_runs_in_its_working_directory_with_captured_output()
    {
        Directory.CreateDirectory(Path.Combine(_workspace.Root, "sub"));
        var token = Claim("a", ProcessResources.Test);
        var request = new ProcessRequest(ProcessResources.Test, "/bin/sh", ["-c", "pwd; echo oops >&2; exit 3"]) { WorkingDirectory = "sub" };

        var result = (await _host.RunProcessAsync("a", request, token)).GetValueOrThrow();

        Assert.Equal(3, result.ExitCode);
        Assert.EndsWith("/sub\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("oops\n", result.StandardError);
        Assert.Equal(ArtifactKind.ProcessOutput, _artifacts.Get(result.OutputArtifactId).GetValueOrThrow().Kind);
    }

    [Fact]
    public async Task Process_is_killed_at_its_timeout()
    {
        var token = Claim("a", ProcessResources.Test);
        var request = new ProcessRequest(ProcessResources.Test, "/bin/sh", ["-c", "sleep 30"]) { Timeout = TimeSpan.FromMilliseconds(200) };

        var result = (await _host.RunProcessAsync("a", request, token)).GetValueOrThrow();

        Assert.True(result.TimedOut);
    }

    [Fact]
    public async Task Process_environment_is_cut_to_the_allow_list()
    {
        var token = Claim("a", ProcessResources.Test);
        var allowed = new ProcessRequest(ProcessResources.Test, "/bin/sh", ["-c", "echo \"$LANG|$SECRET_TOKEN\""])
        {
            Environment = new Dictionary<string, string> { ["LANG"] = "C" },
        };
        var forbidden = allowed with { Environment = new Dictionary<string, string> { ["SECRET_TOKEN"] = "x" } };

        Assert.Equal("C|\n", (await _host.RunProcessAsync("a", allowed, token)).GetValueOrThrow().StandardOutput);
        Assert.Equal(RuntimeErrorCode.EnvironmentVariableNotAllowed, (await _host.RunProcessAsync("a", forbidden, token)).Failure?.Kind);
    }

    [Fact]
    public async Task Process_with_a_stale_token_does_not_start()
    {
        var token = Claim("a", ProcessResources.Test);
        _time.Advance(TimeSpan.FromMinutes(1));
        var request = new ProcessRequest(ProcessResources.Test, "/bin/sh", ["-c", "touch ran"]);

        Assert.Equal(RuntimeErrorCode.StaleFencingToken, (await _host.RunProcessAsync("a", request, token)).Failure?.Kind);
        Assert.False(File.Exists(Path.Combine(_workspace.Root, "ran")));
    }

    [Property(MaxTest = 300)]
    public bool Applying_the_created_diff_turns_before_into_after(string[] before, string[] after, bool newlineBefore, bool newlineAfter)
    {
        static string Text(string[] lines, bool newline)
        {
            var clean = (lines ?? []).Select(l => (l ?? string.Empty).Replace("\n", string.Empty, StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal)).ToArray();
            var text = string.Join('\n', clean);
            return clean.Length > 0 && newline ? text + "\n" : text;
        }

        var a = Text(before, newlineBefore);
        var b = Text(after, newlineAfter);
        var diff = UnifiedDiff.Create("f", a, b);
        return diff.Length == 0 ? a == b : UnifiedDiff.Apply(a, diff).Value?.Text == b;
    }
}
