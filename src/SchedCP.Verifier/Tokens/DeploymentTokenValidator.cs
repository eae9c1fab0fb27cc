using System.Security.Cryptography;
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
/// against the policy, object hash and parameters about to be deployed.
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

        var parts = encoded.Split('.');
        var payload = parts.Length == 2 ? DeploymentToken.Decode(parts[0]) : null;
        var signature = parts.Length == 2 ? DeploymentToken.Decode(parts[1]) : null;
        var token = payload is null ? null : DeploymentToken.FromPayload(payload);
        if (payload is null || signature is null || token is null)
        {
            return Refuse(TokenRefusal.Malformed, "The deployment token cannot be read.", "Pass the token exactly as issued.");
        }

        if (!string.Equals(token.KeyId, _keyId, StringComparison.Ordinal))
        {
            return Refuse(TokenRefusal.ForeignKey, $"The token was signed by key {token.KeyId}, not by this verifier's key {_keyId}.", "Have this host's verifier verify the candidate and issue the token.", token);
        }

        if (!trustedKey.VerifyData(payload, signature, HashAlgorithmName.SHA256))
        {
            return Refuse(TokenRefusal.Tampered, "The token's signature does not match its content: it was altered or forged.", "Discard it and verify the candidate again.", token);
        }

        var now = _time.GetUtcNow();
        if (now > token.ExpiresAt + ClockSkew)
        {
            return Refuse(TokenRefusal.Expired, $"The token expired at {token.ExpiresAt:O}.", "Verify the candidate again for a fresh token.", token);
        }

        if (token.IssuedAt > now + ClockSkew)
        {
            return Refuse(TokenRefusal.NotYetValid, $"The token was issued in the future ({token.IssuedAt:O}).", "Check the clocks of the verifier and this host.", token);
        }

        if (!string.Equals(token.HostId, host.HostId, StringComparison.Ordinal))
        {
            return Refuse(TokenRefusal.ForeignHost, $"The token is for host {token.HostId}, not this host ({host.HostId}).", "Verify the candidate for this host.", token);
        }

        if (policyName is not null && token.PolicyName != policyName)
        {
            return Refuse(TokenRefusal.ContentMismatch, $"The token is for policy '{token.PolicyName}', not '{policyName}'.", "Use the token issued for this policy.", token);
        }

        if (contentSha256 is not null && !string.Equals(contentSha256, token.ObjectSha256, StringComparison.OrdinalIgnoreCase) && !string.Equals(contentSha256, token.SourceSha256, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(TokenRefusal.ContentMismatch, "The token covers different code than the one being deployed.", "Verify the current build of the policy.", token);
        }

        if (parameters is not null && (parameters.Count != token.Parameters.Count || parameters.Any(kv => !token.Parameters.TryGetValue(kv.Key, out var v) || v != kv.Value)))
        {
            return Refuse(TokenRefusal.ContentMismatch, "The token was issued for other parameters.", "Verify the candidate with the parameters you deploy.", token);
        }

        return new TokenValidation(TokenRefusal.None, "The token is valid.", "", token);
    }

    private static TokenValidation Refuse(TokenRefusal refusal, string reason, string remedy, DeploymentToken? token = null) => new(refusal, reason, remedy, token);
}
