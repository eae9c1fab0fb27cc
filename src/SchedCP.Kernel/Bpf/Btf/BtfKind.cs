namespace SchedCP.Kernel.Bpf.Btf;

#pragma warning disable CA1720 // The names mirror BTF_KIND_* so that they read as the kernel's documentation does.

/// <summary>The kind of a BTF type (<c>BTF_KIND_*</c> in include/uapi/linux/btf.h).</summary>
internal enum BtfKind
{
    /// <summary>Type id 0: void.</summary>
    Void = 0,

    /// <summary>An integer; see <see cref="BtfType.IntInfo"/>.</summary>
    Int = 1,

    /// <summary>A pointer to <see cref="BtfType.ReferencedTypeId"/>.</summary>
    Ptr = 2,

    /// <summary>An array; see <see cref="BtfType.Array"/>.</summary>
    Array = 3,

    /// <summary>A struct; see <see cref="BtfType.Members"/>.</summary>
    Struct = 4,

    /// <summary>A union; see <see cref="BtfType.Members"/>.</summary>
    Union = 5,

    /// <summary>An enumeration with 32-bit values; see <see cref="BtfType.EnumValues"/>.</summary>
    Enum = 6,

    /// <summary>A forward declaration of a struct (or a union when <see cref="BtfType.KindFlag"/> is set).</summary>
    Fwd = 7,

    /// <summary>A typedef of <see cref="BtfType.ReferencedTypeId"/>.</summary>
    Typedef = 8,

    /// <summary>A volatile-qualified <see cref="BtfType.ReferencedTypeId"/>.</summary>
    Volatile = 9,

    /// <summary>A const-qualified <see cref="BtfType.ReferencedTypeId"/>.</summary>
    Const = 10,

    /// <summary>A restrict-qualified <see cref="BtfType.ReferencedTypeId"/>.</summary>
    Restrict = 11,

    /// <summary>A function; <see cref="BtfType.ReferencedTypeId"/> is its <see cref="FuncProto"/>, <see cref="BtfType.Linkage"/> its linkage.</summary>
    Func = 12,

    /// <summary>A function signature: return type in <see cref="BtfType.ReferencedTypeId"/>, <see cref="BtfType.Parameters"/>.</summary>
    FuncProto = 13,

    /// <summary>A variable of type <see cref="BtfType.ReferencedTypeId"/>.</summary>
    Var = 14,

    /// <summary>A data section and the variables in it; see <see cref="BtfType.SectionVariables"/>.</summary>
    DataSec = 15,

    /// <summary>A floating-point type of <see cref="BtfType.Size"/> bytes.</summary>
    Float = 16,

    /// <summary>A declaration tag on <see cref="BtfType.ReferencedTypeId"/> (or one of its members).</summary>
    DeclTag = 17,

    /// <summary>A type tag on <see cref="BtfType.ReferencedTypeId"/>.</summary>
    TypeTag = 18,

    /// <summary>An enumeration with 64-bit values; see <see cref="BtfType.EnumValues"/>.</summary>
    Enum64 = 19,
}
