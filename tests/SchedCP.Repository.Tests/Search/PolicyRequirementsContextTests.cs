namespace SchedCP.Repository.Tests.Search;

public class PolicyRequirementsContextTests
{
    private static readonly PolicyRequirements Layered = new("6.12", ["sched_ext", "btf", "cgroup_v2"], ["scx_layered"]);

    [Fact]
    public void Unmet_names_every_missing_requirement()
    {
        var host = new PolicyRequirementsContext(new Version(6, 11), false, new HashSet<string>(), new HashSet<string> { "btf" });
        Assert.Equal(["kernel 6.12 or newer", "kernel feature sched_ext", "kernel feature cgroup_v2", "binary scx_layered"], host.Unmet(Layered));
        Assert.False(host.Satisfies(Layered));
    }

    [Fact]
    public void A_host_with_everything_satisfies_the_policy()
    {
        var host = new PolicyRequirementsContext(new Version(6, 14), true, new HashSet<string> { "scx_layered" }, new HashSet<string> { "btf", "cgroup_v2" });
        Assert.True(host.Satisfies(Layered));
        Assert.Empty(host.Unmet(Layered));
    }

    [Fact]
    public void Changing_the_minimum_kernel_with_a_copy_updates_the_parsed_version()
    {
        var newer = Layered with { MinimumKernel = "6.15" };
        Assert.Equal(new Version(6, 15), newer.MinimumKernelVersion);
        Assert.False(new PolicyRequirementsContext(new Version(6, 14), true, new HashSet<string> { "scx_layered" }, new HashSet<string> { "btf", "cgroup_v2" }).Satisfies(newer));
    }
}
