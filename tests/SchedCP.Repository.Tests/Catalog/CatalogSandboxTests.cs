using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Schedulers;
using SchedCP.Kernel.Trials;
using SchedCP.Testing;

namespace SchedCP.Repository.Tests.Catalog;

/// <summary>
/// The catalog's own hand-written BPF-object policies (bpf/schedulers; the templates composed from primitives are
/// proven by TemplateSandboxTests in one boot) compile (bpf/build.sh built them) and, with their default parameters turned
/// into .rodata assignments by the schema, attach on the sandbox's real sched_ext kernel under the ops name the
/// catalog records.
/// </summary>
[Trait("Category", "Sandbox")]
public sealed class CatalogSandboxTests
{
    private static string[] OwnPolicies() =>
        BuiltInCatalog.Catalog.Policies
            .Where(p => p.Kind == PolicyKind.BpfObject && p.Source?.RelativePath?.StartsWith("bpf/schedulers/", StringComparison.Ordinal) == true)
            .Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void The_catalog_has_the_projects_own_schedulers() =>
        Assert.Equal(["fifo", "longjob", "vtime"], OwnPolicies());

    [Fact]
    public void Every_bpf_object_policy_is_either_hand_written_or_a_template() =>
        Assert.All(BuiltInCatalog.Catalog.Policies.Where(p => p.Kind == PolicyKind.BpfObject), p =>
            Assert.Matches("^bpf/(schedulers|templates)/[a-z0-9_]+\\.bpf\\.c$", p.Source?.RelativePath ?? ""));

    [SandboxFact]
    public async Task Each_own_policy_attaches_with_its_default_parameters_under_its_catalog_ops_name()
    {
        var trials = new SchedulerTrialRunner(new SandboxRunner(new SandboxOptions { Timeout = TimeSpan.FromSeconds(180) }));
        foreach (var name in OwnPolicies())
        {
            var policy = BuiltInCatalog.Catalog.Policies.Single(p => p.Name == name);
            var defaults = policy.Parameters.Where(p => p.Default is not null).ToDictionary(p => p.Name, p => p.Default!);
            var validated = ParameterValidator.Validate(policy, defaults);
            Assert.True(validated.Succeeded, validated.ToString());
            Assert.NotEmpty(validated.Value!.Rodata);

            var result = await trials.RunAsync(new SchedulerTrial(new BpfObjectScheduler(BuildOutputs.BpfObject(name))
            {
                Rodata = validated.Value.Rodata.ToDictionary(r => r.Variable, r => r.Value),
            })
            {
                WorkloadThreads = 2,
                WorkloadDuration = TimeSpan.FromSeconds(1),
            });

            Assert.True(result.Sandbox.Failure is null, result.Sandbox.ToString());
            Assert.True(result.LoaderError is null, result.LoaderError?.Message);
            Assert.Equal(policy.OpsName, result.Attached?.Ops);
            Assert.Equal(validated.Value.Rodata.Count, result.LoaderEvents.OfType<SchedCP.Kernel.Loader.RodataAssigned>().Count());
        }
    }
}
