using Microsoft.Extensions.Logging;

namespace SchedCP.Repository;

/// <summary>Source-generated log messages. Event ids: 1000-1099 storage, 1100-1199 promotion, 1200-1299 search, 1300-1399 history.</summary>
internal static partial class RepositoryLog
{
    [LoggerMessage(1000, LogLevel.Information, "Migrated policy store {Path} from schema version {From} to {To}")]
    public static partial void Migrated(ILogger logger, string path, int from, int to);

    [LoggerMessage(1001, LogLevel.Information, "Seeded {Count} built-in catalog policies into the store")]
    public static partial void Seeded(ILogger logger, int count);

    [LoggerMessage(1002, LogLevel.Information, "Imported {Policies} policies, {Profiles} profiles and {Runs} runs")]
    public static partial void Imported(ILogger logger, int policies, int profiles, int runs);

    [LoggerMessage(1100, LogLevel.Information, "Policy {Policy} moved from {From} to {To}: {Reason}")]
    public static partial void Transitioned(ILogger logger, string policy, PolicyLifecycle? from, PolicyLifecycle to, string reason);

    [LoggerMessage(1101, LogLevel.Warning, "Refused to promote {Policy}: {Reason}")]
    public static partial void PromotionRefused(ILogger logger, string policy, string reason);

    [LoggerMessage(1200, LogLevel.Debug, "Rebuilt the search index over {Count} policies at generation {Generation}")]
    public static partial void IndexRebuilt(ILogger logger, int count, long generation);

    [LoggerMessage(1201, LogLevel.Warning, "Embedding generation failed; searching with BM25 only")]
    public static partial void EmbeddingFailed(ILogger logger, Exception exception);

    [LoggerMessage(1300, LogLevel.Debug, "Recorded {Count} runs for workload {Fingerprint}")]
    public static partial void RunsRecorded(ILogger logger, int count, string fingerprint);
}
