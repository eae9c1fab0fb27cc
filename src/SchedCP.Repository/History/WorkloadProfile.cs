namespace SchedCP.Repository;

/// <summary>
/// A workload the history is kept for, identified by a stable fingerprint of its normalised characteristics so the same
/// workload described twice lands on the same history.
/// </summary>
/// <param name="Fingerprint">The hash from <see cref="WorkloadFingerprint.Compute"/>.</param>
/// <param name="Description">A natural-language description (for example "CPU-intensive parallel compilation with short-lived processes").</param>
/// <param name="Characteristics">The characteristics the fingerprint was computed from (for example <c>kind=build</c>, <c>parallelism=172</c>).</param>
/// <param name="CreatedAt">When the profile was first recorded.</param>
public sealed record WorkloadProfile(string Fingerprint, string Description, IReadOnlyDictionary<string, string> Characteristics, DateTimeOffset CreatedAt)
{
    /// <summary>Creates a profile, computing its fingerprint from <paramref name="characteristics"/>.</summary>
    /// <param name="description">The description.</param>
    /// <param name="characteristics">The characteristics.</param>
    /// <param name="createdAt">When it was recorded.</param>
    /// <returns>The profile.</returns>
    public static WorkloadProfile Create(string description, IReadOnlyDictionary<string, string> characteristics, DateTimeOffset createdAt) =>
        new(WorkloadFingerprint.Compute(characteristics), description, WorkloadFingerprint.Normalize(characteristics), createdAt);
}
