using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.Verifier.Tokens;

/// <summary>
/// Issues deployment tokens for candidates that passed every stage, signed with the verifier's private key
/// as compact ES256 JWS (ECDSA P-256, SHA-256, low-S). Use a persistent key (<see cref="SigningKeyStore"/>)
/// whenever a token outlives the process that issued it.
/// </summary>
/// <param name="signingKey">The private key.</param>
/// <param name="host">The host the tokens are for, unless an issue call names another.</param>
/// <param name="time">The clock for issue and expiry times.</param>
/// <param name="logger">Logs each token issued.</param>
public sealed class DeploymentTokenIssuer(ECDsa signingKey, IHostIdentity host, TimeProvider? time = null, ILogger<DeploymentTokenIssuer>? logger = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>How long a token is valid. Default 1 hour.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Issues a token for a report that passed, over the object's hash.</summary>
    /// <param name="report">A passing verification report with an object.</param>
    /// <param name="hostId">The target host; default this issuer's host.</param>
    /// <returns>The encoded token.</returns>
    /// <exception cref="InvalidOperationException">The report did not pass or has no object (a caller bug: tokens are only for verified candidates).</exception>
    public string Issue(VerificationReport report, string? hostId = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!report.Passed || report.ObjectPath is null)
        {
            throw new InvalidOperationException($"'{report.Candidate.Name}' did not pass verification ({report.FailedStage?.Stage ?? "no stage"}); no deployment token is issued.");
        }

        var source = report.Candidate.SourcePath is { } s && File.Exists(s) ? DeploymentToken.Sha256OfFile(s) : null;
        return Issue(report.Candidate.Name, DeploymentToken.Sha256OfFile(report.ObjectPath), source, report.Candidate.Parameters, report.Summary, hostId);
    }

    /// <summary>Issues a token from its parts.</summary>
    /// <param name="policyName">The policy.</param>
    /// <param name="objectSha256">The object's SHA-256 (hex).</param>
    /// <param name="sourceSha256">The source's SHA-256, if any.</param>
    /// <param name="parameters">The verified parameters.</param>
    /// <param name="verdictSummary">The verdict summary.</param>
    /// <param name="hostId">The target host; default this issuer's host.</param>
    /// <returns>The encoded token.</returns>
    public string Issue(string policyName, string objectSha256, string? sourceSha256, IReadOnlyDictionary<string, string> parameters, string verdictSummary, string? hostId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(policyName);
        ArgumentException.ThrowIfNullOrEmpty(objectSha256);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(verdictSummary);
        // JWT NumericDate has whole seconds; the token carries exactly what the record says.
        var now = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds());
        var token = new DeploymentToken(Guid.NewGuid().ToString("N"), policyName, objectSha256.ToLowerInvariant(), sourceSha256?.ToLowerInvariant(),
            new SortedDictionary<string, string>(parameters.ToDictionary(), StringComparer.Ordinal), verdictSummary, hostId ?? host.HostId, now, now + Lifetime, DeploymentToken.KeyIdOf(signingKey));
        var header = Jws.Encode(Json(w =>
        {
            w.WriteString("alg", DeploymentToken.Algorithm);
            w.WriteString("typ", DeploymentToken.MediaType);
            w.WriteString("kid", token.KeyId);
        }));
        var claims = Jws.Encode(Json(w =>
        {
            w.WriteString("jti", token.TokenId);
            w.WriteString("iss", DeploymentToken.Issuer);
            w.WriteString("host", token.HostId);
            w.WriteString("pol", token.PolicyName);
            w.WriteString("obj", token.ObjectSha256);
            w.WriteString("src", token.SourceSha256 ?? "");
            w.WriteStartObject("prm");
            foreach (var (k, v) in token.Parameters)
            {
                w.WriteString(k, v);
            }

            w.WriteEndObject();
            w.WriteString("vrd", token.VerdictSummary);
            w.WriteNumber("iat", token.IssuedAt.ToUnixTimeSeconds());
            w.WriteNumber("nbf", token.IssuedAt.ToUnixTimeSeconds());
            w.WriteNumber("exp", token.ExpiresAt.ToUnixTimeSeconds());
        }));
        var signingInput = header + "." + claims;
        var signature = Jws.SignLowS(signingKey, Jws.Utf8(signingInput));
        VerifierLog.TokenIssued(_logger, token.TokenId, policyName, token.HostId, token.ExpiresAt);
        return signingInput + "." + Jws.Encode(signature);
    }

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
