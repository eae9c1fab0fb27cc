namespace SchedCP.Repository.Tests.Catalog;

public class BuiltInCatalogTests
{
    private static PolicyCatalog Catalog => BuiltInCatalog.Catalog;

    [Fact]
    public void Embedded_catalog_passes_every_schema_rule()
    {
        var catalog = BuiltInCatalog.Parse(BuiltInCatalog.ReadDocument());
        Assert.Empty(CatalogValidator.Validate(catalog));
    }

    [Fact]
    public void Every_default_is_accepted_by_its_own_schema()
    {
        var parameters = Catalog.Policies.SelectMany(p => p.Parameters).Concat(Catalog.Primitives.SelectMany(p => p.Parameters)).ToList();
        Assert.NotEmpty(parameters);
        foreach (var parameter in parameters.Where(p => p.Default is not null))
        {
            var result = parameter.Check(parameter.Default);
            Assert.True(result.Succeeded, $"{parameter.Name}: {result.Failure}");
        }
    }

    [Fact]
    public void Every_flag_is_unique_within_its_policy()
    {
        foreach (var policy in Catalog.Policies.Where(p => !p.UsesRodata))
        {
            var flags = policy.Parameters.Where(p => p.Flag is not null).Select(p => p.Flag!)
                .Concat(policy.Parameters.Where(p => p.ShortFlag is not null && p.ShortFlag != p.Flag).Select(p => p.ShortFlag!))
                .Concat(policy.Parameters.Where(p => p.Style == FlagStyle.EnumSwitch).SelectMany(p => p.AllowedValues.Select(v => "--" + v)))
                .ToList();
            Assert.True(flags.Count == flags.Distinct(StringComparer.Ordinal).Count(), $"{policy.Name} repeats a flag: {string.Join(' ', flags)}");
        }
    }

    [Fact]
    public void Every_preset_names_known_parameters_with_valid_values()
    {
        var presets = Catalog.Policies.SelectMany(p => p.Presets.Select(preset => (p, preset))).ToList();
        Assert.True(presets.Count >= 20);
        foreach (var (policy, preset) in presets)
        {
            Assert.All(preset.Values.Keys, k => Assert.NotNull(policy.FindParameter(k)));
            var result = ParameterValidator.ValidatePreset(policy, preset.Mode);
            Assert.True(result.Succeeded, $"{policy.Name}/{preset.Mode}: {result.Failure}");
        }
    }

    [Theory]
    [InlineData("scx_rusty")]
    [InlineData("scx_bpfland")]
    [InlineData("scx_lavd")]
    [InlineData("scx_layered")]
    [InlineData("scx_flash")]
    [InlineData("scx_p2dq")]
    [InlineData("scx_cosmos")]
    [InlineData("scx_beerland")]
    [InlineData("scx_tickless")]
    [InlineData("scx_rustland")]
    [InlineData("scx_mitosis")]
    [InlineData("scx_chaos")]
    [InlineData("scx_cake")]
    [InlineData("scx_pandemonium")]
    [InlineData("scx_forge")]
    [InlineData("scx_flow")]
    public void Production_scx_schedulers_need_their_binary_on_the_host(string name)
    {
        var policy = Assert.Single(Catalog.Policies, p => p.Name == name);
        Assert.Equal(PolicyKind.ScxBinary, policy.Kind);
        Assert.Contains(name, policy.Requirements.Binaries);
        Assert.Contains("sched_ext", policy.Requirements.KernelFeatures);
    }

    [Theory]
    [InlineData("scx_simple")]
    [InlineData("scx_qmap")]
    [InlineData("scx_central")]
    [InlineData("scx_flatcg")]
    public void Kernel_examples_are_catalogued_as_toolchain_built_binaries(string name)
    {
        var policy = Assert.Single(Catalog.Policies, p => p.Name == name);
        Assert.Equal(PolicyKind.KernelExample, policy.Kind);
    }

    [Theory]
    [InlineData("fifo", "slice_ns,direct_idle")]
    [InlineData("vtime", "slice_ns,max_lag_ns,wake_local")]
    public void Own_schedulers_are_bpf_objects_tuned_through_the_rodata_their_source_declares(string name, string rodata)
    {
        var policy = Assert.Single(Catalog.Policies, p => p.Name == name);
        Assert.Equal(PolicyKind.BpfObject, policy.Kind);
        Assert.Equal($"bpf/schedulers/{name}.bpf.c", policy.Source?.RelativePath);
        Assert.Equal(rodata.Split(','), policy.Parameters.Select(p => p.Rodata));
        Assert.Empty(policy.Requirements.Binaries);
    }

