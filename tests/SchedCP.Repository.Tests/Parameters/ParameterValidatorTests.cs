using SchedCP.Core.Results;

namespace SchedCP.Repository.Tests.Parameters;

public class ParameterValidatorTests
{
    private static SchedulerPolicy Policy(string name) => BuiltInCatalog.Catalog.Policies.Single(p => p.Name == name);

    private static Outcome<ValidatedParameters, RepositoryError> Validate(string policy, params (string Name, string Value)[] values) =>
        ParameterValidator.Validate(Policy(policy), values.ToDictionary(v => v.Name, v => v.Value));

    [Fact]
    public void Unknown_parameter_is_refused_with_its_name_and_the_known_ones()
    {
        var result = Validate("scx_rusty", ("slice", "5"));
        Assert.False(result.Succeeded);
        Assert.Equal(RepositoryErrorCode.UnknownParameter, result.Failure.Kind);
        Assert.Contains("'slice'", result.Failure.Message, StringComparison.Ordinal);
        Assert.Contains("slice_us_underutil", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_value_names_the_parameter_and_the_range()
    {
        var result = Validate("scx_rusty", ("cache_level", "7"));
        Assert.Equal(RepositoryErrorCode.InvalidParameterValue, result.Failure!.Kind);
        Assert.Contains("'cache_level'", result.Failure.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 3]", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_flags_bind_negative_values_with_an_equals_sign()
    {
        var args = Validate("scx_bpfland", ("slice_us_lag", "-5000")).GetValueOrThrow().Arguments;
        Assert.Equal(["--slice-us-lag=-5000"], args);
    }

    [Fact]
    public void Durations_accept_suffixes_and_convert_to_the_flag_unit()
    {
        var args = Validate("scx_bpfland", ("slice_us", "5ms")).GetValueOrThrow().Arguments;
        Assert.Equal(["--slice-us=5000"], args);
        Assert.False(Validate("scx_bpfland", ("slice_us", "1500ns")).Succeeded);
    }

    [Fact]
    public void Short_flags_of_kernel_examples_take_the_value_as_the_next_argument()
    {
        var args = Validate("scx_central", ("slice_us", "5000"), ("central_cpu", "1"), ("partial", "true")).GetValueOrThrow().Arguments;
        Assert.Equal(["-s", "5000", "-c", "1", "-p"], args);
    }

    [Fact]
    public void False_switches_render_nothing()
    {
        Assert.Empty(Validate("scx_rusty", ("fifo_sched", "false")).GetValueOrThrow().Arguments);
    }

    [Fact]
    public void Layered_accepts_a_config_file_but_not_inline_json_or_traversal()
    {
        Assert.Equal(["--slice-us=20000", "f:/etc/scx/layered.json"], Validate("scx_layered", ("spec", "f:/etc/scx/layered.json"), ("slice_us", "20000")).GetValueOrThrow().Arguments);
        Assert.False(Validate("scx_layered", ("spec", "[{\"name\":\"a\"}]")).Succeeded);
        Assert.False(Validate("scx_layered", ("spec", "f:/etc/../../root/x.json")).Succeeded);
        Assert.False(Validate("scx_layered", ("spec", "--run-example")).Succeeded);
    }

    [Fact]
    public void Cpu_masks_accept_hex_lists_and_keywords_only()
    {
        Assert.Equal(["--primary-domain=0xff"], Validate("scx_bpfland", ("primary_domain", "0xFF")).GetValueOrThrow().Arguments);
        Assert.Equal(["--primary-domain=0-3,8"], Validate("scx_bpfland", ("primary_domain", "0-3,8")).GetValueOrThrow().Arguments);
        Assert.False(Validate("scx_bpfland", ("primary_domain", "turbo")).Succeeded);
        Assert.False(Validate("scx_bpfland", ("primary_domain", "3-1")).Succeeded);
    }

    [Fact]
    public void Bpf_object_parameters_become_rodata_assignments()
    {
        var validated = Validate("vtime", ("slice_ns", "5ms")).GetValueOrThrow();
        Assert.Empty(validated.Arguments);
        var assignment = Assert.Single(validated.Rodata);
        Assert.Equal("slice_ns=5000000", assignment.ToString());
        Assert.Equal(RodataType.U64, assignment.Type);
    }

    [Fact]
    public void Preset_overrides_are_validated_too()
    {
        var bpfland = Policy("scx_bpfland");
        var result = ParameterValidator.ValidatePreset(bpfland, SchedulerMode.Gaming, new Dictionary<string, string> { ["slice_us"] = "999999999" });
        Assert.Contains("'slice_us'", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_preset_is_a_typed_failure_listing_the_available_modes()
    {
        var result = ParameterValidator.ValidatePreset(Policy("scx_cosmos"), SchedulerMode.Server);
        Assert.Equal(RepositoryErrorCode.UnknownPreset, result.Failure!.Kind);
        Assert.Contains("Gaming", result.Failure.Message, StringComparison.Ordinal);
    }
}
