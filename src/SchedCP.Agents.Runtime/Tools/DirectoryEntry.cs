namespace SchedCP.Agents.Runtime.Tools;

/// <summary>One entry of a directory listing.</summary>
/// <param name="Path">Relative to the workspace root.</param>
/// <param name="IsDirectory">Whether it is a directory.</param>
/// <param name="Length">The file length in bytes; 0 for directories.</param>
public sealed record DirectoryEntry(string Path, bool IsDirectory, long Length);
