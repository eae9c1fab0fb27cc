namespace SchedCP.Kernel.Bpf.Btf;

/// <summary>A member of a struct or union.</summary>
/// <param name="Name">The member name; empty for an anonymous struct or union member.</param>
/// <param name="TypeId">The member's type.</param>
/// <param name="BitOffset">Offset from the start of the struct, in bits.</param>
/// <param name="BitfieldSize">Width in bits for a bitfield, 0 otherwise.</param>
internal readonly record struct BtfMember(string Name, int TypeId, uint BitOffset, uint BitfieldSize)
{
    /// <summary>The byte offset (bit offset divided by 8, rounded down).</summary>
    public uint ByteOffset => BitOffset / 8;
}

/// <summary>An enumerator of an enum or enum64.</summary>
/// <param name="Name">The enumerator's name.</param>
/// <param name="Value">Its value (an unsigned 64-bit value above <see cref="long.MaxValue"/> appears as negative).</param>
internal readonly record struct BtfEnumValue(string Name, long Value);

/// <summary>A parameter of a function prototype.</summary>
/// <param name="Name">The parameter name; empty when unnamed.</param>
/// <param name="TypeId">The parameter type; 0 with an empty name for a trailing <c>...</c>.</param>
internal readonly record struct BtfParam(string Name, int TypeId);

/// <summary>A variable inside a data section.</summary>
/// <param name="TypeId">The <see cref="BtfKind.Var"/> (or <see cref="BtfKind.Func"/> for ksyms) type.</param>
/// <param name="Offset">Byte offset in the section.</param>
/// <param name="Size">Size in bytes.</param>
internal readonly record struct BtfSectionVariable(int TypeId, uint Offset, uint Size);

/// <summary>The extra word of an integer type.</summary>
/// <param name="IsSigned">BTF_INT_SIGNED.</param>
/// <param name="IsChar">BTF_INT_CHAR.</param>
/// <param name="IsBool">BTF_INT_BOOL.</param>
/// <param name="BitOffset">Bit offset of the value (0 in current compilers).</param>
/// <param name="Bits">Width in bits.</param>
internal readonly record struct BtfIntInfo(bool IsSigned, bool IsChar, bool IsBool, int BitOffset, int Bits);

/// <summary>The extra data of an array type.</summary>
/// <param name="ElementTypeId">The element type.</param>
/// <param name="IndexTypeId">The index type.</param>
/// <param name="Count">The number of elements.</param>
internal readonly record struct BtfArrayInfo(int ElementTypeId, int IndexTypeId, uint Count);
