namespace SchedCP.Repository;

/// <summary>Where a policy came from.</summary>
public enum PolicyOrigin
{
    /// <summary>Shipped in the package's built-in catalog.</summary>
    BuiltIn,

    /// <summary>Imported from a repository export.</summary>
    Imported,

    /// <summary>Written by an agent during an optimisation run.</summary>
    Generated,
}
