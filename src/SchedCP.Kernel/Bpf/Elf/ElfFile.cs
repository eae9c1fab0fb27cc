using System.Buffers.Binary;
using System.Text;
using SchedCP.Core.Results;

namespace SchedCP.Kernel.Bpf.Elf;

/// <summary>
/// A minimal reader of 64-bit little-endian ELF files such as clang's <c>.bpf.o</c>: section headers and names, section
/// bytes, symbols and relocation sections. Every offset and size is checked against the file, so truncated or corrupt
/// input yields a <see cref="BpfFailure"/> rather than an exception.
/// </summary>
public sealed class ElfFile
{
    /// <summary>The <c>e_machine</c> value of BPF objects.</summary>
    public const ushort MachineBpf = 247;

    /// <summary>The largest file <see cref="Load"/> reads (512 MiB, room for a vmlinux with debug info); larger files are refused.</summary>
    public const int MaxFileBytes = 512 << 20;

    private const int HeaderSize = 64;
    private const int SectionHeaderSize = 64;
    private const int SymbolSize = 24;
    private readonly ReadOnlyMemory<byte> _data;
    private readonly Dictionary<int, IReadOnlyList<ElfSymbol>> _symbols = [];

    private ElfFile(ReadOnlyMemory<byte> data, string source, ushort type, ushort machine, IReadOnlyList<ElfSection> sections)
    {
        _data = data;
        Source = source;
        ObjectType = type;
        Machine = machine;
        Sections = sections;
    }

    /// <summary>Where the bytes came from.</summary>
    public string Source { get; }

    /// <summary><c>e_type</c>: 1 relocatable (a <c>.bpf.o</c>), 2 executable, 3 shared object.</summary>
    public ushort ObjectType { get; }

    /// <summary><c>e_machine</c>: <see cref="MachineBpf"/> for BPF objects.</summary>
    public ushort Machine { get; }

    /// <summary>All section headers, by index (index 0 is the null section).</summary>
    public IReadOnlyList<ElfSection> Sections { get; }