    [Fact]
    public void Fifo_direct_idle_is_written_to_rodata_as_zero_or_one()
    {
        var fifo = Catalog.Policies.Single(p => p.Name == "fifo");
        var validated = ParameterValidator.Validate(fifo, new Dictionary<string, string> { ["direct_idle"] = "false" }).GetValueOrThrow();
        Assert.Equal("direct_idle=0", Assert.Single(validated.Rodata).ToString());
    }

    [Fact]
    public void Loader_modes_reproduce_scx_loader_flags_for_bpfland_powersave()
    {
        var bpfland = Catalog.Policies.Single(p => p.Name == "scx_bpfland");
        var args = ParameterValidator.ValidatePreset(bpfland, SchedulerMode.PowerSave).GetValueOrThrow().Arguments;
        Assert.Equal(["--slice-us=20000", "--throttle-us=100", "--idle-resume-us=100", "--primary-domain=powersave"], args);
    }

    [Fact]
    public void Lavd_power_mode_renders_as_its_own_switch()
    {
        var lavd = Catalog.Policies.Single(p => p.Name == "scx_lavd");
        var args = ParameterValidator.ValidatePreset(lavd, SchedulerMode.Server).GetValueOrThrow().Arguments;
        Assert.Equal(["--performance", "--slice-max-us=10000", "--slice-min-us=3000", "--pinned-slice-us=3000"], args);
    }

    [Fact]
    public void Primitives_cover_every_category_and_live_under_bpf_primitives()
    {
        Assert.Equal(Enum.GetValues<PrimitiveCategory>().Length, Catalog.Primitives.Select(p => p.Category).Distinct().Count());
        Assert.All(Catalog.Primitives, p => Assert.StartsWith("bpf/primitives/", p.SnippetPath, StringComparison.Ordinal));
        Assert.Contains(Catalog.Primitives, p => p.Name == "order_ljf");
    }

    [Fact]
    public void Validator_reports_a_default_outside_its_range_with_its_location()
    {
        var policy = Catalog.Policies.Single(p => p.Name == "scx_rusty");
        var broken = policy with
        {
            Parameters = [.. policy.Parameters.Select(p => p.Name == "cache_level" ? p with { Default = "9" } : p)],
        };
        var issue = Assert.Single(CatalogValidator.ValidatePolicy(broken));
        Assert.Equal("scx_rusty.parameters.cache_level.default", issue.Location);
        Assert.Contains("cache_level", issue.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_reports_a_duplicate_flag()
    {
        var policy = Catalog.Policies.Single(p => p.Name == "scx_rusty");
        var broken = policy with
        {
            Parameters = [.. policy.Parameters.Select(p => p.Name == "perf" ? p with { Flag = "--interval" } : p)],
        };
        Assert.Contains(CatalogValidator.ValidatePolicy(broken), i => i.Problem.Contains("--interval", StringComparison.Ordinal));
    }

    [Fact]
    public void Validator_refuses_a_string_parameter_without_a_pattern()
    {
        var policy = Catalog.Policies.Single(p => p.Name == "scx_mitosis");
        var broken = policy with
        {
            Parameters = [.. policy.Parameters.Select(p => p.Type == ParameterType.String ? p with { Pattern = null } : p)],
        };
        Assert.Contains(CatalogValidator.ValidatePolicy(broken), i => i.Location.EndsWith("cell_parent_cgroup", StringComparison.Ordinal));
    }

    [Fact]
    public void Validator_refuses_a_pattern_that_cannot_match_in_linear_time()
    {
        // A backreference needs backtracking; patterns are matched without a wall-clock timeout, so they must be linear.
        var policy = Catalog.Policies.Single(p => p.Name == "scx_mitosis");
        var broken = policy with
        {
            Parameters = [.. policy.Parameters.Select(p => p.Type == ParameterType.String ? p with { Pattern = "(a+)\\1" } : p)],
        };
        var issue = Assert.Single(CatalogValidator.ValidatePolicy(broken), i => i.Location.EndsWith("cell_parent_cgroup.pattern", StringComparison.Ordinal));
        Assert.Contains("linear time", issue.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_refuses_a_pattern_that_would_break_out_of_its_anchors()
    {
        // Matched as \A(?:pattern)\z, "[a-z]+)|(.*" would be valid and accept anything; on its own it is not a regex.
        var policy = Catalog.Policies.Single(p => p.Name == "scx_mitosis");
        var broken = policy with
        {
            Parameters = [.. policy.Parameters.Select(p => p.Type == ParameterType.String ? p with { Pattern = "[a-z]+)|(.*" } : p)],
        };
        Assert.Single(CatalogValidator.ValidatePolicy(broken), i => i.Location.EndsWith("cell_parent_cgroup.pattern", StringComparison.Ordinal));
    }
}
