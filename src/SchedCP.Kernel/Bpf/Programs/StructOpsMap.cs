using System.Buffers.Binary;
using System.Text;
using SchedCP.Kernel.Bpf.Btf;

namespace SchedCP.Kernel.Bpf.Programs;

/// <summary>
/// A struct_ops map of a BPF object (a variable in <c>.struct_ops.link</c> or <c>.struct_ops</c>, e.g. the
/// <c>struct sched_ext_ops</c> that <c>SCX_OPS_DEFINE</c> declares): its initial value and which callbacks point at which
/// programs.
/// </summary>
public sealed class StructOpsMap
{
    internal StructOpsMap(string name, string section, string typeName, ReadOnlyMemory<byte> data, IReadOnlyList<BtfMember> members, IReadOnlyDictionary<string, string> callbacks)
    {
        Name = name;
        Section = section;
        TypeName = typeName;
        Data = data;
        Members = members;
        Callbacks = callbacks;
    }

    /// <summary>The variable's name (<c>fifo_ops</c>).</summary>
    public string Name { get; }

    /// <summary>The section (<c>.struct_ops.link</c> for link-based attach).</summary>
    public string Section { get; }

    /// <summary>The struct type (<c>sched_ext_ops</c>), or empty when the object has no BTF for it.</summary>
    public string TypeName { get; }

    /// <summary>The initial value as written by the compiler.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The struct's members from the object's BTF.</summary>
    internal IReadOnlyList<BtfMember> Members { get; }

    /// <summary>Callback member name → the function symbol it points at (<c>enqueue</c> → <c>fifo_enqueue</c>).</summary>
    public IReadOnlyDictionary<string, string> Callbacks { get; }

    /// <summary>The byte offset of a member, or null when the struct has no such member.</summary>
    /// <param name="member">The member name.</param>
    public int? OffsetOf(string member)
    {
        foreach (var m in Members)
        {
            if (m.Name == member)
            {
                return (int)m.ByteOffset;
            }
        }

        return null;
    }

    /// <summary>Reads an unsigned 32-bit member (<c>timeout_ms</c>, <c>dispatch_max_batch</c>...).</summary>
    /// <param name="member">The member name.</param>
    public uint? ReadUInt32(string member) =>
        OffsetOf(member) is { } o && o + 4 <= Data.Length ? BinaryPrimitives.ReadUInt32LittleEndian(Data.Span[o..]) : null;

    /// <summary>Reads an unsigned 64-bit member (<c>flags</c>...).</summary>
    /// <param name="member">The member name.</param>
    public ulong? ReadUInt64(string member) =>
        OffsetOf(member) is { } o && o + 8 <= Data.Length ? BinaryPrimitives.ReadUInt64LittleEndian(Data.Span[o..]) : null;

    /// <summary>Reads a NUL-terminated character-array member (<c>name</c>), up to <paramref name="maxLength"/> bytes.</summary>
    /// <param name="member">The member name.</param>
    /// <param name="maxLength">The array's size.</param>
    public string? ReadString(string member, int maxLength)
    {
        if (OffsetOf(member) is not { } o || o >= Data.Length)
        {
            return null;
        }

        var bytes = Data.Span[o..Math.Min(Data.Length, o + maxLength)];
        var end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }
}
