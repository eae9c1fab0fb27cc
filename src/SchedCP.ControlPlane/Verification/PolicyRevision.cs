namespace SchedCP.ControlPlane.Verification;

/// <summary>
/// A revised scheduler: a unified diff against a repository policy's source, applied and verified like any new
/// source. The parent, the parent source's hash and the diff are kept so the revision can be reviewed and replayed.
/// </summary>
/// <param name="Parent">The policy the diff is against.</param>
/// <param name="ParentSha256">SHA-256 of the parent's source the diff was applied to.</param>
/// <param name="Diff">The unified diff as submitted.</param>
/// <param name="Source">The patched source.</param>
/// <param name="Verification">The verifier's report and, when it passed, the stored policy.</param>
/// <param name="PatchPath">Where the diff was written next to the source, or null when nothing was written.</param>
public sealed record PolicyRevision(string Parent, string ParentSha256, string Diff, string Source, SourceVerification Verification, string? PatchPath);
