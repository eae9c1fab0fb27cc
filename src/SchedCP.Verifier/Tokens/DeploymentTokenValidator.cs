using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.Verifier.Tokens;

/// <summary>Why a token was refused.</summary>
public enum TokenRefusal
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>No token was given.</summary>
    Missing,

    /// <summary>Not a token (bad encoding or payload).</summary>
    Malformed,

    /// <summary>Signed by a key this host does not trust.</summary>
    ForeignKey,

    /// <summary>The signature does not match the payload: it was changed after signing.</summary>
    Tampered,

    /// <summary>Past its expiry.</summary>
    Expired,

    /// <summary>Issued in the future (clock skew or forgery).</summary>
    NotYetValid,

    /// <summary>Issued for another host.</summary>
    ForeignHost,

    /// <summary>Valid, but for another policy, object or parameters than the ones being deployed.</summary>
    ContentMismatch,

    /// <summary>The signature is not in canonical form (s above n/2, or r or s out of range): a malleated copy of a token.</summary>
    NonCanonicalSignature,

    /// <summary>The header names another algorithm or type than ES256 deployment tokens.</summary>
    WrongAlgorithm,

    /// <summary>The token has already been used for a deployment (see the repository's spent-token ledger).</summary>
    Spent,
}

/// <summary>The answer of the validator.</summary>
/// <param name="Refusal">Why it was refused, or <see cref="TokenRefusal.None"/>.</param>
/// <param name="Reason">A sentence for the user.</param>
/// <param name="Remedy">What to do.</param>
/// <param name="Token">The token's content when it could be read.</param>
public sealed record TokenValidation(TokenRefusal Refusal, string Reason, string Remedy, DeploymentToken? Token)
{
    /// <summary>True when the token was accepted.</summary>
    public bool IsValid => Refusal == TokenRefusal.None;
}

