using SchedCP.Kernel.Bpf;
using SchedCP.Kernel.Bpf.Btf;
using SchedCP.Kernel.Bpf.Elf;

namespace SchedCP.Kernel.Tests.Bpf;

public sealed class ElfFileTests
{
    private static readonly byte[] Object = ElfBuilder.BpfObject(BtfBlobBuilder.AllKinds());

    [Fact]
    public void Reads_sections_symbols_and_relocations_of_a_bpf_object()
    {
        var elf = ElfFile.Parse(Object, "prog.bpf.o").Value!;

        Assert.Equal(ElfFile.MachineBpf, elf.Machine);
        Assert.Equal(1, elf.ObjectType);
        Assert.Equal(["", ".text", ".BTF", ".strtab", ".symtab", ".rel.text", ".shstrtab"], elf.Sections.Select(s => s.Name));
        Assert.True(elf.FindSection(".text")!.IsExecutable);
        Assert.Equal(16, elf.GetData(elf.FindSection(".text")!).Length);

        var symbols = elf.GetSymbols().Value!;
        Assert.Equal(new ElfSymbol(1, "prog", 0, 16, ElfSymbolBinding.Global, ElfSymbolType.Func, 0, 1), symbols[1]);

        var rel = Assert.Single(elf.GetRelocations().Value!);
        Assert.Equal(1, rel.TargetSectionIndex);
        Assert.Equal(4, rel.SymbolTableIndex);
        Assert.Equal([new ElfRelocation(8, 1, 1, 0)], rel.Entries);
    }

    [Fact]
    public void Btf_is_read_from_the_dot_btf_section()
    {
        var path = Path.Combine(Path.GetTempPath(), $"schedcp-{Guid.NewGuid():N}.bpf.o");
        File.WriteAllBytes(path, Object);
        try
        {
            var spec = BtfSpec.Load(path);

            Assert.True(spec.Succeeded, spec.ToString());
            Assert.Equal(4, spec.Value.Find("point", BtfKind.Struct)?.Id);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_object_without_btf_says_how_to_get_it()
    {
        var bytes = (byte[])Object.Clone();
        // Rename ".BTF" to ".BTX" in the section-name table.
        bytes[bytes.AsSpan().IndexOf("\0.BTF\0"u8) + 4] = (byte)'X';

        var failure = BtfSpec.FromElf(ElfFile.Parse(bytes).Value!).Failure!;

        Assert.Equal(BpfFailureKind.NoBtfSection, failure.Kind);
        Assert.Contains("-g", failure.Remedy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, 1, "ELFCLASS64 (2) and ELFDATA2LSB (1)")]
    [InlineData(58, 40, "section headers of 64 bytes")]
    [InlineData(0, 0, "the ELF magic and a 64-byte header")]
    public void A_bad_elf_header_names_the_offset_and_expectation(int offset, byte value, string expected)
    {
        var bytes = (byte[])Object.Clone();
        bytes[offset] = value;

        var failure = ElfFile.Parse(bytes).Failure!;

        Assert.Equal(BpfFailureKind.MalformedElf, failure.Kind);
        Assert.Equal(expected, failure.Expected);
    }
}
