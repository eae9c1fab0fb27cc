using System.Buffers.Binary;

namespace SchedCP.Verifier.Tests.StaticAnalysis;

/// <summary>
/// Makes reproducible corrupt variants of a valid <c>.bpf.o</c>: a mutant is fully determined by (seed, object index,
/// mutant index). Besides blind byte damage (bit flips, byte sets, truncation, inserted and deleted ranges) it aims at
/// the fields a reader trusts: the ELF header, section headers, symbols, relocations, instructions and BTF words, set
/// to boundary values (0, 1, all ones, sign bits, just past the file's end).
/// Shared by the CI fuzz test and benchmarks/SchedCP.Fuzz.
/// </summary>
public sealed class BpfObjectMutator
{
    /// <summary>The mutation kinds, in the order <see cref="Mutate"/> picks from.</summary>
    public static readonly string[] Kinds =
        ["bit-flip", "byte-set", "truncate", "insert", "delete", "elf-header", "section-header", "symbol", "relocation", "instruction", "btf-header", "btf-type"];

    private readonly byte[] _original;
    private readonly List<Section> _sections = [];

    /// <summary>Reads where the targeted fields of <paramref name="original"/> lie.</summary>
    /// <param name="original">A valid ELF64 little-endian object.</param>
    public BpfObjectMutator(byte[] original)
    {
        ArgumentNullException.ThrowIfNull(original);
        _original = original;
        var shoff = (long)BinaryPrimitives.ReadUInt64LittleEndian(original.AsSpan(40));
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(original.AsSpan(60));
        int shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(original.AsSpan(62));
        SectionTableOffset = shoff;
        for (var i = 0; i < shnum; i++)
        {
            var h = original.AsSpan((int)shoff + (i * 64), 64);
            _sections.Add(new Section(
                (int)shoff + (i * 64),
                BinaryPrimitives.ReadUInt32LittleEndian(h),
                BinaryPrimitives.ReadUInt32LittleEndian(h[4..]),
                (long)BinaryPrimitives.ReadUInt64LittleEndian(h[8..]),
                (int)BinaryPrimitives.ReadUInt64LittleEndian(h[24..]),
                (int)BinaryPrimitives.ReadUInt64LittleEndian(h[32..]),
                ""));
        }

        var names = _sections[shstrndx];
        for (var i = 0; i < _sections.Count; i++)
        {
            var rest = original.AsSpan(names.Offset + (int)_sections[i].NameOffset);
            _sections[i] = _sections[i] with { Name = System.Text.Encoding.ASCII.GetString(rest[..rest.IndexOf((byte)0)]) };
        }
    }

    /// <summary>The file offset of the section header table.</summary>
    public long SectionTableOffset { get; }

    /// <summary>Makes mutant <paramref name="index"/> of object <paramref name="objectIndex"/> under <paramref name="seed"/>.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="objectIndex">Which object of the run (so that objects get different mutants).</param>
    /// <param name="index">The mutant's number.</param>
    /// <returns>The bytes and a description of what was changed (enough to reproduce it by hand).</returns>
    public (byte[] Bytes, string Kind, string Description) Mutate(int seed, int objectIndex, int index)
    {
        var random = new Random(MixSeed(seed, objectIndex, index));
        var kind = Kinds[random.Next(Kinds.Length)];
        var bytes = (byte[])_original.Clone();
        // Most mutants carry one change; some stack a second so that a check passed by the first can still be reached.
        var description = Apply(kind, ref bytes, random);
        if (random.Next(4) == 0)
        {
            var second = Kinds[random.Next(Kinds.Length)];
            description += "; " + Apply(second, ref bytes, random);
        }

        return (bytes, kind, description);
    }

