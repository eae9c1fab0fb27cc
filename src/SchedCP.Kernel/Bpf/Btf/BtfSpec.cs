using System.Buffers.Binary;
using System.Text;
using SchedCP.Core.Results;
using SchedCP.Kernel.Bpf.Elf;

namespace SchedCP.Kernel.Bpf.Btf;

/// <summary>
/// The types and strings of one BTF blob (kernel Documentation/bpf/btf.rst): raw BTF such as
/// <c>/sys/kernel/btf/vmlinux</c>, or the <c>.BTF</c> section of a BPF object. Parsing validates every record, name
/// offset and type reference, so the views it hands out never read outside the data. Immutable and thread-safe.
/// Split BTF (kernel modules on top of vmlinux) is not supported.
/// </summary>
internal sealed class BtfSpec
{
    /// <summary>The BTF magic as stored little-endian.</summary>
    public const ushort Magic = 0xEB9F;

    /// <summary>The largest file <see cref="Load"/> reads (512 MiB: raw kernel BTF is a few MiB, a vmlinux with debug info more); larger files are refused.</summary>
    public const int MaxFileBytes = ElfFile.MaxFileBytes;

    private const int MinHeaderSize = 24;
    private const int MaxQualifierDepth = 64;
    private readonly byte[] _types;
    private readonly byte[] _strings;
    private readonly int[] _offsets;
    private readonly Lazy<Dictionary<string, int[]>> _byName;

    private BtfSpec(string source, byte[] types, byte[] strings, int[] offsets)
    {
        Source = source;
        _types = types;
        _strings = strings;
        _offsets = offsets;
        _byName = new Lazy<Dictionary<string, int[]>>(BuildNameIndex);
    }

    /// <summary>Where the BTF came from.</summary>
    public string Source { get; }

    /// <summary>The number of type ids, void (id 0) included; valid ids are 0 to <c>TypeCount - 1</c>.</summary>
    public int TypeCount => _offsets.Length;

    internal ReadOnlySpan<byte> TypeSection => _types;

