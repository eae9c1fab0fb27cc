using Microsoft.Extensions.Logging;

namespace SchedCP.Verifier.Pipeline;

/// <summary>Source-generated log messages of the verifier (event ids 5000–5099 pipeline, 5100–5199 tokens).</summary>
internal static partial class VerifierLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Debug, Message = "Verifier stage {Stage} starting for {Candidate}")]
    public static partial void StageStarting(ILogger logger, string stage, string candidate);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Verifier stage {Stage} passed {Candidate} in {Milliseconds:F0} ms")]
    public static partial void StagePassed(ILogger logger, string stage, string candidate, double milliseconds);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Verifier stage {Stage} stopped {Candidate}: {Reason}")]
    public static partial void StageFailed(ILogger logger, string stage, string candidate, string reason);

    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Deployment token {TokenId} issued for {Policy} on host {Host}, valid until {Expires}")]
    public static partial void TokenIssued(ILogger logger, string tokenId, string policy, string host, DateTimeOffset expires);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Deployment token refused ({Refusal}): {Reason}")]
    public static partial void TokenRefused(ILogger logger, string refusal, string reason);
}
