using System.Diagnostics.CodeAnalysis;

namespace SchedCP.Repository;

/// <summary>The type of a policy parameter; decides how a value is parsed, checked and rendered.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The schema types are named as in JSON Schema and the scx metadata.")]
public enum ParameterType
{
    /// <summary>A whole number within <see cref="ParameterSchema.Minimum"/>..<see cref="ParameterSchema.Maximum"/>.</summary>
    Integer,

    /// <summary>A finite real number within the range.</summary>
    Float,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>Text constrained by <see cref="ParameterSchema.Pattern"/> and <see cref="ParameterSchema.MaxLength"/>; never free text.</summary>
    String,

    /// <summary>One of <see cref="ParameterSchema.AllowedValues"/>.</summary>
    Enum,

    /// <summary>A CPU set: a hex mask (<c>0xff</c>), a CPU list (<c>0-3,8</c>) or one of <see cref="ParameterSchema.AllowedValues"/> (keywords such as <c>auto</c>).</summary>
    CpuMask,

    /// <summary>A time span in <see cref="ParameterSchema.Unit"/>; accepts a bare number in that unit or a suffixed one (<c>5ms</c>).</summary>
    Duration,
}