/// <summary>
/// Checks deployment tokens against the verifier's public key, this host's identity and the clock, and optionally
/// against the policy, object hash and parameters about to be deployed. Only compact ES256 JWS in canonical base64url
/// with a low-S signature, <c>typ</c> <see cref="DeploymentToken.MediaType"/> and every claim present is accepted; every
/// refusal is a <see cref="TokenValidation"/>, never an exception. Single use is the deployer's part: it spends the
/// token's <see cref="DeploymentToken.TokenId"/> in the repository's spent-token ledger.
/// </summary>
/// <param name="trustedKey">The verifier's public key.</param>
/// <param name="host">This host.</param>
/// <param name="time">The clock.</param>
/// <param name="logger">Logs refusals.</param>
public sealed class DeploymentTokenValidator(ECDsa trustedKey, IHostIdentity host, TimeProvider? time = null, ILogger<DeploymentTokenValidator>? logger = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly string _keyId = DeploymentToken.KeyIdOf(trustedKey);

    /// <summary>Tolerated clock difference between issuer and validator. Default 1 minute.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Validates an encoded token.</summary>
    /// <param name="encoded">The token.</param>
    /// <param name="policyName">When given, the token must be for this policy.</param>
    /// <param name="contentSha256">When given, the token's object or source hash must equal it.</param>
    /// <param name="parameters">When given, the token's parameters must equal them.</param>
    /// <returns>The validation.</returns>
    public TokenValidation Validate(string? encoded, string? policyName = null, string? contentSha256 = null, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var v = Check(encoded, policyName, contentSha256, parameters);
        if (!v.IsValid)
        {
            VerifierLog.TokenRefused(_logger, v.Refusal.ToString(), v.Reason);
        }

        return v;
    }

    private TokenValidation Check(string? encoded, string? policyName, string? contentSha256, IReadOnlyDictionary<string, string>? parameters)
    {
        if (string.IsNullOrWhiteSpace(encoded))
        {
            return Refuse(TokenRefusal.Missing, "No deployment token was given.", "Verify the candidate and deploy with the token the verifier issued.");
        }

        const string AsIssued = "Pass the token exactly as issued (compact ES256 JWS, unpadded base64url).";
        var parts = encoded.Split('.');
        if (parts.Length != 3 || encoded.Length > 16384)
        {
            return Refuse(TokenRefusal.Malformed, "The deployment token is not a compact JWS of three parts.", AsIssued);
        }

        var headerBytes = Jws.Decode(parts[0]);
        var claimBytes = Jws.Decode(parts[1]);
        var signature = Jws.Decode(parts[2]);
        if (headerBytes is null || claimBytes is null || signature is null)
        {
            return Refuse(TokenRefusal.Malformed, "The deployment token is not canonical base64url (padding, '+', '/', stray characters or non-zero trailing bits).", AsIssued);
        }

        using var header = Jws.ParseObject(headerBytes);
        using var claims = Jws.ParseObject(claimBytes);
        if (header is null || claims is null)
        {
            return Refuse(TokenRefusal.Malformed, "The deployment token's header or claims are not a JSON object with distinct names.", AsIssued);
        }

        if (Str(header.RootElement, "alg") != DeploymentToken.Algorithm || Str(header.RootElement, "typ") != DeploymentToken.MediaType)
        {
            return Refuse(TokenRefusal.WrongAlgorithm, $"The token's header must say alg {DeploymentToken.Algorithm} and typ {DeploymentToken.MediaType}.", "Use a token issued by the SchedCP verifier.");
        }

        if (Str(header.RootElement, "kid") is not { } kid)
        {
            return Refuse(TokenRefusal.Malformed, "The token's header has no key id (kid).", AsIssued);
        }

        if (!string.Equals(kid, _keyId, StringComparison.Ordinal))
        {
            return Refuse(TokenRefusal.ForeignKey, $"The token was signed by key {kid}, not by this verifier's key {_keyId}.", "Have this host's verifier verify the candidate and issue the token.");
        }

        if (!Jws.IsCanonicalSignature(signature))
        {
            return Refuse(TokenRefusal.NonCanonicalSignature, "The token's signature is not a canonical low-S ES256 signature: it was altered after signing.", "Discard it and verify the candidate again.");
        }

        if (!trustedKey.VerifyData(Jws.Utf8(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            return Refuse(TokenRefusal.Tampered, "The token's signature does not match its content: it was altered or forged.", "Discard it and verify the candidate again.");
        }

        if (Read(claims.RootElement, kid) is not { } token)
        {
            return Refuse(TokenRefusal.Malformed, "The token lacks a required claim (jti, iss, host, pol, obj, src, prm, vrd, iat, nbf, exp) or one has the wrong type.", AsIssued);
        }

        var now = _time.GetUtcNow();
        if (now >= token.ExpiresAt + ClockSkew)
        {
            return Refuse(TokenRefusal.Expired, $"The token expired at {token.ExpiresAt:O}.", "Verify the candidate again for a fresh token.", token);
        }

        var notBefore = DateTimeOffset.FromUnixTimeSeconds(claims.RootElement.GetProperty("nbf").GetInt64());
        if (token.IssuedAt > now + ClockSkew || notBefore > now + ClockSkew)
        {
            return Refuse(TokenRefusal.NotYetValid, $"The token is not valid before {notBefore:O} (issued {token.IssuedAt:O}).", "Check the clocks of the verifier and this host.", token);
        }

        if (!string.Equals(token.HostId, host.HostId, StringComparison.Ordinal))
        {
            return Refuse(TokenRefusal.ForeignHost, $"The token is for host {token.HostId}, not this host ({host.HostId}).", "Verify the candidate for this host.", token);
        }

        if (policyName is not null && !string.Equals(token.PolicyName, policyName, StringComparison.Ordinal))
        {
            return Refuse(TokenRefusal.ContentMismatch, $"The token is for policy '{token.PolicyName}', not '{policyName}'.", "Use the token issued for this policy.", token);
        }

        if (contentSha256 is not null && !string.Equals(contentSha256, token.ObjectSha256, StringComparison.OrdinalIgnoreCase) && !string.Equals(contentSha256, token.SourceSha256, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(TokenRefusal.ContentMismatch, "The token covers different code than the one being deployed.", "Verify the current build of the policy.", token);
        }

        if (parameters is not null && (parameters.Count != token.Parameters.Count || parameters.Any(kv => kv.Value is null || !token.Parameters.TryGetValue(kv.Key, out var v) || v != kv.Value)))
        {
            return Refuse(TokenRefusal.ContentMismatch, "The token was issued for other parameters.", "Verify the candidate with the parameters you deploy.", token);
        }

        return new TokenValidation(TokenRefusal.None, "The token is valid.", "", token);
    }

    // Every claim is required and typed; anything else (absent, null, wrong kind) reads as no token.
    private static DeploymentToken? Read(JsonElement c, string kid)
    {
        if (Str(c, "jti") is not { Length: > 0 } jti || Str(c, "iss") != DeploymentToken.Issuer || Str(c, "host") is not { Length: > 0 } hostId
            || Str(c, "pol") is not { Length: > 0 } policy || Str(c, "obj") is not { Length: 64 } obj || Str(c, "src") is not { } src
            || Str(c, "vrd") is not { } verdict || Seconds(c, "iat") is not { } iat || Seconds(c, "nbf") is null || Seconds(c, "exp") is not { } exp
            || !c.TryGetProperty("prm", out var prm) || prm.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in prm.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            parameters[p.Name] = p.Value.GetString()!;
        }

        return new DeploymentToken(jti, policy, obj, src.Length == 0 ? null : src, parameters, verdict, hostId, iat, exp, kid);
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static DateTimeOffset? Seconds(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var s) && s >= 0 && s < 253402300800L
            ? DateTimeOffset.FromUnixTimeSeconds(s)
            : null;

    private static TokenValidation Refuse(TokenRefusal refusal, string reason, string remedy, DeploymentToken? token = null) => new(refusal, reason, remedy, token);
}
