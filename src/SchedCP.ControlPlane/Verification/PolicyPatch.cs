using SchedCP.Core.Diffs;

namespace SchedCP.ControlPlane.Verification;

/// <summary>The outcome of applying a unified diff to a policy's source: the new text, or why it does not apply (hunk and line).</summary>
/// <param name="Text">The patched text, or null when the diff did not apply.</param>
/// <param name="Problem">What was wrong and what to do, or null.</param>
/// <param name="HunksApplied">How many hunks applied.</param>
public sealed record DiffApplication(string? Text, string? Problem, int HunksApplied)
{
    /// <summary>True when every hunk applied.</summary>
    public bool Applied => Text is not null;
}

/// <summary>
/// Applies a revision's diff to the source of the policy it revises, with <see cref="DiffMatching.Nearby"/>: a model's
/// miscounted hunk header still applies when its lines are right. The diff patches that one source; a failure says
/// where to read it to diff against it again.
/// </summary>
public static class PolicyPatch
{
    private const string Remedy = "A revision patches only the policy's own source: diff that one file against its current text exactly (get_policy with includeSource=true; schedcp show POLICY --source).";

    /// <summary>Applies <paramref name="diff"/> to <paramref name="source"/>.</summary>
    /// <param name="source">The parent policy's source.</param>
    /// <param name="diff">The unified diff (file headers optional, one file).</param>
    /// <returns>The new source, or the problem with the hunk and line.</returns>
    public static DiffApplication Apply(string source, string diff)
    {
        ArgumentNullException.ThrowIfNull(source);
        return UnifiedDiff.Apply(source, diff ?? string.Empty, DiffMatching.Nearby).TryGetValue(out var patched, out var failure)
            ? new DiffApplication(patched.Text, null, patched.Hunks)
            : new DiffApplication(null, $"{failure.Message} {Remedy}", failure.HunksApplied);
    }
}
