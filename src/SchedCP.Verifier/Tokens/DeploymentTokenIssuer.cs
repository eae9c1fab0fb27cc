using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.Verifier.Tokens;

/// <summary>
/// Issues deployment tokens for candidates that passed every stage, signed with the verifier's private key
/// (ECDsa P-256, SHA-256).
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
        var now = _time.GetUtcNow();
        var token = new DeploymentToken(Guid.NewGuid().ToString("N"), policyName, objectSha256.ToLowerInvariant(), sourceSha256?.ToLowerInvariant(), parameters, verdictSummary, hostId ?? host.HostId, now, now + Lifetime, DeploymentToken.KeyIdOf(signingKey));
        var payload = token.ToPayload();
        var signature = signingKey.SignData(payload, HashAlgorithmName.SHA256);
        VerifierLog.TokenIssued(_logger, token.TokenId, policyName, token.HostId, token.ExpiresAt);
        return DeploymentToken.Encode(payload) + "." + DeploymentToken.Encode(signature);
    }
}
