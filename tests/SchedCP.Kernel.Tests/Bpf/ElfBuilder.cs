using System.Buffers.Binary;
using System.Text;

namespace SchedCP.Kernel.Tests.Bpf;

/// <summary>Writes a minimal relocatable ELF64 little-endian BPF object: .text, .BTF, .strtab, .symtab, .rel.text, .shstrtab.</summary>
internal static class ElfBuilder
{
    public static byte[] BpfObject(byte[] btf)
    {
        var shstr = new List<byte> { 0 };
        uint Name(string s)
        {
            var off = (uint)shstr.Count;
            shstr.AddRange(Encoding.ASCII.GetBytes(s));
            shstr.Add(0);
            return off;
        }

        var text = new byte[16];
        var strtab = Encoding.ASCII.GetBytes("\0prog\0");
        var symtab = new byte[48];
        BinaryPrimitives.WriteUInt32LittleEndian(symtab.AsSpan(24), 1);        // name "prog"
        symtab[24 + 4] = (1 << 4) | 2;                                          // GLOBAL FUNC
        BinaryPrimitives.WriteUInt16LittleEndian(symtab.AsSpan(24 + 6), 1);    // in .text
        BinaryPrimitives.WriteUInt64LittleEndian(symtab.AsSpan(24 + 16), 16);  // size
        var rel = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(rel, 8);
        BinaryPrimitives.WriteUInt64LittleEndian(rel.AsSpan(8), (1UL << 32) | 1);

        var sections = new List<(uint Name, uint Type, ulong Flags, byte[] Data, uint Link, uint Info, ulong EntSize)>
        {
            (0, 0, 0, [], 0, 0, 0),
            (Name(".text"), 1, 6, text, 0, 0, 0),
            (Name(".BTF"), 1, 0, btf, 0, 0, 0),
            (Name(".strtab"), 3, 0, strtab, 0, 0, 0),
            (Name(".symtab"), 2, 0, symtab, 3, 1, 24),
            (Name(".rel.text"), 9, 0, rel, 4, 1, 16),
        };
        var shstrName = Name(".shstrtab");
        sections.Add((shstrName, 3, 0, [.. shstr], 0, 0, 0));

        var data = new List<byte>(new byte[64]);
        var offsets = new List<ulong>();
        foreach (var s in sections)
        {
            while (data.Count % 8 != 0)
            {
                data.Add(0);
            }

            offsets.Add((ulong)data.Count);
            data.AddRange(s.Data);
        }

        while (data.Count % 8 != 0)
        {
            data.Add(0);
        }

        var shoff = (ulong)data.Count;
        var file = new byte[data.Count + (sections.Count * 64)];
        data.CopyTo(file);
        ((ReadOnlySpan<byte>)[0x7f, (byte)'E', (byte)'L', (byte)'F']).CopyTo(file);
        file[4] = 2;
        file[5] = 1;
        file[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(16), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(18), 247);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(40), shoff);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(52), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(58), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(60), (ushort)sections.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(62), (ushort)(sections.Count - 1));
        for (var i = 0; i < sections.Count; i++)
        {
            var h = file.AsSpan((int)shoff + (i * 64), 64);
            var s = sections[i];
            BinaryPrimitives.WriteUInt32LittleEndian(h, s.Name);
            BinaryPrimitives.WriteUInt32LittleEndian(h[4..], s.Type);
            BinaryPrimitives.WriteUInt64LittleEndian(h[8..], s.Flags);
            BinaryPrimitives.WriteUInt64LittleEndian(h[24..], i == 0 ? 0 : offsets[i]);
            BinaryPrimitives.WriteUInt64LittleEndian(h[32..], (ulong)s.Data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(h[40..], s.Link);
            BinaryPrimitives.WriteUInt32LittleEndian(h[44..], s.Info);
            BinaryPrimitives.WriteUInt64LittleEndian(h[48..], 8);
            BinaryPrimitives.WriteUInt64LittleEndian(h[56..], s.EntSize);
        }

        return file;
    }
}