    /// <summary>Reads an ELF file from disk.</summary>
    /// <param name="path">The file.</param>
    internal static Outcome<ElfFile, BpfFailure> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = BpfFile.Read(path, MaxFileBytes);
        return bytes.Succeeded ? Parse(bytes.Value, path) : bytes.Failure;
    }

    /// <summary>True when the bytes start with the ELF magic.</summary>
    /// <param name="data">The bytes.</param>
    internal static bool HasElfMagic(ReadOnlySpan<byte> data) => data.StartsWith("\x7f"u8) && data.Length >= 4 && data[1..4].SequenceEqual("ELF"u8);

    /// <summary>Parses the section headers of an ELF64 little-endian file.</summary>
    /// <param name="data">The whole file.</param>
    /// <param name="source">A name for the bytes in failure messages.</param>
    internal static Outcome<ElfFile, BpfFailure> Parse(ReadOnlyMemory<byte> data, string source = "ELF file")
    {
        ArgumentNullException.ThrowIfNull(source);
        var d = data.Span;
        if (d.Length < HeaderSize || !HasElfMagic(d))
        {
            return Fail(source, 0, "the ELF magic and a 64-byte header", $"{d.Length} bytes without it");
        }

        if (d[4] != 2 || d[5] != 1)
        {
            return Fail(source, 4, "ELFCLASS64 (2) and ELFDATA2LSB (1)", $"class {d[4]}, data {d[5]}");
        }

        var type = BinaryPrimitives.ReadUInt16LittleEndian(d[16..]);
        var machine = BinaryPrimitives.ReadUInt16LittleEndian(d[18..]);
        var shoff = BinaryPrimitives.ReadUInt64LittleEndian(d[40..]);
        var shentsize = BinaryPrimitives.ReadUInt16LittleEndian(d[58..]);
        ulong shnum = BinaryPrimitives.ReadUInt16LittleEndian(d[60..]);
        int shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(d[62..]);
        if (shoff == 0)
        {
            return new ElfFile(data, source, type, machine, []);
        }

        if (shentsize != SectionHeaderSize)
        {
            return Fail(source, 58, "section headers of 64 bytes", $"{shentsize}");
        }

        if (shoff > (ulong)d.Length || (ulong)d.Length - shoff < SectionHeaderSize)
        {
            return Fail(source, 40, "a section header table inside the file", $"offset {shoff} in {d.Length} bytes");
        }

        // Extended numbering: with 0 sections or SHN_XINDEX, the real values live in section header 0.
        var first = d[(int)shoff..];
        if (shnum == 0)
        {
            shnum = BinaryPrimitives.ReadUInt64LittleEndian(first[32..]);
        }

        if (shstrndx == 0xffff)
        {
            shstrndx = (int)BinaryPrimitives.ReadUInt32LittleEndian(first[40..]);
        }

        if (shnum > ((ulong)d.Length - shoff) / SectionHeaderSize)
        {
            return Fail(source, 60, "all section headers inside the file", $"{shnum} headers at offset {shoff} in {d.Length} bytes");
        }

        if ((ulong)shstrndx >= shnum)
        {
            return Fail(source, 62, $"a section-name table index below {shnum}", $"{shstrndx}");
        }

        var raw = new (uint Name, uint Type, ulong Flags, ulong Addr, ulong Offset, ulong Size, uint Link, uint Info, ulong Align, ulong EntSize)[shnum];
        for (var i = 0; i < (int)shnum; i++)
        {
            var h = d.Slice((int)shoff + (i * SectionHeaderSize), SectionHeaderSize);
            raw[i] = (
                BinaryPrimitives.ReadUInt32LittleEndian(h),
                BinaryPrimitives.ReadUInt32LittleEndian(h[4..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[16..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[24..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[32..]),
                BinaryPrimitives.ReadUInt32LittleEndian(h[40..]),
                BinaryPrimitives.ReadUInt32LittleEndian(h[44..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[48..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[56..]));
            if (raw[i].Type != (uint)ElfSectionType.NoBits && (raw[i].Offset > (ulong)d.Length || raw[i].Size > (ulong)d.Length - raw[i].Offset))
            {
                return Fail(source, (long)shoff + (i * SectionHeaderSize), $"section {i}'s bytes inside the file", $"offset {raw[i].Offset} size {raw[i].Size} in {d.Length} bytes");
            }
        }

        var names = raw[shstrndx];
        var nameTable = names.Type == (uint)ElfSectionType.NoBits ? default : d.Slice((int)names.Offset, (int)names.Size);
        var sections = new ElfSection[shnum];
        for (var i = 0; i < (int)shnum; i++)
        {
            var r = raw[i];
            if (!TryString(nameTable, r.Name, out var name))
            {
                return Fail(source, (long)shoff + (i * SectionHeaderSize), "a section name inside the name table", $"offset {r.Name}");
            }

            sections[i] = new ElfSection(i, name, (ElfSectionType)r.Type, r.Flags, r.Addr, r.Offset, r.Size, r.Link, r.Info, r.Align, r.EntSize);
        }

        return new ElfFile(data, source, type, machine, sections);
    }

    /// <summary>The first section with this name, or null.</summary>
    /// <param name="name">The section name, e.g. <c>.BTF</c>.</param>
    public ElfSection? FindSection(string name)
    {
        foreach (var s in Sections)
        {
            if (s.Name == name)
            {
                return s;
            }
        }

        return null;
    }

    /// <summary>The bytes of a section (empty for <c>SHT_NOBITS</c>).</summary>
    /// <param name="section">A section of this file.</param>
    public ReadOnlyMemory<byte> GetData(ElfSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (section.Type == ElfSectionType.NoBits || section.Index == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        // Parse checked every section of this file; a section made up elsewhere is checked here.
        if (section.Offset > (ulong)_data.Length || section.Size > (ulong)_data.Length - section.Offset)
        {
            throw new ArgumentOutOfRangeException(nameof(section), $"Section '{section.Name}' (offset {section.Offset}, size {section.Size}) is not inside {Source} ({_data.Length} bytes).");
        }

        return _data.Slice((int)section.Offset, (int)section.Size);
    }

    /// <summary>The symbols of the first symbol table (<c>.symtab</c>); empty when there is none.</summary>
    public Outcome<IReadOnlyList<ElfSymbol>, BpfFailure> GetSymbols()
    {
        foreach (var s in Sections)
        {
            if (s.Type == ElfSectionType.SymTab)
            {
                return GetSymbols(s.Index);
            }
        }

        return Outcome<IReadOnlyList<ElfSymbol>, BpfFailure>.Success([]);
    }

    /// <summary>The symbols of the symbol table at a section index.</summary>
    /// <param name="symbolTableIndex">The index of an <c>SHT_SYMTAB</c> section.</param>
    public Outcome<IReadOnlyList<ElfSymbol>, BpfFailure> GetSymbols(int symbolTableIndex)
    {
        lock (_symbols)
        {
            if (_symbols.TryGetValue(symbolTableIndex, out var cached))
            {
                return Outcome<IReadOnlyList<ElfSymbol>, BpfFailure>.Success(cached);
            }
        }

        if ((uint)symbolTableIndex >= (uint)Sections.Count || Sections[symbolTableIndex].Type != ElfSectionType.SymTab)
        {
            return Fail<IReadOnlyList<ElfSymbol>>(Source, 0, "a symbol table section", $"section index {symbolTableIndex}");
        }

        var table = Sections[symbolTableIndex];
        if (table.Link >= Sections.Count || Sections[(int)table.Link].Type != ElfSectionType.StrTab)
        {
            return Fail<IReadOnlyList<ElfSymbol>>(Source, (long)table.Offset, "a string table linked from the symbol table", $"link {table.Link}");
        }

        var strings = GetData(Sections[(int)table.Link]).Span;
        var bytes = GetData(table).Span;
        var symbols = new ElfSymbol[bytes.Length / SymbolSize];
        for (var i = 0; i < symbols.Length; i++)
        {
            var e = bytes.Slice(i * SymbolSize, SymbolSize);
            if (!TryString(strings, BinaryPrimitives.ReadUInt32LittleEndian(e), out var name))
            {
                return Fail<IReadOnlyList<ElfSymbol>>(Source, (long)table.Offset + (i * SymbolSize), "a symbol name inside the string table", $"offset {BinaryPrimitives.ReadUInt32LittleEndian(e)}");
            }

            symbols[i] = new ElfSymbol(
                i,
                name,
                BinaryPrimitives.ReadUInt64LittleEndian(e[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(e[16..]),
                (ElfSymbolBinding)(e[4] >> 4),
                (ElfSymbolType)(e[4] & 0xf),
                (byte)(e[5] & 0x3),
                BinaryPrimitives.ReadUInt16LittleEndian(e[6..]));
        }

        lock (_symbols)
        {
            _symbols[symbolTableIndex] = symbols;
        }

        return symbols;
    }

    /// <summary>Every <c>SHT_REL</c> and <c>SHT_RELA</c> section with its entries.</summary>
    internal Outcome<IReadOnlyList<ElfRelocationSection>, BpfFailure> GetRelocations()
    {
        var result = new List<ElfRelocationSection>();
        foreach (var s in Sections)
        {
            if (s.Type is not (ElfSectionType.Rel or ElfSectionType.Rela))
            {
                continue;
            }

            var rela = s.Type == ElfSectionType.Rela;
            var size = rela ? 24 : 16;
            if (s.Info >= Sections.Count || s.Link >= Sections.Count)
            {
                return Fail<IReadOnlyList<ElfRelocationSection>>(Source, (long)s.Offset, "a relocation section linking existing sections", $"info {s.Info}, link {s.Link}");
            }

            var bytes = GetData(s).Span;
            var entries = new ElfRelocation[bytes.Length / size];
            for (var i = 0; i < entries.Length; i++)
            {
                var e = bytes.Slice(i * size, size);
                var info = BinaryPrimitives.ReadUInt64LittleEndian(e[8..]);
                entries[i] = new ElfRelocation(
                    BinaryPrimitives.ReadUInt64LittleEndian(e),
                    (uint)(info >> 32),
                    (uint)info,
                    rela ? BinaryPrimitives.ReadInt64LittleEndian(e[16..]) : 0);
            }

            result.Add(new ElfRelocationSection(s, (int)s.Info, (int)s.Link, entries));
        }

        return result;
    }

    private static bool TryString(ReadOnlySpan<byte> table, uint offset, out string value)
    {
        value = "";
        if (offset == 0 && table.IsEmpty)
        {
            return true;
        }

        if (offset >= (uint)table.Length)
        {
            return false;
        }

        var rest = table[(int)offset..];
        var end = rest.IndexOf((byte)0);
        if (end < 0)
        {
            return false;
        }

        value = Encoding.UTF8.GetString(rest[..end]);
        return true;
    }

    private static Outcome<ElfFile, BpfFailure> Fail(string source, long offset, string expected, string found) =>
        BpfFailure.Elf(source, offset, expected, found);

    private static Outcome<T, BpfFailure> Fail<T>(string source, long offset, string expected, string found) =>
        BpfFailure.Elf(source, offset, expected, found);
}
