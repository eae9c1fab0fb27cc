namespace SchedCP.Repository;

/// <summary>A rejected candidate read back as a lesson: what it tried, and why the verifier refused it.</summary>
/// <param name="PolicyName">The rejected policy.</param>
/// <param name="Description">What the candidate set out to do.</param>
/// <param name="FailedVerdicts">The verdicts that failed, with their logs.</param>
/// <param name="SourceSha256">The hash of the rejected source, so the same code is recognised if submitted again.</param>
public sealed record Antipattern(string PolicyName, string Description, IReadOnlyList<VerifierVerdict> FailedVerdicts, string? SourceSha256);
