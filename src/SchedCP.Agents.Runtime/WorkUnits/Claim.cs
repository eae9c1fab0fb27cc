namespace SchedCP.Agents.Runtime.WorkUnits;

/// <summary>A request for one work unit in one mode.</summary>
/// <param name="Unit">The work unit.</param>
/// <param name="Mode">Shared (read) or exclusive (write).</param>
public sealed record Claim(WorkUnit Unit, ClaimMode Mode)
{
    /// <summary>An exclusive (write) claim.</summary>
    /// <param name="unit">The work unit.</param>
    /// <returns>The claim.</returns>
    public static Claim Exclusive(WorkUnit unit) => new(unit, ClaimMode.Exclusive);

    /// <summary>A shared (read) claim.</summary>
    /// <param name="unit">The work unit.</param>
    /// <returns>The claim.</returns>
    public static Claim Shared(WorkUnit unit) => new(unit, ClaimMode.Shared);

    /// <summary>Whether this claim and <paramref name="other"/> cannot be held by different agents at once.</summary>
    /// <param name="other">The other claim.</param>
    /// <returns>True when the units overlap and at least one claim is exclusive.</returns>
    public bool ConflictsWith(Claim other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return (Mode == ClaimMode.Exclusive || other.Mode == ClaimMode.Exclusive) && Unit.Overlaps(other.Unit);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Mode.ToString().ToLowerInvariant()} {Unit}";
}
