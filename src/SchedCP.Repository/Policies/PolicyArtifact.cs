namespace SchedCP.Repository;

/// <summary>
/// A file a policy is made of (BPF C source or a built object), identified by its content hash so that what was
/// verified is what gets deployed.
/// </summary>
/// <param name="RelativePath">Path relative to the repository root (for example <c>bpf/schedulers/fifo.bpf.c</c>), or <see langword="null"/> when the content is stored inline.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content, or <see langword="null"/> when the file is built on the host and not yet hashed.</param>
/// <param name="Content">The text, for generated sources kept in the repository; <see langword="null"/> for files that live in the tree.</param>
public sealed record PolicyArtifact(string? RelativePath = null, string? Sha256 = null, string? Content = null)
{
    /// <summary>Creates an inline text artifact and hashes it.</summary>
    /// <param name="content">The text (BPF C for a generated policy).</param>
    /// <param name="relativePath">An optional path the text would be written to.</param>
    /// <returns>The artifact.</returns>
    public static PolicyArtifact FromText(string content, string? relativePath = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new PolicyArtifact(relativePath, ContentHash.Of(content), content);
    }
}
