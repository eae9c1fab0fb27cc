using System.Text.Json;
using SchedCP.Testing;

namespace SchedCP.Repository.Tests.Primitives;

public sealed class SchedulerComposerTests
{
    private static readonly SchedulerComposer Composer = new();

    private static readonly string[] Fifo = ["dsq_global", "order_fifo", "idle_default", "slice_fixed"];

    internal static IEnumerable<SchedulerPolicy> Templates() =>
        BuiltInCatalog.Catalog.Policies.Where(p => p.Source?.RelativePath?.StartsWith("bpf/templates/", StringComparison.Ordinal) == true);

    public static TheoryData<string> TemplateNames() => [.. Templates().Select(p => p.Name)];

    [Fact]
    public void Primitives_are_placed_in_category_order_whatever_order_they_are_named_in()
    {
        var forward = Composer.Compose("schedcp_t", Fifo).GetValueOrThrow();
        var backward = Composer.Compose("schedcp_t", Fifo.Reverse()).GetValueOrThrow();

        Assert.Equal(forward.Source, backward.Source);
        Assert.Equal(Fifo, forward.Primitives.Select(p => p.Name));
        var at = new[] { "prologue:", "dsq_global (DSQ topology)", "order_fifo (ordering)", "idle_default (idle-CPU selection)", "slice_fixed (slice policy)", "#define SCHED_NAME \"schedcp_t\"", "SCX_OPS_DEFINE" }
            .Select(marker => forward.Source.IndexOf(marker, StringComparison.Ordinal))
            .ToArray();
        Assert.DoesNotContain(-1, at);
        Assert.Equal(at.Order(), at);
    }

    [Fact]
    public void Parameters_are_the_union_of_the_primitives_rodata_in_composition_order()
    {
        var composed = Composer.Compose("schedcp_t", ["slice_scaled_by_load", "order_deadline", "dsq_per_cpu", "idle_prev_cpu_first"]).GetValueOrThrow();

        Assert.Equal(["deadline_lag_ns", "slice_ns", "slice_min_ns"], composed.Parameters.Select(p => p.Rodata));
        Assert.All(composed.Parameters, p => Assert.Contains($"const volatile u64 {p.Rodata} =", composed.Source, StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_primitive_is_named_with_the_choices()
    {
        var error = Composer.Compose("schedcp_t", ["dsq_global", "order_lottery", "idle_default", "slice_fixed"]).Failure;

        Assert.Equal(RepositoryErrorCode.UnknownPrimitive, error?.Kind);
        Assert.Contains("'order_lottery'", error!.Message, StringComparison.Ordinal);
        Assert.Contains("order_vtime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_category_says_which_primitives_would_fill_it()
    {
        var error = Composer.Compose("schedcp_t", ["dsq_global", "order_fifo", "slice_fixed"]).Failure;

        Assert.Equal(RepositoryErrorCode.MissingPrimitive, error?.Kind);
        Assert.Contains(nameof(PrimitiveCategory.IdleCpuSelection), error!.Message, StringComparison.Ordinal);
        Assert.Contains("idle_default, idle_prev_cpu_first, idle_smt_aware", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_orderings_conflict_and_both_are_named()
    {
        var error = Composer.Compose("schedcp_t", [.. Fifo, "order_sjf"]).Failure;

        Assert.Equal(RepositoryErrorCode.ConflictingPrimitives, error?.Kind);
        Assert.Contains("'order_fifo' and 'order_sjf'", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_primitive_without_a_snippet_is_refused_with_the_composable_alternatives()
    {
        var error = Composer.Compose("schedcp_t", ["dsq_per_llc", "order_fifo", "idle_default", "slice_fixed"]).Failure;

        Assert.Equal(RepositoryErrorCode.PrimitiveNotComposable, error?.Kind);
        Assert.Contains("dsq_global, dsq_per_cpu", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_primitives_declaring_the_same_rodata_variable_conflict()
    {
        var extra = new CodePrimitive
        {
            Name = "order_fifo_sliced",
            Category = PrimitiveCategory.Ordering,
            Description = "FIFO that also declares slice_ns.",
            SnippetPath = "bpf/primitives/order_fifo.bpf.h",
            Parameters = [BuiltInCatalog.Catalog.Primitives.Single(p => p.Name == "slice_fixed").Parameters[0]],
        };
        var composer = new SchedulerComposer([.. BuiltInCatalog.Catalog.Primitives, extra]);

        var error = composer.Compose("schedcp_t", ["dsq_global", "order_fifo_sliced", "idle_default", "slice_fixed"]).Failure;

        Assert.Equal(RepositoryErrorCode.ConflictingPrimitives, error?.Kind);
        Assert.Contains("'slice_ns'", error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bad-Name")]
    [InlineData("x\"; evil")]
    public void An_ops_name_that_is_not_snake_case_is_refused(string opsName) =>
        Assert.Equal(RepositoryErrorCode.InvalidPolicy, Composer.Compose(opsName, Fifo).Failure?.Kind);

    [Fact]
    public void Every_catalogued_snippet_is_embedded_except_those_describing_production_schedulers()
    {
        var notComposable = BuiltInCatalog.Catalog.Primitives.Where(p => !SchedulerComposer.IsComposable(p)).Select(p => p.Name).Order(StringComparer.Ordinal);

        Assert.Equal(["dsq_per_llc", "dsq_per_node", "idle_llc_local"], notComposable);
    }

    [Fact]
    public void The_catalog_lists_the_templates() =>
        Assert.Equal(["deadline", "fifo_shared", "ljf", "sjf", "vtime_percpu_idle"], Templates().Select(p => p.Name).Order(StringComparer.Ordinal));

    [Fact]
    public void Every_composable_primitive_is_in_a_template_so_the_sandbox_test_loads_it()
    {
        var used = Templates().SelectMany(t => t.Primitives).ToHashSet(StringComparer.Ordinal);

        Assert.All(BuiltInCatalog.Catalog.Primitives.Where(SchedulerComposer.IsComposable), p => Assert.Contains(p.Name, used));
    }

    /// <summary>A template is the composer's output for its catalogued primitives; SCHEDCP_WRITE_TEMPLATES=1 rewrites them.</summary>
    [Theory]
    [MemberData(nameof(TemplateNames))]
    public void Each_template_source_is_what_the_composer_makes_of_its_primitives(string name)
    {
        var policy = BuiltInCatalog.Catalog.Policies.Single(p => p.Name == name);
        var composed = Composer.Compose(policy.OpsName!, policy.Primitives).GetValueOrThrow();
        var path = Path.Combine(BuildOutputs.RepositoryRoot(), policy.Source!.RelativePath!);
        if (Environment.GetEnvironmentVariable("SCHEDCP_WRITE_TEMPLATES") == "1")
        {
            File.WriteAllText(path, composed.Source);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run the tests with SCHEDCP_WRITE_TEMPLATES=1 to write it.");
        Assert.True(composed.Source == File.ReadAllText(path),
            $"{policy.Source.RelativePath} differs from the composition of {string.Join(", ", policy.Primitives)}; run the tests with SCHEDCP_WRITE_TEMPLATES=1 to rewrite it.");
        Assert.Equal(JsonSerializer.Serialize(composed.Parameters, RepositoryJson.Options), JsonSerializer.Serialize(policy.Parameters, RepositoryJson.Options));
    }
}