    /// <summary>The type with an id.</summary>
    /// <param name="id">A type id between 0 and <see cref="TypeCount"/> - 1.</param>
    public BtfType this[int id]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(id);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, TypeCount);
            return new BtfType(this, id, _offsets[id]);
        }
    }

    /// <summary>Every type, by id, void first.</summary>
    public IEnumerable<BtfType> Types
    {
        get
        {
            for (var id = 0; id < TypeCount; id++)
            {
                yield return this[id];
            }
        }
    }

    /// <summary>Reads BTF from a file: raw BTF, or an ELF object whose <c>.BTF</c> section is used.</summary>
    /// <param name="path">E.g. <c>/sys/kernel/btf/vmlinux</c>, <c>vmlinux.btf</c> or <c>sched.bpf.o</c>.</param>
    public static Outcome<BtfSpec, BpfFailure> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = BpfFile.Read(path, MaxFileBytes);
        if (!bytes.Succeeded)
        {
            return bytes.Failure;
        }

        if (!ElfFile.HasElfMagic(bytes.Value))
        {
            return Parse(bytes.Value, path);
        }

        var elf = ElfFile.Parse(bytes.Value, path);
        return elf.Succeeded ? FromElf(elf.Value) : elf.Failure;
    }

    /// <summary>Reads the <c>.BTF</c> section of an ELF object.</summary>
    /// <param name="elf">The object.</param>
    public static Outcome<BtfSpec, BpfFailure> FromElf(ElfFile elf)
    {
        ArgumentNullException.ThrowIfNull(elf);
        var section = elf.FindSection(".BTF");
        if (section is null)
        {
            return new BpfFailure(BpfFailureKind.NoBtfSection, $"{elf.Source} has no .BTF section.",
                "Compile the BPF program with clang -g so that BTF is emitted.") { Source = elf.Source };
        }

        return Parse(elf.GetData(section).Span, $"{elf.Source} (.BTF)", (long)section.Offset);
    }

    /// <summary>Parses raw BTF.</summary>
    /// <param name="data">The BTF bytes, header first.</param>
    /// <param name="source">A name for the bytes in failure messages.</param>
    public static Outcome<BtfSpec, BpfFailure> Parse(ReadOnlySpan<byte> data, string source = "BTF") => Parse(data, source, 0);

    /// <summary>The type ids with a name, in id order (several when, e.g., a struct and a typedef share it).</summary>
    /// <param name="name">The name.</param>
    public IReadOnlyList<BtfType> FindByName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_byName.Value.TryGetValue(name, out var ids))
        {
            return [];
        }

        var types = new BtfType[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            types[i] = this[ids[i]];
        }

        return types;
    }

    /// <summary>The first type with a name and kind, or null.</summary>
    /// <param name="name">The name, e.g. <c>task_struct</c>.</param>
    /// <param name="kind">The kind, e.g. <see cref="BtfKind.Struct"/>.</param>
    public BtfType? Find(string name, BtfKind kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_byName.Value.TryGetValue(name, out var ids))
        {
            foreach (var id in ids)
            {
                var t = this[id];
                if (t.Kind == kind)
                {
                    return t;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Follows Typedef, Const, Volatile, Restrict and TypeTag links from a type to the type underneath; null when the
    /// chain loops (only in corrupt BTF).
    /// </summary>
    /// <param name="id">The starting type id.</param>
    public BtfType? SkipQualifiers(int id)
    {
        var t = this[id];
        for (var depth = 0; depth < MaxQualifierDepth; depth++)
        {
            if (t.Kind is not (BtfKind.Typedef or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag))
            {
                return t;
            }

            t = this[t.ReferencedTypeId];
        }

        return null;
    }

    /// <summary>A C-like description of a type, e.g. <c>struct task_struct *</c> or <c>const char [16]</c>.</summary>
    /// <param name="id">The type id.</param>
    public string Describe(int id) => Describe(id, 0);

    /// <summary>The string at an offset of the string section.</summary>
    /// <param name="offset">The offset.</param>
    internal string GetString(uint offset)
    {
        // Offsets were validated at parse time and the section ends with a NUL.
        var rest = _strings.AsSpan((int)offset);
        return Encoding.UTF8.GetString(rest[..rest.IndexOf((byte)0)]);
    }

    private string Describe(int id, int depth)
    {
        if (depth > MaxQualifierDepth)
        {
            return "...";
        }

        var t = this[id];
        return t.Kind switch
        {
            BtfKind.Void => "void",
            BtfKind.Ptr => Describe(t.ReferencedTypeId, depth + 1) + " *",
            BtfKind.Const => "const " + Describe(t.ReferencedTypeId, depth + 1),
            BtfKind.Volatile => "volatile " + Describe(t.ReferencedTypeId, depth + 1),
            BtfKind.Restrict => Describe(t.ReferencedTypeId, depth + 1) + " restrict",
            BtfKind.TypeTag => $"{Describe(t.ReferencedTypeId, depth + 1)} __tag({t.Name})",
            BtfKind.Array => $"{Describe(t.Array.ElementTypeId, depth + 1)} [{t.Array.Count}]",
            BtfKind.Struct => "struct " + Anonymous(t.Name),
            BtfKind.Union => "union " + Anonymous(t.Name),
            BtfKind.Enum or BtfKind.Enum64 => "enum " + Anonymous(t.Name),
            BtfKind.Fwd => (t.KindFlag ? "union " : "struct ") + t.Name,
            BtfKind.FuncProto => $"{Describe(t.ReferencedTypeId, depth + 1)} (*)({string.Join(", ", t.Parameters.Select(p => p.TypeId == 0 ? "..." : Describe(p.TypeId, depth + 1)))})",
            _ => t.Name,
        };
    }

    private static string Anonymous(string name) => name.Length == 0 ? "(anon)" : name;

    private Dictionary<string, int[]> BuildNameIndex()
    {
        var lists = new Dictionary<string, List<int>>(_offsets.Length / 2, StringComparer.Ordinal);
        for (var id = 1; id < _offsets.Length; id++)
        {
            var nameOff = BinaryPrimitives.ReadUInt32LittleEndian(_types.AsSpan(_offsets[id]));
            if (nameOff == 0)
            {
                continue;
            }

            var name = GetString(nameOff);
            if (!lists.TryGetValue(name, out var list))
            {
                lists[name] = list = new List<int>(1);
            }

            list.Add(id);
        }

        var index = new Dictionary<string, int[]>(lists.Count, StringComparer.Ordinal);
        foreach (var (name, list) in lists)
        {
            index[name] = [.. list];
        }

        return index;
    }

    private static Outcome<BtfSpec, BpfFailure> Parse(ReadOnlySpan<byte> data, string source, long baseOffset)
    {
        ArgumentNullException.ThrowIfNull(source);
        Outcome<BtfSpec, BpfFailure> Fail(long at, string expected, string found) =>
            BpfFailure.Btf(source, baseOffset + at, expected, found);

        if (data.Length < MinHeaderSize)
        {
            return Fail(0, $"a header of at least {MinHeaderSize} bytes", $"{data.Length} bytes");
        }

        var magic = BinaryPrimitives.ReadUInt16LittleEndian(data);
        if (magic != Magic)
        {
            return Fail(0, "magic 0xeb9f (little-endian)", magic == 0x9FEB ? "big-endian BTF, which is not supported" : $"0x{magic:x4}");
        }

        if (data[2] != 1)
        {
            return Fail(2, "BTF version 1", $"version {data[2]}");
        }

        var hdrLen = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        var typeOff = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        var typeLen = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);
        var strOff = BinaryPrimitives.ReadUInt32LittleEndian(data[16..]);
        var strLen = BinaryPrimitives.ReadUInt32LittleEndian(data[20..]);
        if (hdrLen < MinHeaderSize || hdrLen > data.Length)
        {
            return Fail(4, $"a header length between {MinHeaderSize} and {data.Length}", $"{hdrLen}");
        }

        var body = data[(int)hdrLen..];
        if ((ulong)typeOff + typeLen > (ulong)body.Length)
        {
            return Fail(8, "a type section inside the data", $"offset {typeOff} length {typeLen} with {body.Length} bytes after the header");
        }

        if ((ulong)strOff + strLen > (ulong)body.Length)
        {
            return Fail(16, "a string section inside the data", $"offset {strOff} length {strLen} with {body.Length} bytes after the header");
        }

        if (typeLen % 4 != 0)
        {
            return Fail(12, "a type section length that is a multiple of 4", $"{typeLen}");
        }

        var strings = body.Slice((int)strOff, (int)strLen);
        if (strings.Length > 0 && (strings[0] != 0 || strings[^1] != 0))
        {
            return Fail(MinHeaderSize + strOff, "a string section that starts and ends with a NUL byte", "other bytes");
        }

        var types = body.Slice((int)typeOff, (int)typeLen);
        var typesAt = hdrLen + typeOff;

        // Pass 1: record boundaries and names.
        var offsets = new List<int>(Math.Max(16, types.Length / 24)) { -1 };
        var pos = 0;
        while (pos < types.Length)
        {
            if (types.Length - pos < 12)
            {
                return Fail(typesAt + pos, "a 12-byte type record", $"{types.Length - pos} bytes");
            }

            var nameOff = BinaryPrimitives.ReadUInt32LittleEndian(types[pos..]);
            var info = BinaryPrimitives.ReadUInt32LittleEndian(types[(pos + 4)..]);
            var kind = (info >> 24) & 0x1f;
            if (kind is 0 or > (uint)BtfKind.Enum64)
            {
                return Fail(typesAt + pos + 4, "a kind between 1 (int) and 19 (enum64)", $"kind {kind} for type {offsets.Count}");
            }

            if (nameOff != 0 && nameOff >= (uint)strings.Length)
            {
                return Fail(typesAt + pos, $"a name offset below {strings.Length}", $"{nameOff} for type {offsets.Count}");
            }

            var size = BtfType.RecordSize((BtfKind)kind, (int)(info & 0xffff));
            if (types.Length - pos < size)
            {
                return Fail(typesAt + pos, $"{size} bytes for type {offsets.Count} ({(BtfKind)kind})", $"{types.Length - pos} bytes");
            }

            offsets.Add(pos);
            pos += size;
        }

        var spec = new BtfSpec(source, types.ToArray(), strings.ToArray(), [.. offsets]);

        // Pass 2: every name offset and type reference inside a record points somewhere valid.
        for (var id = 1; id < spec.TypeCount; id++)
        {
            if (spec.Validate(id) is { } problem)
            {
                return Fail(typesAt + offsets[id], problem.Expected, problem.Found);
            }
        }

        return spec;
    }

    private (string Expected, string Found)? Validate(int id)
    {
        var at = _offsets[id];
        uint W(int i) => BinaryPrimitives.ReadUInt32LittleEndian(_types.AsSpan(at + (i * 4)));
        var info = W(1);
        var kind = (BtfKind)((info >> 24) & 0x1f);
        var vlen = (int)(info & 0xffff);
        var count = (uint)TypeCount;

        (string, string)? Type(uint t, string what) => t < count ? null : ($"{what} of type {id} below {count}", $"{t}");
        (string, string)? Name(uint n, string what) => n == 0 || n < (uint)_strings.Length ? null : ($"{what} name offset of type {id} below {_strings.Length}", $"{n}");

        switch (kind)
        {
            case BtfKind.Ptr or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.Func
                or BtfKind.FuncProto or BtfKind.Var or BtfKind.DeclTag or BtfKind.TypeTag:
                if (Type(W(2), "the referenced type") is { } bad)
                {
                    return bad;
                }

                break;
            case BtfKind.Array:
                if ((Type(W(3), "the element type") ?? Type(W(4), "the index type")) is { } badArray)
                {
                    return badArray;
                }

                break;
        }

        for (var i = 0; i < vlen; i++)
        {
            var problem = kind switch
            {
                BtfKind.Struct or BtfKind.Union => Name(W(3 + (i * 3)), "a member") ?? Type(W(4 + (i * 3)), $"member {i}"),
                BtfKind.Enum => Name(W(3 + (i * 2)), "an enumerator"),
                BtfKind.Enum64 => Name(W(3 + (i * 3)), "an enumerator"),
                BtfKind.FuncProto => Name(W(3 + (i * 2)), "a parameter") ?? Type(W(4 + (i * 2)), $"parameter {i}"),
                BtfKind.DataSec => Type(W(3 + (i * 3)), $"section variable {i}"),
                _ => null,
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }
}
