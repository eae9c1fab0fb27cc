using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Workloads;
using SchedCP.Testing;
using SchedCP.Verifier.Compile;
using SchedCP.Verifier.Pipeline;
using SchedCP.Verifier.StaticAnalysis;

namespace SchedCP.Agents.Tests.Execution;

/// <summary>Materialising candidates: the schema, the verifier and the model's repairs; nothing here boots a guest.</summary>
public sealed class ExecutionAgentTests
{
    private static string Source(string relative) => File.ReadAllText(Path.Combine(BuildOutputs.RepositoryRoot(), relative));

    private static ExecutionAgent Agent(TemporaryRepository repo) =>
        new(repo.Repository,
            new VerifierPipelineBuilder().UseCompile(o => o.OutputDirectory = Path.Combine(repo.Directory, "objects")).UseStaticAnalysis().Build(),
            new WorkloadRunner(),
            new SandboxRunner(new SandboxOptions()),
            Microsoft.Extensions.Options.Options.Create(new ExecutionOptions { WorkDirectory = repo.Directory, BpfObjectDirectory = Path.Combine(BuildOutputs.RepositoryRoot(), "bpf", "build") }));

    [BpfSourcesFact]
    public async Task A_generated_scheduler_the_verifier_stops_goes_back_to_the_model_with_the_findings_and_the_repair_passes()
    {
        using var repo = Observations.Repository();
        var bad = Source("bpf/testing/missing_dsq.bpf.c");
        var model = new ScriptedChatClient().Reply(System.Text.Json.JsonSerializer.Serialize(new { source = Source("bpf/schedulers/fifo.bpf.c") }));
        var spec = new CandidateSpec("generated fifo", "gen_fifo", new Dictionary<string, string> { ["slice_ns"] = "3000000" }) { Source = bad };

        var (candidate, failure) = await Agent(repo).MaterializeAsync(spec, model, WriteAsync(repo), CancellationToken.None);

        Assert.Null(failure);
        Assert.NotNull(candidate);
        Assert.Equal("compile:pass static:pass", candidate.Verification.Summary);
        Assert.Contains("schedcp_fifo", candidate.Spec.Source, StringComparison.Ordinal);
        Assert.Equal("3000000", ((SchedCP.Kernel.Schedulers.BpfObjectScheduler)candidate.Scheduler).Rodata["slice_ns"]);
        // The model saw what the static stage found, with the source it wrote.
        var asked = model.Calls.Single()[^1].Text;
        Assert.Contains("The static stage stopped it", asked, StringComparison.Ordinal);
        Assert.Contains("dsq", asked, StringComparison.OrdinalIgnoreCase);
    }

    [BpfSourcesFact]
    public async Task A_scheduler_the_model_cannot_repair_fails_verification_and_keeps_its_source_and_verdicts()
    {
        using var repo = Observations.Repository();
        var bad = Source("bpf/testing/no_dispatch.bpf.c");
        var model = new ScriptedChatClient()
            .Reply(System.Text.Json.JsonSerializer.Serialize(new { source = bad }))
            .Reply("""{"source": ""}""");
        var spec = new CandidateSpec("lazy", "gen_lazy", new Dictionary<string, string>()) { Source = bad };

        var (candidate, failure) = await Agent(repo).MaterializeAsync(spec, model, WriteAsync(repo), CancellationToken.None);

        Assert.Null(candidate);
        Assert.Equal(CandidateStatus.FailedVerification, failure!.Status);
        Assert.StartsWith("static:", failure.Reason, StringComparison.Ordinal);
        Assert.Equal(bad, failure.Spec.Source);
        Assert.Contains(failure.Verdicts, v => v.Stage == "static" && !v.Passed);
        Assert.Equal(0, model.Remaining);
    }

    [Fact]
    public async Task Parameters_outside_the_schema_are_refused_naming_the_parameter()
    {
        using var repo = Observations.Repository();
        var spec = new CandidateSpec("bad slice", "vtime", new Dictionary<string, string> { ["slice_ns"] = "1" });

        var (_, failure) = await Agent(repo).MaterializeAsync(spec, null, WriteAsync(repo), CancellationToken.None);

        Assert.Equal(CandidateStatus.Rejected, failure!.Status);
        Assert.Contains("slice_ns", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Policies_the_sandbox_cannot_run_and_unknown_ones_are_refused_with_what_to_do()
    {
        using var repo = Observations.Repository();

        var (_, rusty) = await Agent(repo).MaterializeAsync(new CandidateSpec("rusty", "scx_rusty", new Dictionary<string, string>()), null, WriteAsync(repo), CancellationToken.None);
        var (_, unknown) = await Agent(repo).MaterializeAsync(new CandidateSpec("nope", "scx_nope", new Dictionary<string, string>()), null, WriteAsync(repo), CancellationToken.None);

        Assert.Equal(CandidateStatus.Rejected, rusty!.Status);
        Assert.Contains("bpfObject or kernelExample", rusty.Reason, StringComparison.Ordinal);
        Assert.Equal(CandidateStatus.Rejected, unknown!.Status);
        Assert.Contains("scx_nope", unknown.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_generated_scheduler_takes_only_plain_rodata_values()
    {
        using var repo = Observations.Repository();
        var spec = new CandidateSpec("sneaky", "gen_sneaky", new Dictionary<string, string> { ["slice_ns"] = "1; reboot" }) { Source = "int x;" };

        var (_, failure) = await Agent(repo).MaterializeAsync(spec, null, WriteAsync(repo), CancellationToken.None);

        Assert.Equal(CandidateStatus.Rejected, failure!.Status);
        Assert.Contains("slice_ns", failure.Reason, StringComparison.Ordinal);
    }

    private static Func<string, string, CancellationToken, Task<string>> WriteAsync(TemporaryRepository repo) => async (relative, text, ct) =>
    {
        var path = Path.Combine(repo.Directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, text, ct);
        return path;
    };
}
