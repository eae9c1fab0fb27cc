using System.Buffers.Binary;

namespace SchedCP.Kernel.Bpf.Btf;

/// <summary>
/// A view of one type in a <see cref="BtfSpec"/>: its id, kind, name and the kind-specific data that follows it. Cheap
/// to copy; lists are decoded on access. Accessors that do not apply to the kind return empty values.
/// </summary>
internal readonly struct BtfType : IEquatable<BtfType>
{
    private const int TypeRecordSize = 12;
    private readonly BtfSpec _spec;
    private readonly int _offset;

    internal BtfType(BtfSpec spec, int id, int offset)
    {
        _spec = spec;
        Id = id;
        _offset = offset;
    }

    /// <summary>The type id (0 is void).</summary>
    public int Id { get; }

    /// <summary>The kind.</summary>
    public BtfKind Kind => Id == 0 ? BtfKind.Void : (BtfKind)((Info >> 24) & 0x1f);

    /// <summary>The name; empty for anonymous types and void.</summary>
    public string Name => Id == 0 ? "" : _spec.GetString(Word(0));

    /// <summary>The count of members, enumerators, parameters or section variables (for a function: its linkage).</summary>
    public int Vlen => (int)(Info & 0xffff);

    /// <summary>The kind flag: bitfield members for structs/unions, union for fwd, signed values for enums.</summary>
    public bool KindFlag => (Info >> 31) != 0;

    /// <summary>The size in bytes for Int, Struct, Union, Enum, Enum64, DataSec and Float; 0 for other kinds.</summary>
    public uint Size => Kind is BtfKind.Int or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64 or BtfKind.DataSec or BtfKind.Float ? Word(2) : 0;

    /// <summary>
    /// The type this one refers to for Ptr, Typedef, Volatile, Const, Restrict, Func, FuncProto (return type), Var,
    /// DeclTag and TypeTag; 0 for other kinds.
    /// </summary>
    public int ReferencedTypeId => Kind is BtfKind.Ptr or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
        or BtfKind.Func or BtfKind.FuncProto or BtfKind.Var or BtfKind.DeclTag or BtfKind.TypeTag ? (int)Word(2) : 0;

    /// <summary>The linkage of a Func (0 static, 1 global, 2 extern) or Var (0 static, 1 global, 2 extern); 0 otherwise.</summary>
    public int Linkage => Kind switch
    {
        BtfKind.Func => Vlen,
        BtfKind.Var => (int)Word(3),
        _ => 0,
    };

    /// <summary>For a DeclTag: the member or parameter index it applies to, or -1 for the whole declaration.</summary>
    public int DeclTagComponentIndex => Kind == BtfKind.DeclTag ? (int)Word(3) : -1;

    /// <summary>The integer encoding of an Int.</summary>
    public BtfIntInfo IntInfo
    {
        get
        {
            if (Kind != BtfKind.Int)
            {
                return default;
            }

            var v = Word(3);
            var encoding = (v >> 24) & 0xf;
            return new BtfIntInfo((encoding & 1) != 0, (encoding & 2) != 0, (encoding & 4) != 0, (int)((v >> 16) & 0xff), (int)(v & 0xff));
        }
    }

    /// <summary>The element type, index type and length of an Array.</summary>
    public BtfArrayInfo Array => Kind == BtfKind.Array ? new BtfArrayInfo((int)Word(3), (int)Word(4), Word(5)) : default;

    /// <summary>The members of a Struct or Union, in declaration order.</summary>
    public IReadOnlyList<BtfMember> Members
    {
        get
        {
            if (Kind is not (BtfKind.Struct or BtfKind.Union))
            {
                return [];
            }

            var bitfields = KindFlag;
            var members = new BtfMember[Vlen];
            for (var i = 0; i < members.Length; i++)
            {
                var offset = Word(3 + (i * 3) + 2);
                members[i] = new BtfMember(
                    _spec.GetString(Word(3 + (i * 3))),
                    (int)Word(3 + (i * 3) + 1),
                    bitfields ? offset & 0xffffff : offset,
                    bitfields ? offset >> 24 : 0);
            }

            return members;
        }
    }

    /// <summary>The enumerators of an Enum or Enum64.</summary>
    public IReadOnlyList<BtfEnumValue> EnumValues
    {
        get
        {
            var signed = KindFlag;
            if (Kind == BtfKind.Enum)
            {
                var values = new BtfEnumValue[Vlen];
                for (var i = 0; i < values.Length; i++)
                {
                    var raw = Word(3 + (i * 2) + 1);
                    values[i] = new BtfEnumValue(_spec.GetString(Word(3 + (i * 2))), signed ? (int)raw : raw);
                }

                return values;
            }

            if (Kind == BtfKind.Enum64)
            {
                var values = new BtfEnumValue[Vlen];
                for (var i = 0; i < values.Length; i++)
                {
                    var value = ((ulong)Word(3 + (i * 3) + 2) << 32) | Word(3 + (i * 3) + 1);
                    values[i] = new BtfEnumValue(_spec.GetString(Word(3 + (i * 3))), unchecked((long)value));
                }

                return values;
            }

            return [];
        }
    }

    /// <summary>The parameters of a FuncProto.</summary>
    public IReadOnlyList<BtfParam> Parameters
    {
        get
        {
            if (Kind != BtfKind.FuncProto)
            {
                return [];
            }

            var parameters = new BtfParam[Vlen];
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i] = new BtfParam(_spec.GetString(Word(3 + (i * 2))), (int)Word(3 + (i * 2) + 1));
            }

            return parameters;
        }
    }

    /// <summary>The variables of a DataSec.</summary>
    public IReadOnlyList<BtfSectionVariable> SectionVariables
    {
        get
        {
            if (Kind != BtfKind.DataSec)
            {
                return [];
            }

            var vars = new BtfSectionVariable[Vlen];
            for (var i = 0; i < vars.Length; i++)
            {
                vars[i] = new BtfSectionVariable((int)Word(3 + (i * 3)), Word(3 + (i * 3) + 1), Word(3 + (i * 3) + 2));
            }

            return vars;
        }
    }

    /// <summary>A member of a Struct or Union by name, or null.</summary>
    /// <param name="name">The member name.</param>
    public BtfMember? FindMember(string name)
    {
        foreach (var m in Members)
        {
            if (m.Name == name)
            {
                return m;
            }
        }

        return null;
    }

    private uint Info => Word(1);

    // Offsets were validated when the spec was parsed: every word of a record lies inside the type section.
    private uint Word(int index) => Id == 0 && index < 3 ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(_spec.TypeSection.Slice(_offset + (index * 4), 4));

    /// <inheritdoc />
    public bool Equals(BtfType other) => ReferenceEquals(_spec, other._spec) && Id == other.Id;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is BtfType other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Id;

    /// <summary>Compares two views.</summary>
    public static bool operator ==(BtfType left, BtfType right) => left.Equals(right);

    /// <summary>Compares two views.</summary>
    public static bool operator !=(BtfType left, BtfType right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => $"[{Id}] {Kind} '{Name}'";

    internal static int ExtraBytes(BtfKind kind, int vlen) => kind switch
    {
        BtfKind.Int or BtfKind.Var or BtfKind.DeclTag => 4,
        BtfKind.Array => 12,
        BtfKind.Struct or BtfKind.Union or BtfKind.DataSec or BtfKind.Enum64 => 12 * vlen,
        BtfKind.Enum or BtfKind.FuncProto => 8 * vlen,
        _ => 0,
    };

    internal static int RecordSize(BtfKind kind, int vlen) => TypeRecordSize + ExtraBytes(kind, vlen);
}
