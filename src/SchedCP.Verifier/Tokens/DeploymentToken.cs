using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SchedCP.Verifier.Tokens;

/// <summary>
/// What a deployment token says: this object (by SHA-256), with these parameters, passed these stages, may be deployed
/// on this host until this time. Signed by the verifier's ECDsa P-256 key; the encoded form is
/// <c>base64url(payload JSON).base64url(signature)</c>.
/// </summary>
/// <param name="TokenId">A random id, recorded with the promotion.</param>
/// <param name="PolicyName">The policy.</param>
/// <param name="ObjectSha256">The SHA-256 of the verified object (lower-case hex).</param>
/// <param name="SourceSha256">The SHA-256 of its source, when verified from source.</param>
/// <param name="Parameters">The parameters it was verified with, sorted by name.</param>
/// <param name="VerdictSummary">The stages and their outcomes (<c>compile:pass static:pass ...</c>).</param>
/// <param name="HostId">The host it may be deployed on.</param>
/// <param name="IssuedAt">When it was issued.</param>
/// <param name="ExpiresAt">When it stops being valid.</param>
/// <param name="KeyId">The SHA-256 (first 16 hex digits) of the signing key's public key.</param>
public sealed record DeploymentToken(
    string TokenId,
    string PolicyName,
    string ObjectSha256,
    string? SourceSha256,
    IReadOnlyDictionary<string, string> Parameters,
    string VerdictSummary,
    string HostId,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    string KeyId)
{
    internal byte[] ToPayload() => JsonSerializer.SerializeToUtf8Bytes(this with { Parameters = new SortedDictionary<string, string>(Parameters.ToDictionary(), StringComparer.Ordinal) });

    internal static DeploymentToken? FromPayload(byte[] payload)
    {
        try
        {
            return JsonSerializer.Deserialize<DeploymentToken>(payload);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The key id of a public key: the first 16 hex digits of the SHA-256 of its SubjectPublicKeyInfo.</summary>
    /// <param name="key">The key.</param>
    public static string KeyIdOf(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
    }

    /// <summary>The SHA-256 of a file, lower-case hex.</summary>
    /// <param name="path">The file.</param>
    public static string Sha256OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    internal static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static byte[]? Decode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        s += (s.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        try
        {
            return Convert.FromBase64String(s);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"DeploymentToken({TokenId}, {PolicyName}, host {HostId}, until {ExpiresAt:O})";

    internal static string Utf8(byte[] b) => Encoding.UTF8.GetString(b);
}
