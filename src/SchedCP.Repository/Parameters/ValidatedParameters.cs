namespace SchedCP.Repository;

/// <summary>
/// A parameter set that passed its schema: the canonical values and what to hand to the scheduler: an argument vector
/// for binaries or <c>.rodata</c> assignments for BPF objects. Only <see cref="ParameterValidator"/> creates these.
/// </summary>
public sealed record ValidatedParameters
{
    internal ValidatedParameters(string policyName, IReadOnlyDictionary<string, string> values, IReadOnlyList<string> arguments, IReadOnlyList<RodataAssignment> rodata)
    {
        PolicyName = policyName;
        Values = values;
        Arguments = arguments;
        Rodata = rodata;
    }

    /// <summary>The policy the parameters were checked against.</summary>
    public string PolicyName { get; }

    /// <summary>The canonical value of every parameter that was given, by name.</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary>The argument vector for a binary (without the program name); empty for BPF objects.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The <c>.rodata</c> assignments for a BPF object; empty for binaries.</summary>
    public IReadOnlyList<RodataAssignment> Rodata { get; }
}
