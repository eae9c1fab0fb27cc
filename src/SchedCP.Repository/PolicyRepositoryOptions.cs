using System.ComponentModel.DataAnnotations;

namespace SchedCP.Repository;

/// <summary>Options of the policy repository, bound through <c>IOptions&lt;PolicyRepositoryOptions&gt;</c> and validated when first used.</summary>
public sealed class PolicyRepositoryOptions
{
    /// <summary>Path of the SQLite database file; created when missing. Default <c>schedcp-repository.db</c> in the working directory.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "PolicyRepositoryOptions.DatabasePath is required: set it to the SQLite file to use.")]
    public string DatabasePath { get; set; } = "schedcp-repository.db";

    /// <summary>How long a writer waits for another process's write lock before failing, in milliseconds. Default 5000.</summary>
    [Range(1, 600_000, ErrorMessage = "PolicyRepositoryOptions.BusyTimeoutMilliseconds must be between 1 and 600000.")]
    public int BusyTimeoutMilliseconds { get; set; } = 5000;

    /// <summary>
    /// Whether every commit is flushed to disk before it returns (SQLite <c>synchronous=FULL</c>), so a commit survives a
    /// power loss, not only a crash of the process. Default <see langword="true"/>.
    /// </summary>
    public bool FlushEveryCommit { get; set; } = true;

    /// <summary>Whether the built-in catalog is written into the store at start-up (entries whose version changed are replaced). Default <see langword="true"/>.</summary>
    public bool SeedBuiltInCatalog { get; set; } = true;

    /// <summary>How many results a search returns when the query does not say. Default 5.</summary>
    [Range(1, 100, ErrorMessage = "PolicyRepositoryOptions.DefaultSearchLimit must be between 1 and 100.")]
    public int DefaultSearchLimit { get; set; } = 5;

    /// <summary>The <c>k</c> constant of reciprocal rank fusion between BM25 and embedding rankings. Default 60.</summary>
    [Range(1, 1000, ErrorMessage = "PolicyRepositoryOptions.FusionK must be between 1 and 1000.")]
    public int FusionK { get; set; } = 60;
}
