using SchedCP.Kernel.Workloads;

namespace SchedCP.Agents.Tests.ClosedLoop;

/// <summary>A loop that cannot observe its workload ends with a typed failure and leaves the repository as it was; nothing boots.</summary>
public sealed class OptimizationLoopFailureTests
{
    [Fact]
    public async Task A_workload_that_cannot_be_observed_fails_the_loop_with_a_remedy_and_records_nothing()
    {
        using var repo = Observations.Repository();
        var empty = Directory.CreateDirectory(Path.Combine(repo.Directory, "no-workloads")).FullName;
        // A name no build produces: wherever the built workloads are found, this one is missing.
        var workload = new BenchmarkWorkload("not-built", []);

        var result = await HostOnlyLoop.Create(repo, empty).RunAsync(new OptimizationRequest(workload), chat: null);

        Assert.False(result.Succeeded);
        Assert.Equal(OptimizationFailureKind.ObservationFailed, result.Failure!.Kind);
        Assert.StartsWith("not-built could not be observed: ", result.Failure.Message, StringComparison.Ordinal);
        Assert.NotEmpty(result.Failure.Remedy);
        Assert.Null(result.Best);
        Assert.Equal(0, result.Improvement);
        Assert.Empty(result.Plans);
        Assert.Empty(result.Candidates);
        Assert.Null(result.Deployment.Token);
        Assert.Null(await repo.Repository.Store.GetProfileAsync(result.Observation.Fingerprint));
        Assert.Empty(await repo.Repository.Store.GetRunsAsync(result.Observation.Fingerprint));
    }

    [Fact]
    public void An_execution_whose_every_candidate_was_refused_for_a_missing_object_fails_with_how_to_build_them()
    {
        var missing = "The object of vtime (vtime.bpf.o) is not built; run bpf/build.sh or set SCHEDCP_BPF_DIR.";
        var refused = new ExecutionResult(
            [new CandidateOutcome(new CandidateSpec("vtime", "vtime", new Dictionary<string, string>()), CandidateStatus.Rejected, missing, null, null)], null, null, []);

        var failure = OptimizationLoop.NothingTrialled(refused);

        Assert.Equal(OptimizationFailureKind.NoCandidateBuilt, failure!.Kind);
        Assert.Contains(missing, failure.Message, StringComparison.Ordinal);
        Assert.Contains("SCHEDCP_BPF_DIR", failure.Remedy, StringComparison.Ordinal);
        Assert.Null(OptimizationLoop.NothingTrialled(refused with { Outcomes = [refused.Outcomes[0] with { Status = CandidateStatus.FailedVerification }] }));
    }
}
