using System.Security.Cryptography;

namespace SchedCP.Verifier.Tokens;

/// <summary>
/// What a deployment token says: this object (by SHA-256), with these parameters, passed these stages, may be deployed
/// on this host, once, until this time. The encoded form is a compact JWS (RFC 7515) signed with ES256 (ECDSA P-256,
/// SHA-256, low-S): <c>base64url(header).base64url(claims).base64url(r || s)</c>, with the header
/// <c>{"alg":"ES256","typ":"schedcp-deploy+jwt","kid":...}</c> and the claims <c>jti</c>, <c>iss</c>, <c>host</c>,
/// <c>pol</c>, <c>obj</c>, <c>src</c>, <c>prm</c>, <c>vrd</c>, <c>iat</c>, <c>nbf</c> and <c>exp</c> (see <see cref="DeploymentTokenValidator"/>).
/// </summary>
/// <param name="TokenId">A random id (<c>jti</c>): a token is spent the first time it deploys.</param>
/// <param name="PolicyName">The policy.</param>
/// <param name="ObjectSha256">The SHA-256 of the verified object (lower-case hex).</param>
/// <param name="SourceSha256">The SHA-256 of its source, when verified from source.</param>
/// <param name="Parameters">The parameters it was verified with, sorted by name.</param>
/// <param name="VerdictSummary">The stages and their outcomes (<c>compile:pass static:pass ...</c>).</param>
/// <param name="HostId">The host it may be deployed on.</param>
/// <param name="IssuedAt">When it was issued (<c>iat</c>, also <c>nbf</c>).</param>
/// <param name="ExpiresAt">When it stops being valid (<c>exp</c>).</param>
/// <param name="KeyId">The SHA-256 (first 16 hex digits) of the signing key's public key (<c>kid</c>).</param>
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
    /// <summary>The JWS <c>alg</c> every token carries: ECDSA P-256 with SHA-256.</summary>
    public const string Algorithm = "ES256";

    /// <summary>The JWS <c>typ</c> every token carries.</summary>
    public const string MediaType = "schedcp-deploy+jwt";

    /// <summary>The <c>iss</c> claim every token carries.</summary>
    public const string Issuer = "schedcp-verifier";

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

    /// <inheritdoc />
    public override string ToString() => $"DeploymentToken({TokenId}, {PolicyName}, host {HostId}, until {ExpiresAt:O})";
}
