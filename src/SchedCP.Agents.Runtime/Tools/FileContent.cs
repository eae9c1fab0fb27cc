namespace SchedCP.Agents.Runtime.Tools;

/// <summary>A file read through the tool host.</summary>
/// <param name="Path">The file, relative to the workspace root.</param>
/// <param name="Content">Its text.</param>
public sealed record FileContent(string Path, string Content);
