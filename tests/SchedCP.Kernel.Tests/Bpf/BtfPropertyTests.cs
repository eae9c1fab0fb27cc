using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SchedCP.Core.Results;
using SchedCP.Kernel.Bpf;
using SchedCP.Kernel.Bpf.Btf;
using SchedCP.Kernel.Bpf.Elf;

namespace SchedCP.Kernel.Tests.Bpf;

/// <summary>
/// Truncated, corrupted or random BTF and ELF bytes give a typed failure or a spec whose every accessor works; the
/// readers never throw.
/// </summary>
public sealed class BtfPropertyTests
{
    private static readonly byte[] Blob = BtfBlobBuilder.AllKinds();
    private static readonly byte[] Object = ElfBuilder.BpfObject(Blob);

    [Property(MaxTest = 300)]
    public Property Truncated_btf_is_a_malformed_failure() =>
        Prop.ForAll(Gen.Choose(0, Blob.Length - 1).ToArbitrary(), cut =>
        {
            var result = BtfSpec.Parse(Blob.AsSpan(0, cut), "cut");
            return (result.Failure is { Kind: BpfFailureKind.MalformedBtf, Source: "cut", Offset: >= 0, Expected.Length: > 0 }).Label($"{cut}: {result}");
        });

    [Property(MaxTest = 500)]
    public Property Corrupted_btf_gives_a_failure_or_a_fully_walkable_spec() =>
        Prop.ForAll(Corruption(Blob).ToArbitrary(), bytes => IsFailureOrWalkable(BtfSpec.Parse(bytes, "corrupt")));

    [Property(MaxTest = 300)]
    public Property Corrupted_elf_objects_never_throw() =>
        Prop.ForAll(Corruption(Object).ToArbitrary(), bytes =>
        {
            var elf = ElfFile.Parse(bytes, "corrupt.bpf.o");
            if (!elf.Succeeded)
            {
                return elf.Failure.Kind == BpfFailureKind.MalformedElf;
            }

            foreach (var s in elf.Value.Sections)
            {
                _ = elf.Value.GetData(s).Length;
            }

            _ = elf.Value.GetSymbols();
            _ = elf.Value.GetRelocations();
            var btf = BtfSpec.FromElf(elf.Value);
            return btf.Failure?.Kind is BpfFailureKind.NoBtfSection || IsFailureOrWalkable(btf);
        });

    [Property(MaxTest = 200)]
    public Property Random_bytes_after_a_valid_magic_never_throw() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), tail =>
        {
            byte[] bytes = [0x9f, 0xeb, 1, 0, 24, 0, 0, 0, .. tail];
            return IsFailureOrWalkable(BtfSpec.Parse(bytes));
        });

    [Fact]
    public void Host_vmlinux_cut_at_random_points_is_a_malformed_failure()
    {
        if (!File.Exists(KernelBtfFiles.HostVmlinux))
        {
            return;
        }

        var vmlinux = File.ReadAllBytes(KernelBtfFiles.HostVmlinux);
        var random = new Random(20260501);
        for (var i = 0; i < 8; i++)
        {
            var cut = random.Next(0, vmlinux.Length - 1);
            var result = BtfSpec.Parse(vmlinux.AsSpan(0, cut));
            Assert.True(result.Failure?.Kind == BpfFailureKind.MalformedBtf, $"cut at {cut}: {result}");
        }
    }

    private static Gen<byte[]> Corruption(byte[] sample) =>
        from edits in Gen.ListOf(Gen.Choose(0, sample.Length - 1).Zip(Gen.Choose(0, 255)), 4)
        select Corrupt(sample, edits);

    private static byte[] Corrupt(byte[] sample, IEnumerable<(int Position, int Value)> edits)
    {
        var copy = (byte[])sample.Clone();
        foreach (var (position, value) in edits)
        {
            copy[position] = (byte)value;
        }

        return copy;
    }

    private static bool IsFailureOrWalkable(Outcome<BtfSpec, BpfFailure> result)
    {
        if (!result.Succeeded)
        {
            return result.Failure.Kind == BpfFailureKind.MalformedBtf && result.Failure.Expected is { Length: > 0 };
        }

        var spec = result.Value;
        foreach (var t in spec.Types)
        {
            _ = (t.Name, t.Size, t.ReferencedTypeId, t.IntInfo, t.Array, t.Members, t.EnumValues, t.Parameters, t.SectionVariables, t.Linkage);
            _ = spec.SkipQualifiers(t.Id);
            _ = spec.Describe(t.Id);
            _ = spec.FindByName(t.Name);
        }

        _ = SchedExtOpsLayout.Probe(spec);
        return true;
    }
}
