namespace SchedCP.Agents.Runtime.Artifacts;

/// <summary>One applied change to one file, with the diff artifact recorded before it was applied.</summary>
/// <param name="Path">The file, relative to the workspace root.</param>
/// <param name="Before">The content before, or null when the file was created.</param>
/// <param name="After">The content after.</param>
/// <param name="Diff">The unified diff from <paramref name="Before"/> to <paramref name="After"/>.</param>
/// <param name="DiffArtifactId">The diff artifact.</param>
/// <param name="FencingToken">The token the writer presented.</param>
public sealed record FileChange(string Path, string? Before, string After, string Diff, ArtifactId DiffArtifactId, long FencingToken);
