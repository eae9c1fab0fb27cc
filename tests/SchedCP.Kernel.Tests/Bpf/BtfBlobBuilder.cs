using System.Buffers.Binary;
using System.Text;
using SchedCP.Kernel.Bpf.Btf;

namespace SchedCP.Kernel.Tests.Bpf;

/// <summary>Writes raw BTF by hand, record by record, as btf.rst lays it out.</summary>
internal sealed class BtfBlobBuilder
{
    private readonly List<byte> _strings = [0];
    private readonly Dictionary<string, uint> _offsets = new(StringComparer.Ordinal) { [""] = 0 };
    private readonly List<uint> _words = [];
    private int _nextId = 1;

    public uint Str(string s)
    {
        if (!_offsets.TryGetValue(s, out var off))
        {
            off = (uint)_strings.Count;
            _strings.AddRange(Encoding.UTF8.GetBytes(s));
            _strings.Add(0);
            _offsets[s] = off;
        }

        return off;
    }

    public int Add(BtfKind kind, string name, int vlen, bool kindFlag, uint sizeOrType, params uint[] extra)
    {
        _words.Add(Str(name));
        _words.Add(((uint)kind << 24) | (uint)vlen | (kindFlag ? 1u << 31 : 0));
        _words.Add(sizeOrType);
        _words.AddRange(extra);
        return _nextId++;
    }

    public byte[] Build()
    {
        var types = _words.Count * 4;
        var blob = new byte[24 + types + _strings.Count];
        BinaryPrimitives.WriteUInt16LittleEndian(blob, BtfSpec.Magic);
        blob[2] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), 24);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), (uint)types);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(16), (uint)types);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(20), (uint)_strings.Count);
        for (var i = 0; i < _words.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(24 + (i * 4)), _words[i]);
        }

        _strings.CopyTo(blob, 24 + types);
        return blob;
    }

    /// <summary>One type of every kind, ids 1 to 19 in kind order.</summary>
    public static byte[] AllKinds()
    {
        var b = new BtfBlobBuilder();
        b.Add(BtfKind.Int, "int", 0, false, 4, (1u << 24) | 32);                          // 1
        b.Add(BtfKind.Ptr, "", 0, false, 1);                                               // 2
        b.Add(BtfKind.Array, "", 0, false, 0, 1, 1, 16);                                   // 3
        b.Add(BtfKind.Struct, "point", 2, true, 8, b.Str("x"), 1, 0, b.Str("y"), 1, (3u << 24) | 32); // 4
        b.Add(BtfKind.Union, "u", 1, false, 4, b.Str("a"), 1, 0);                          // 5
        b.Add(BtfKind.Enum, "color", 2, true, 4, b.Str("RED"), unchecked((uint)-1), b.Str("GREEN"), 2); // 6
        b.Add(BtfKind.Fwd, "later", 0, true, 0);                                           // 7
        b.Add(BtfKind.Typedef, "int_t", 0, false, 1);                                      // 8
        b.Add(BtfKind.Volatile, "", 0, false, 8);                                          // 9
        b.Add(BtfKind.Const, "", 0, false, 9);                                             // 10
        b.Add(BtfKind.Restrict, "", 0, false, 2);                                          // 11
        b.Add(BtfKind.FuncProto, "", 2, false, 1, b.Str("a"), 1, 0, 0);                    // 12
        b.Add(BtfKind.Func, "f", 1, false, 12);                                            // 13
        b.Add(BtfKind.Var, "v", 0, false, 10, 1);                                          // 14
        b.Add(BtfKind.DataSec, ".data", 1, false, 4, 14, 0, 4);                            // 15
        b.Add(BtfKind.Float, "double", 0, false, 8);                                       // 16
        b.Add(BtfKind.DeclTag, "tag", 0, false, 4, 1);                                     // 17
        b.Add(BtfKind.TypeTag, "user", 0, false, 1);                                       // 18
        b.Add(BtfKind.Enum64, "big", 1, false, 8, b.Str("HUGE"), 2, 1);                    // 19
        return b.Build();
    }
}
