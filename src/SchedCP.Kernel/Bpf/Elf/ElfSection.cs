namespace SchedCP.Kernel.Bpf.Elf;

/// <summary>Section types the BPF toolchain uses (<c>sh_type</c>); other values pass through as numbers.</summary>
public enum ElfSectionType : uint
{
    /// <summary>Inactive header.</summary>
    Null = 0,

    /// <summary>Program bits: code and initialised data (BPF programs, <c>.BTF</c>, <c>.maps</c>...).</summary>
    ProgBits = 1,

    /// <summary>Symbol table.</summary>
    SymTab = 2,

    /// <summary>String table.</summary>
    StrTab = 3,

    /// <summary>Relocations with explicit addends.</summary>
    Rela = 4,

    /// <summary>Occupies no file space (<c>.bss</c>).</summary>
    NoBits = 8,

    /// <summary>Relocations without addends (what clang emits for BPF).</summary>
    Rel = 9,

    /// <summary>LLVM address-significance table.</summary>
    LlvmAddrsig = 0x6fff4c03,
}

/// <summary>One section header of an ELF64 file.</summary>
/// <param name="Index">The section's index in the header table.</param>
/// <param name="Name">The name from the section-name string table.</param>
/// <param name="Type">The section type.</param>
/// <param name="Flags">The <c>sh_flags</c> bits (1 write, 2 alloc, 4 exec).</param>
/// <param name="Address">The load address (0 in relocatable objects).</param>
/// <param name="Offset">The file offset of the section's bytes.</param>
/// <param name="Size">The section's size in bytes.</param>
/// <param name="Link">A related section index (e.g. a symbol table's string table).</param>
/// <param name="Info">Extra information (e.g. the section a relocation section applies to).</param>
/// <param name="AddressAlign">Alignment.</param>
/// <param name="EntrySize">Size of one entry for table sections.</param>
public sealed record ElfSection(
    int Index,
    string Name,
    ElfSectionType Type,
    ulong Flags,
    ulong Address,
    ulong Offset,
    ulong Size,
    uint Link,
    uint Info,
    ulong AddressAlign,
    ulong EntrySize)
{
    /// <summary>True when the section holds executable instructions (SHF_EXECINSTR).</summary>
    public bool IsExecutable => (Flags & 4) != 0;
}

/// <summary>Symbol binding (<c>STB_*</c>).</summary>
public enum ElfSymbolBinding : byte
{
    /// <summary>Local to the object.</summary>
    Local = 0,

    /// <summary>Visible to all objects.</summary>
    Global = 1,

    /// <summary>Global with lower precedence.</summary>
    Weak = 2,
}

/// <summary>Symbol type (<c>STT_*</c>).</summary>
public enum ElfSymbolType : byte
{
    /// <summary>Unspecified.</summary>
    NoType = 0,

    /// <summary>A data object (a map, a global variable).</summary>
    DataObject = 1,

    /// <summary>A function (a BPF program or subprogram).</summary>
    Func = 2,

    /// <summary>A section.</summary>
    Section = 3,

    /// <summary>The source file name.</summary>
    File = 4,
}

/// <summary>One entry of an ELF64 symbol table.</summary>
/// <param name="Index">The symbol's index in its table (what relocations refer to).</param>
/// <param name="Name">The name from the table's string section.</param>
/// <param name="Value">The value: an offset within the section in relocatable objects.</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="Binding">Binding.</param>
/// <param name="Type">Type.</param>
/// <param name="Visibility">The <c>st_other</c> visibility bits (0 default, 2 hidden).</param>
/// <param name="SectionIndex">The section the symbol is defined in; 0 when undefined (an extern), 0xfff1 for absolute.</param>
public sealed record ElfSymbol(int Index, string Name, ulong Value, ulong Size, ElfSymbolBinding Binding, ElfSymbolType Type, byte Visibility, ushort SectionIndex);

/// <summary>One relocation entry.</summary>
/// <param name="Offset">The offset within the target section of the place to patch (a BPF instruction for code sections).</param>
/// <param name="SymbolIndex">The symbol the relocation refers to.</param>
/// <param name="Type">The machine-specific relocation type (for BPF: 1 R_BPF_64_64, 2 R_BPF_64_ABS64, 3 R_BPF_64_ABS32, 4 R_BPF_64_NODYLD32, 10 R_BPF_64_32).</param>
/// <param name="Addend">The addend; 0 for REL sections.</param>
internal readonly record struct ElfRelocation(ulong Offset, uint SymbolIndex, uint Type, long Addend);

/// <summary>A relocation section and the section it patches.</summary>
/// <param name="Section">The relocation section itself (<c>.rel.text</c>, <c>.rel.struct_ops</c>...).</param>
/// <param name="TargetSectionIndex">The section the entries patch (<c>sh_info</c>).</param>
/// <param name="SymbolTableIndex">The symbol table the entries index (<c>sh_link</c>).</param>
/// <param name="Entries">The entries, in file order.</param>
internal sealed record ElfRelocationSection(ElfSection Section, int TargetSectionIndex, int SymbolTableIndex, IReadOnlyList<ElfRelocation> Entries);
