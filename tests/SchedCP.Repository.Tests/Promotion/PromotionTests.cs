namespace SchedCP.Repository.Tests.Promotion;

public class PromotionTests
{
    internal static SchedulerPolicy Generated(string name) => new()
    {
        Name = name,
        Kind = PolicyKind.Generated,
        Description = "Longest job first by a learned runtime estimate for long-tail batch workloads.",
        Algorithm = "longest job first",
        TargetWorkloads = ["batch compression with one long task"],
        Requirements = new PolicyRequirements("6.12", ["sched_ext", "btf"], []),
        Source = PolicyArtifact.FromText($"/* {name} */ s32 BPF_STRUCT_OPS(ljf_init) {{ return 0; }}"),
        Provenance = new PolicyProvenance(PolicyOrigin.Generated, "run-7", "execution agent"),
        Primitives = ["dsq_global", "order_ljf"],
    };

    private sealed class FixedReceiptValidator(string expectedToken) : IDeploymentReceiptValidator
    {
        public (string Policy, string? Hash)? Seen { get; private set; }

        public ValueTask<ReceiptValidation> ValidateAsync(DeploymentReceipt receipt, string policyName, string? sourceSha256, CancellationToken cancellationToken = default)
        {
            Seen = (policyName, sourceSha256);
            return ValueTask.FromResult(receipt.Token == expectedToken ? ReceiptValidation.Valid("receipt-1") : ReceiptValidation.Invalid("signature does not verify"));
        }
    }

    private static VerifierVerdict Pass(string stage, TemporaryDatabase db) => new(stage, true, "ok", "log", db.Time.GetUtcNow());

    [Fact]
    public async Task Candidate_becomes_verified_then_production_under_a_valid_receipt()
    {
        using var db = new TemporaryDatabase();
        var repository = db.Repository();
        var validator = new FixedReceiptValidator("signed");
        var promotion = new PolicyPromotion(repository, validator, db.Time);
        var policy = Generated("ljf_v1");

        Assert.Equal(PolicyLifecycle.Candidate, (await promotion.SubmitCandidateAsync(policy, [Pass("compile", db)])).Value!.Lifecycle);
        Assert.Equal(PolicyLifecycle.Verified, (await promotion.RecordVerificationAsync("ljf_v1", [Pass("kernel-verifier", db), Pass("sandbox", db)])).Value);
        Assert.Equal(PolicyLifecycle.Production, (await promotion.PromoteToProductionAsync("ljf_v1", new DeploymentReceipt("signed"))).Value);
        Assert.Equal(("ljf_v1", policy.Source!.Sha256), validator.Seen);

        var transitions = await repository.Store.GetTransitionsAsync("ljf_v1");
        Assert.Equal([PolicyLifecycle.Candidate, PolicyLifecycle.Verified, PolicyLifecycle.Production], transitions.Select(t => t.To));
        Assert.Equal("receipt-1", transitions[^1].ReceiptId);
        Assert.Equal(3, (await repository.Store.GetVerdictsAsync("ljf_v1")).Count);
    }

    [Fact]
    public async Task Production_is_refused_without_a_registered_validator()
    {
        using var db = new TemporaryDatabase();
        var repository = db.Repository();
        var promotion = new PolicyPromotion(repository, null, db.Time);
        await promotion.SubmitCandidateAsync(Generated("ljf_v1"), []);
        await promotion.RecordVerificationAsync("ljf_v1", [Pass("sandbox", db)]);
        var result = await promotion.PromoteToProductionAsync("ljf_v1", new DeploymentReceipt("anything"));
        Assert.Equal(RepositoryErrorCode.ReceiptRejected, result.Failure!.Kind);
        Assert.Contains("signed by the verifier", result.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(PolicyLifecycle.Verified, (await repository.GetPolicyAsync("ljf_v1")).Value!.Lifecycle);
    }

    [Theory]
    [InlineData("forged")]
    [InlineData("")]
    public async Task Production_is_refused_with_an_invalid_or_missing_receipt(string token)
    {
        using var db = new TemporaryDatabase();
        var repository = db.Repository();
        var promotion = new PolicyPromotion(repository, new FixedReceiptValidator("signed"), db.Time);
        await promotion.SubmitCandidateAsync(Generated("ljf_v1"), []);
        await promotion.RecordVerificationAsync("ljf_v1", [Pass("sandbox", db)]);
        var result = await promotion.PromoteToProductionAsync("ljf_v1", new DeploymentReceipt(token));
        Assert.Equal(RepositoryErrorCode.ReceiptRejected, result.Failure!.Kind);
    }

    [Fact]
    public async Task Candidates_cannot_skip_verification()
    {
        using var db = new TemporaryDatabase();
        var promotion = new PolicyPromotion(db.Repository(), new FixedReceiptValidator("signed"), db.Time);
        await promotion.SubmitCandidateAsync(Generated("ljf_v1"), []);
        var result = await promotion.PromoteToProductionAsync("ljf_v1", new DeploymentReceipt("signed"));
        Assert.Equal(RepositoryErrorCode.InvalidTransition, result.Failure!.Kind);
    }

    [Fact]
    public async Task A_failed_stage_rejects_the_candidate_and_keeps_it_as_an_antipattern()
    {
        using var db = new TemporaryDatabase();
        var repository = db.Repository();
        var promotion = new PolicyPromotion(repository, null, db.Time);
        var policy = Generated("ljf_v2");
        await promotion.SubmitCandidateAsync(policy, [Pass("compile", db)]);
        var failed = new VerifierVerdict("static", false, "long tasks starve short ones for longer than the watchdog", "task 12 waited 31s", db.Time.GetUtcNow());
        var result = await promotion.RecordVerificationAsync("ljf_v2", [Pass("kernel-verifier", db), failed]);
        Assert.Equal(RepositoryErrorCode.VerdictNotPassed, result.Failure!.Kind);
        Assert.Contains("static", result.Failure.Message, StringComparison.Ordinal);

        var antipattern = Assert.Single(await promotion.GetAntipatternsAsync());
        Assert.Equal("ljf_v2", antipattern.PolicyName);
        Assert.Equal([failed], antipattern.FailedVerdicts);
        Assert.Equal(policy.Source!.Sha256, antipattern.SourceSha256);
        Assert.Equal(policy.Source.Content, (await repository.GetPolicyAsync("ljf_v2")).Value!.Source!.Content);
    }

    [Fact]
    public async Task Invalid_or_duplicate_candidates_are_refused_with_the_reason()
    {
        using var db = new TemporaryDatabase();
        var promotion = new PolicyPromotion(db.Repository(), null, db.Time);
        var tampered = Generated("ljf_v3") with { Source = new PolicyArtifact(null, ContentHash.Of("other"), "int x;") };
        var invalid = await promotion.SubmitCandidateAsync(tampered, []);
        Assert.Equal(RepositoryErrorCode.InvalidPolicy, invalid.Failure!.Kind);
        Assert.Contains("sha256", invalid.Failure.Message, StringComparison.Ordinal);

        await promotion.SubmitCandidateAsync(Generated("ljf_v4"), []);
        Assert.Equal(RepositoryErrorCode.DuplicatePolicy, (await promotion.SubmitCandidateAsync(Generated("ljf_v4"), [])).Failure!.Kind);
        Assert.Equal(RepositoryErrorCode.DuplicatePolicy, (await promotion.SubmitCandidateAsync(Generated("scx_rusty"), [])).Failure!.Kind);
    }
}
