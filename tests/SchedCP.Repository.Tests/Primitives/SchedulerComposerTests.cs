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

    /// <summary>The catalog's source of a template is the composition of the primitives its recipe names, complete and hashed.</summary>
    [Theory]
    [MemberData(nameof(TemplateNames))]
    public void Each_template_source_in_the_catalog_is_what_the_composer_makes_of_its_primitives(string name)
    {
        var policy = BuiltInCatalog.Catalog.Policies.Single(p => p.Name == name);
        var composed = Composer.Compose(policy.OpsName!, policy.Primitives).GetValueOrThrow();

        Assert.True(composed.Source == policy.Source!.Content, $"{name}: the catalog's source is not the composition of {string.Join(", ", policy.Primitives)}.");
        Assert.Equal(ContentHash.Of(composed.Source), policy.Source.Sha256);
        Assert.DoesNotContain("#include \"", composed.Source, StringComparison.Ordinal);
        Assert.Equal(JsonSerializer.Serialize(composed.Parameters, RepositoryJson.Options), JsonSerializer.Serialize(policy.Parameters, RepositoryJson.Options));
    }

    /// <summary>What clang compiles (bpf/build.sh) is the recipe in the tree: one primitive per category, in category order, and the catalog's ops name.</summary>
    [Theory]
    [MemberData(nameof(TemplateNames))]
    public void Each_recipe_in_the_tree_names_one_primitive_per_category_in_category_order(string name)
    {
        var policy = BuiltInCatalog.Catalog.Policies.Single(p => p.Name == name);
        var recipe = File.ReadAllLines(BuildOutputs.Source(policy.Source!.RelativePath!));
        var includes = recipe.Where(l => l.StartsWith("#include ", StringComparison.Ordinal)).Select(l => l["#include ".Length..].Trim('"')).ToList();
        var primitives = includes[1..^1].Select(f => BuiltInCatalog.Catalog.Primitives.Single(p => Path.GetFileName(p.SnippetPath) == f)).ToList();

        Assert.Equal(["prologue.bpf.h", .. primitives.Select(p => Path.GetFileName(p.SnippetPath)), "ops.bpf.h"], includes);
        Assert.Equal(Enum.GetValues<PrimitiveCategory>(), primitives.Select(p => p.Category));
        Assert.Equal(policy.Primitives, primitives.Select(p => p.Name));
        Assert.Contains($"#define SCHED_NAME \"{policy.OpsName}\"", recipe);
    }

    [Theory]
    [InlineData("fifo_shared", "schedcp_fifo_shared", "dsq_global order_fifo idle_default slice_fixed")]
    [InlineData("vtime_percpu_idle", "schedcp_vtime_percpu_idle", "dsq_per_cpu order_vtime idle_prev_cpu_first slice_scaled_by_load")]
    [InlineData("deadline", "schedcp_deadline", "dsq_global order_deadline idle_smt_aware slice_adaptive")]
    [InlineData("ljf", "schedcp_ljf", "dsq_global order_ljf idle_default slice_fixed")]
    [InlineData("sjf", "schedcp_sjf", "dsq_per_cpu order_sjf idle_prev_cpu_first slice_fixed")]
    public void Each_template_keeps_its_ops_name_and_primitives(string name, string opsName, string primitives)
    {
        var policy = BuiltInCatalog.Catalog.Policies.Single(p => p.Name == name);

        Assert.Equal(opsName, policy.OpsName);
        Assert.Equal(primitives.Split(' '), policy.Primitives);
    }

    [Fact]
    public void A_recipe_composes_the_primitives_it_includes_under_its_ops_name()
    {
        var composed = Composer.ComposeRecipe(Recipe("dsq_global", "order_fifo", "idle_default", "slice_fixed")).GetValueOrThrow();

        Assert.Equal(Composer.Compose("schedcp_t", Fifo).GetValueOrThrow().Source, composed.Source);
    }

    [Fact]
    public void A_recipe_out_of_category_order_is_refused_because_clang_composes_in_include_order()
    {
        var error = Composer.ComposeRecipe(Recipe("order_fifo", "dsq_global", "idle_default", "slice_fixed")).Failure;

        Assert.Equal(RepositoryErrorCode.InvalidPolicy, error?.Kind);
        Assert.Contains("dsq_global.bpf.h, order_fifo.bpf.h, idle_default.bpf.h, slice_fixed.bpf.h", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recipe_with_code_of_its_own_is_refused_because_the_composer_would_leave_it_out() =>
        Assert.Equal(RepositoryErrorCode.InvalidPolicy,
            Composer.ComposeRecipe(Recipe("dsq_global", "order_fifo", "idle_default", "slice_fixed").Replace("#define SCHED_NAME", "int extra;\n#define SCHED_NAME", StringComparison.Ordinal)).Failure?.Kind);

    [Fact]
    public void A_recipe_with_two_orderings_is_refused_like_a_composition() =>
        Assert.Equal(RepositoryErrorCode.ConflictingPrimitives, Composer.ComposeRecipe(Recipe("dsq_global", "order_fifo", "order_sjf", "idle_default", "slice_fixed")).Failure?.Kind);

    private static string Recipe(params string[] primitives) =>
        "// SPDX-License-Identifier: GPL-2.0\n/* a\n * recipe */\n#include \"prologue.bpf.h\"\n"
        + string.Concat(primitives.Select(p => $"#include \"{p}.bpf.h\"\n"))
        + "#define SCHED_NAME \"schedcp_t\" // its ops name\n#include \"ops.bpf.h\"\n";
}