    private string Apply(string kind, ref byte[] bytes, Random random)
    {
        if (bytes.Length < 2)
        {
            return "nothing left to change";
        }

        switch (kind)
        {
            case "bit-flip":
                {
                    var flips = 1 + random.Next(8);
                    for (var i = 0; i < flips && bytes.Length > 0; i++)
                    {
                        bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                    }

                    return $"{flips} bit flips";
                }

            case "byte-set":
                {
                    var at = random.Next(bytes.Length);
                    var value = (byte)(random.Next(3) switch { 0 => 0, 1 => 0xff, _ => random.Next(256) });
                    bytes[at] = value;
                    return $"byte {at} = 0x{value:x2}";
                }

            case "truncate":
                {
                    var length = random.Next(bytes.Length);
                    bytes = bytes[..length];
                    return $"truncated to {length}";
                }

            case "insert":
                {
                    var at = random.Next(bytes.Length + 1);
                    var count = 1 + random.Next(random.Next(2) == 0 ? 8 : 256);
                    var inserted = new byte[count];
                    random.NextBytes(inserted);
                    bytes = [.. bytes[..at], .. inserted, .. bytes[at..]];
                    return $"{count} bytes inserted at {at}";
                }

            case "delete":
                {
                    var at = random.Next(bytes.Length);
                    var count = 1 + random.Next(Math.Min(bytes.Length - at, random.Next(2) == 0 ? 8 : 256));
                    bytes = [.. bytes[..at], .. bytes[(at + count)..]];
                    return $"{count} bytes deleted at {at}";
                }

            case "elf-header":
                {
                    // e_type, e_machine, e_shoff, e_shentsize, e_shnum, e_shstrndx, EI_CLASS/EI_DATA.
                    int[] fields = [4, 5, 16, 18, 40, 58, 60, 62];
                    var at = fields[random.Next(fields.Length)];
                    var width = at switch { 4 or 5 => 1, 40 => 8, _ => 2 };
                    WriteBoundary(bytes, at, width, random);
                    return $"ELF header field at {at}";
                }

            case "section-header":
                {
                    var s = _sections[random.Next(_sections.Count)];
                    // sh_name, sh_type, sh_flags, sh_offset, sh_size, sh_link, sh_info, sh_entsize.
                    (int Offset, int Width)[] fields = [(0, 4), (4, 4), (8, 8), (24, 8), (32, 8), (40, 4), (44, 4), (56, 8)];
                    var (offset, width) = fields[random.Next(fields.Length)];
                    WriteBoundary(bytes, s.HeaderOffset + offset, width, random);
                    return $"section '{s.Name}' header field {offset}";
                }

            case "symbol":
                {
                    var symtab = _sections.FirstOrDefault(x => x.Type == 2);
                    if (symtab is null || symtab.Size < 24)
                    {
                        goto case "bit-flip";
                    }

                    var sym = random.Next(symtab.Size / 24);
                    // st_name, st_info, st_other, st_shndx, st_value, st_size.
                    (int Offset, int Width)[] fields = [(0, 4), (4, 1), (5, 1), (6, 2), (8, 8), (16, 8)];
                    var (offset, width) = fields[random.Next(fields.Length)];
                    WriteBoundary(bytes, symtab.Offset + (sym * 24) + offset, width, random);
                    return $"symbol {sym} field {offset}";
                }

            case "relocation":
                {
                    var rels = _sections.Where(x => x.Type == 9 && x.Size >= 16).ToArray();
                    if (rels.Length == 0)
                    {
                        goto case "bit-flip";
                    }

                    var rel = rels[random.Next(rels.Length)];
                    var entry = random.Next(rel.Size / 16);
                    // r_offset, r_info type (low word), r_info symbol (high word).
                    (int Offset, int Width)[] fields = [(0, 8), (8, 4), (12, 4)];
                    var (offset, width) = fields[random.Next(fields.Length)];
                    WriteBoundary(bytes, rel.Offset + (entry * 16) + offset, width, random);
                    return $"relocation '{rel.Name}' entry {entry} field {offset}";
                }

            case "instruction":
                {
                    var code = _sections.Where(x => x.Type == 1 && (x.Flags & 4) != 0 && x.Size >= 8).ToArray();
                    if (code.Length == 0)
                    {
                        goto case "bit-flip";
                    }

                    var c = code[random.Next(code.Length)];
                    var insn = c.Offset + (random.Next(c.Size / 8) * 8);
                    if (insn + 8 > bytes.Length)
                    {
                        goto case "bit-flip";
                    }

                    switch (random.Next(4))
                    {
                        case 0:
                            bytes[insn] = (byte)random.Next(256);
                            return $"'{c.Name}' opcode at {insn}";
                        case 1:
                            bytes[insn + 1] = (byte)random.Next(256);
                            return $"'{c.Name}' registers at {insn}";
                        case 2:
                            WriteBoundary(bytes, insn + 2, 2, random);
                            return $"'{c.Name}' offset at {insn}";
                        default:
                            WriteBoundary(bytes, insn + 4, 4, random);
                            return $"'{c.Name}' immediate at {insn}";
                    }
                }

            case "btf-header":
                {
                    var btf = _sections.FirstOrDefault(x => x.Name == ".BTF");
                    if (btf is null || btf.Size < 24)
                    {
                        goto case "bit-flip";
                    }

                    // magic, version, flags, hdr_len, type_off, type_len, str_off, str_len.
                    (int Offset, int Width)[] fields = [(0, 2), (2, 1), (3, 1), (4, 4), (8, 4), (12, 4), (16, 4), (20, 4)];
                    var (offset, width) = fields[random.Next(fields.Length)];
                    WriteBoundary(bytes, btf.Offset + offset, width, random);
                    return $".BTF header field {offset}";
                }

            case "btf-type":
                {
                    var btf = _sections.FirstOrDefault(x => x.Name == ".BTF");
                    if (btf is null || btf.Size < 28)
                    {
                        goto case "bit-flip";
                    }

                    var typeOff = (int)BinaryPrimitives.ReadUInt32LittleEndian(_original.AsSpan(btf.Offset + 8));
                    var typeLen = (int)BinaryPrimitives.ReadUInt32LittleEndian(_original.AsSpan(btf.Offset + 12));
                    var word = btf.Offset + 24 + typeOff + (random.Next(Math.Max(1, typeLen / 4)) * 4);
                    WriteBoundary(bytes, word, 4, random);
                    return $".BTF type word at {word}";
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown mutation");
        }
    }

    // HashCode.Combine is randomised per process; a mutant must be the same in every run, so mix with SplitMix64.
    private static int MixSeed(int seed, int objectIndex, int index)
    {
        var z = unchecked(((ulong)(uint)seed << 32) ^ ((ulong)(uint)objectIndex << 20) ^ (uint)index) + 0x9E3779B97F4A7C15UL;
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)(uint)(z ^ (z >> 31));
    }

    private static void WriteBoundary(byte[] bytes, int at, int width, Random random)
    {
        if (at < 0 || at + width > bytes.Length)
        {
            return;
        }

        var old = width switch
        {
            1 => bytes[at],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at)),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at)),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at)),
        };
        var max = width == 8 ? ulong.MaxValue : (1UL << (width * 8)) - 1;
        var value = random.Next(10) switch
        {
            0 => 0UL,
            1 => 1UL,
            2 => max,
            3 => max >> 1,
            4 => (max >> 1) + 1,
            5 => old + 1,
            6 => old - 1,
            7 => old + (ulong)bytes.Length,
            8 => (ulong)bytes.Length,
            _ => old ^ (1UL << random.Next(width * 8)),
        };
        switch (width)
        {
            case 1: bytes[at] = (byte)value; break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), (ushort)value); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), (uint)value); break;
            default: BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at), value); break;
        }
    }

    private sealed record Section(int HeaderOffset, uint NameOffset, uint Type, long Flags, int Offset, int Size, string Name);
}
