using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SchedCP.ControlPlane.Deployment;
using SchedCP.Kernel.Sandbox;
using SchedCP.Verifier.Canary;
using SchedCP.Verifier.Tokens;

namespace SchedCP.ControlPlane.Tests.Deployment;

public sealed class DeploymentServiceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("schedcp-deploy-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly MachineHostIdentity _host = new("deploy-test-host");

    public void Dispose()
    {
        _key.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Journal => Path.Combine(_dir, "deployments.jsonl");

    private string KnownGood => Path.Combine(_dir, "known-good.json");

    private DeploymentService Service(bool allowUnsafe = false)
    {
        var tokens = new DeploymentTokenValidator(_key, _host, _time);
        var journal = new JsonLinesCanaryJournal(Journal);
        // The sandbox target: refusals and rollbacks never boot a guest, so these tests need no sandbox.
        var target = new SandboxDeploymentTarget(new CanaryDeployer(new SandboxRunner(new SandboxOptions()), tokens, journal, null, _time));
        return new DeploymentService(tokens, new JsonFileKnownGoodStore(KnownGood), journal, target, Options.Create(new DeploymentOptions { AllowUnsafeNoToken = allowUnsafe }), _time);
    }

    private DeployableScheduler Object(string name, string content)
    {
        var path = Path.Combine(_dir, name + ".bpf.o");
        File.WriteAllText(path, content);
        return new DeployableScheduler(name, path, "schedcp_" + name);
    }

    private string Token(DeployableScheduler s) =>
        new DeploymentTokenIssuer(_key, _host, _time).Issue(s.Name, DeploymentToken.Sha256OfFile(s.ObjectPath), null, s.Parameters, "sandbox:pass");

    [Fact]
    public async Task Deploy_without_a_token_is_refused_with_a_remedy_and_journaled()
    {
        var fifo = Object("fifo", "fifo object");

        var outcome = await Service().DeployAsync(new DeploymentRequest(fifo, null, "test"));

        Assert.Equal(DeploymentStatus.Refused, outcome.Status);
        Assert.Equal(TokenRefusal.Missing, outcome.TokenRefusal);
        Assert.Equal("unchanged", outcome.Running);
        Assert.Contains("Verify", outcome.Remedy, StringComparison.Ordinal);
        var journal = await new JsonLinesCanaryJournal(Journal).ReadAllAsync();
        var refused = Assert.Single(journal);
        Assert.Equal(CanaryPhase.Refused, refused.Phase);
        Assert.Contains("asked by test", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_for_another_policy_is_refused()
    {
        var fifo = Object("fifo", "same bytes");
        var vtime = Object("vtime", "same bytes");

        var outcome = await Service().DeployAsync(new DeploymentRequest(fifo, Token(vtime), "test"));

        Assert.Equal(DeploymentStatus.Refused, outcome.Status);
        Assert.Equal(TokenRefusal.ContentMismatch, outcome.TokenRefusal);
        Assert.Contains("vtime", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_for_another_object_of_the_same_policy_is_refused()
    {
        var built = Object("fifo", "the verified build");
        var token = Token(built);
        File.WriteAllText(built.ObjectPath, "a rebuilt object nobody verified");

        var outcome = await Service().DeployAsync(new DeploymentRequest(built, token, "test"));

        Assert.Equal(TokenRefusal.ContentMismatch, outcome.TokenRefusal);
        Assert.Contains("different code", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_for_other_parameters_is_refused()
    {
        var fifo = Object("fifo", "fifo object");
        var token = Token(fifo);

        var outcome = await Service().DeployAsync(new DeploymentRequest(fifo, token, "test") { TokenParameters = new Dictionary<string, string> { ["slice_us"] = "50" } });

        Assert.Equal(TokenRefusal.ContentMismatch, outcome.TokenRefusal);
    }

    [Fact]
    public async Task Unsafe_no_token_is_refused_unless_the_options_allow_it()
    {
        var fifo = Object("fifo", "fifo object");

        var outcome = await Service(allowUnsafe: false).DeployAsync(new DeploymentRequest(fifo, null, "cli") { UnsafeNoToken = true });

        Assert.Equal(DeploymentStatus.Refused, outcome.Status);
        Assert.Contains("AllowUnsafeNoToken", outcome.Remedy, StringComparison.Ordinal);
        Assert.Contains(DeploymentService.UnsafeNoTokenId, (await new JsonLinesCanaryJournal(Journal).ReadAllAsync())[0].Deployment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_object_is_refused_before_any_token_check()
    {
        var ghost = new DeployableScheduler("ghost", Path.Combine(_dir, "ghost.bpf.o"), "schedcp_ghost");

        var outcome = await Service().DeployAsync(new DeploymentRequest(ghost, "whatever", "test"));

        Assert.Equal(DeploymentStatus.Refused, outcome.Status);
        Assert.Contains("does not exist", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_known_good_history_survives_a_new_store_over_the_same_file()
    {
        var fifo = Object("fifo", "fifo object") with { Parameters = new Dictionary<string, string> { ["slice_ns"] = "5000000" } };
        await new JsonFileKnownGoodStore(KnownGood).WriteAsync(new KnownGoodRecord(fifo, "tok-1", _time.GetUtcNow(), "host"));

        // A new process holds nothing in memory: it has only the file.
        var read = await new JsonFileKnownGoodStore(KnownGood).ReadAsync();

        Assert.NotNull(read);
        Assert.Equal("fifo", read.Scheduler.Name);
        Assert.Equal(fifo.ObjectPath, read.Scheduler.ObjectPath);
        Assert.Equal("5000000", read.Scheduler.Parameters["slice_ns"]);
        Assert.Equal("tok-1", read.TokenId);
        Assert.False(File.Exists(KnownGood + ".tmp"));
    }

    [Fact]
    public async Task Rollback_goes_to_the_known_good_scheduler_before_the_last_deployment_then_to_eevdf()
    {
        var store = new JsonFileKnownGoodStore(KnownGood);
        await store.WriteAsync(new KnownGoodRecord(Object("fifo", "a"), "tok-fifo", _time.GetUtcNow(), "sandbox"));
        await store.WriteAsync(new KnownGoodRecord(Object("vtime", "b"), "tok-vtime", _time.GetUtcNow(), "sandbox"));

        var first = await Service().RollbackAsync("test");
        var second = await Service().RollbackAsync("test");
        var third = await Service().RollbackAsync("test");

        Assert.Equal(("fifo", "schedcp_fifo"), (first.Policy, first.Running));
        Assert.Equal(("EEVDF", "EEVDF"), (second.Policy, second.Running));
        Assert.Equal("EEVDF", third.Running);
        Assert.Contains("No deployment is recorded", third.Reason, StringComparison.Ordinal);
        Assert.Null(await store.ReadAsync());
        var journal = await new JsonLinesCanaryJournal(Journal).ReadAllAsync();
        Assert.Equal(3, journal.Count);
        Assert.All(journal, t => Assert.Equal(CanaryPhase.RolledBack, t.Phase));
        Assert.Equal(["tok-vtime", "tok-fifo", "none"], journal.Select(t => t.Deployment));
    }

    [Fact]
    public async Task A_hand_edited_known_good_file_is_reported_with_what_to_do()
    {
        await File.WriteAllTextAsync(KnownGood, "{ not json");

        var e = await Assert.ThrowsAsync<InvalidDataException>(async () => await new JsonFileKnownGoodStore(KnownGood).ReadAsync());

        Assert.Contains("delete it", e.Message, StringComparison.Ordinal);
    }
}
