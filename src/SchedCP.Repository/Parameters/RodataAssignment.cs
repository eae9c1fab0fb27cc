namespace SchedCP.Repository;

/// <summary>A value to write into a BPF object's <c>.rodata</c> variable before load.</summary>
/// <param name="Variable">The <c>const volatile</c> variable name.</param>
/// <param name="Type">Its C type.</param>
/// <param name="Value">The value as a decimal integer (booleans as 1 or 0).</param>
public sealed record RodataAssignment(string Variable, RodataType Type, string Value)
{
    /// <inheritdoc />
    public override string ToString() => $"{Variable}={Value}";
}
