namespace SchedCP.Core.Diffs;

/// <summary>The text a unified diff produced.</summary>
/// <param name="Text">The patched text.</param>
/// <param name="Hunks">How many hunks applied (all of them).</param>
public sealed record PatchedText(string Text, int Hunks);
