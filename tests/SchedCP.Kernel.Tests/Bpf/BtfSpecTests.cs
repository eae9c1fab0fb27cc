using SchedCP.Kernel.Bpf;
using SchedCP.Kernel.Bpf.Btf;

namespace SchedCP.Kernel.Tests.Bpf;

public sealed class BtfSpecTests
{
    private static readonly BtfSpec Spec = BtfSpec.Parse(BtfBlobBuilder.AllKinds(), "all-kinds").Value!;

    [Fact]
    public void Reads_one_type_of_every_kind_with_its_data()
    {
        Assert.Equal(20, Spec.TypeCount);
        // Ids 12 and 13 are the prototype and then the function that refers to it.
        Assert.Equal(
            Enum.GetValues<BtfKind>().Select(k => k switch { BtfKind.Func => BtfKind.FuncProto, BtfKind.FuncProto => BtfKind.Func, _ => k }),
            Spec.Types.Select(t => t.Kind));
        Assert.Equal(new BtfIntInfo(IsSigned: true, IsChar: false, IsBool: false, BitOffset: 0, Bits: 32), Spec[1].IntInfo);
        Assert.Equal(4u, Spec[1].Size);
        Assert.Equal(1, Spec[2].ReferencedTypeId);
        Assert.Equal(new BtfArrayInfo(1, 1, 16), Spec[3].Array);
        Assert.Equal([new BtfMember("x", 1, 0, 0), new BtfMember("y", 1, 32, 3)], Spec[4].Members);
        Assert.Equal([new BtfMember("a", 1, 0, 0)], Spec[5].Members);
        Assert.Equal([new BtfEnumValue("RED", -1), new BtfEnumValue("GREEN", 2)], Spec[6].EnumValues);
        Assert.True(Spec[7].KindFlag);
        Assert.Equal([new BtfParam("a", 1), new BtfParam("", 0)], Spec[12].Parameters);
        Assert.Equal(1, Spec[13].Linkage);
        Assert.Equal(12, Spec[13].ReferencedTypeId);
        Assert.Equal(1, Spec[14].Linkage);
        Assert.Equal([new BtfSectionVariable(14, 0, 4)], Spec[15].SectionVariables);
        Assert.Equal(8u, Spec[16].Size);
        Assert.Equal(1, Spec[17].DeclTagComponentIndex);
        Assert.Equal("user", Spec[18].Name);
        Assert.Equal([new BtfEnumValue("HUGE", 0x1_0000_0002)], Spec[19].EnumValues);
    }

    [Fact]
    public void Finds_types_by_name_and_kind()
    {
        Assert.Equal(4, Spec.Find("point", BtfKind.Struct)?.Id);
        Assert.Null(Spec.Find("point", BtfKind.Union));
        Assert.Equal([8], Spec.FindByName("int_t").Select(t => t.Id));
        Assert.Empty(Spec.FindByName("nothing"));
        Assert.Equal(new BtfMember("y", 1, 32, 3), Spec[4].FindMember("y"));
    }

    [Fact]
    public void Resolves_through_typedef_const_and_volatile()
    {
        Assert.Equal(1, Spec.SkipQualifiers(10)!.Value.Id);
        Assert.Equal(1, Spec.SkipQualifiers(18)!.Value.Id);
        Assert.Equal(2, Spec.SkipQualifiers(2)!.Value.Id);
    }

    [Fact]
    public void Describes_types_the_way_c_spells_them()
    {
        Assert.Equal("const volatile int_t", Spec.Describe(10));
        Assert.Equal("int *", Spec.Describe(2));
        Assert.Equal("int [16]", Spec.Describe(3));
        Assert.Equal("int (*)(int, ...)", Spec.Describe(12));
        Assert.Equal("union later", Spec.Describe(7));
    }

    [Fact]
    public void A_typedef_loop_resolves_to_null_instead_of_hanging()
    {
        var b = new BtfBlobBuilder();
        b.Add(BtfKind.Typedef, "a", 0, false, 2);
        b.Add(BtfKind.Typedef, "b", 0, false, 1);

        var spec = BtfSpec.Parse(b.Build()).Value!;

        Assert.Null(spec.SkipQualifiers(1));
        Assert.Equal("b", spec.Describe(2));
    }

    [Theory]
    [InlineData(0, 0x12, "magic 0xeb9f (little-endian)")]
    [InlineData(2, 2, "BTF version 1")]
    [InlineData(4, 8, "a header length between 24 and")]
    public void A_bad_header_names_the_offset_and_expectation(int offset, byte value, string expected)
    {
        var blob = BtfBlobBuilder.AllKinds();
        blob[offset] = value;

        var failure = BtfSpec.Parse(blob, "blob").Failure!;

        Assert.Equal(BpfFailureKind.MalformedBtf, failure.Kind);
        Assert.Equal(offset, failure.Offset);
        Assert.StartsWith(expected, failure.Expected, StringComparison.Ordinal);
        Assert.Equal("blob", failure.Source);
    }

    [Fact]
    public void Big_endian_btf_is_refused_by_name()
    {
        var blob = BtfBlobBuilder.AllKinds();
        (blob[0], blob[1]) = (blob[1], blob[0]);

        Assert.Contains("big-endian", BtfSpec.Parse(blob).Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_pointing_past_the_last_type_is_refused()
    {
        var b = new BtfBlobBuilder();
        b.Add(BtfKind.Struct, "s", 1, false, 4, b.Str("m"), 7, 0);

        var failure = BtfSpec.Parse(b.Build()).Failure!;

        Assert.Equal(BpfFailureKind.MalformedBtf, failure.Kind);
        Assert.Contains("member 0", failure.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_kind_is_refused()
    {
        var b = new BtfBlobBuilder();
        b.Add((BtfKind)25, "x", 0, false, 0);

        Assert.Contains("kind between 1", BtfSpec.Parse(b.Build()).Failure!.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_a_typed_failure()
    {
        var failure = BtfSpec.Load(Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid().ToString("N"))).Failure!;

        Assert.Equal(BpfFailureKind.FileMissing, failure.Kind);
    }

    [Fact]
    public void Sched_ext_layout_lists_the_generation_markers_present()
    {
        var b = new BtfBlobBuilder();
        b.Add(BtfKind.Int, "u32", 0, false, 4, 32);
        b.Add(BtfKind.Struct, "sched_ext_ops", 2, false, 8, b.Str("dump"), 1, 0, b.Str("timeout_ms"), 1, 32);

        var layout = SchedExtOpsLayout.Probe(BtfSpec.Parse(b.Build()).Value!);

        Assert.True(layout.Exists);
        Assert.Equal(8u, layout.SizeBytes);
        Assert.Equal(["dump", "timeout_ms"], layout.PresentMarkers);
        Assert.False(layout.HasMember("hotplug_seq"));
    }
}
