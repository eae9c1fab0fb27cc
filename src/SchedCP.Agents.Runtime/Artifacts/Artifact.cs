using System.Security.Cryptography;
using System.Text;

namespace SchedCP.Agents.Runtime.Artifacts;

/// <summary>
/// An immutable, typed piece of output addressed by id: the only way agents pass information to each
/// other. Its id is a hash of everything but the time, so replays produce the same ids.
/// </summary>
/// <param name="Id">The content address.</param>
/// <param name="Kind">What it holds.</param>
/// <param name="ProducerId">The agent (or "runtime") that produced it.</param>
/// <param name="Subject">What it is about, e.g. a file path or a process resource; may be empty.</param>
/// <param name="MediaType">The media type of <paramref name="Content"/>, e.g. "text/x-diff".</param>
/// <param name="Content">The content.</param>
/// <param name="CreatedAt">When it was produced.</param>
public sealed record Artifact(ArtifactId Id, ArtifactKind Kind, string ProducerId, string Subject, string MediaType, string Content, DateTimeOffset CreatedAt)
{
    /// <summary>Creates an artifact and computes its id from its content.</summary>
    /// <param name="kind">What it holds.</param>
    /// <param name="producerId">Who produced it.</param>
    /// <param name="subject">What it is about.</param>
    /// <param name="mediaType">The media type.</param>
    /// <param name="content">The content.</param>
    /// <param name="createdAt">When.</param>
    /// <returns>The artifact.</returns>
    public static Artifact Create(ArtifactKind kind, string producerId, string subject, string mediaType, string content, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(content);
        var text = $"{kind}\n{producerId}\n{subject}\n{mediaType}\n{content}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return new Artifact(new ArtifactId("art-" + Convert.ToHexStringLower(hash, 0, 10)), kind, producerId, subject, mediaType, content, createdAt);
    }
}
