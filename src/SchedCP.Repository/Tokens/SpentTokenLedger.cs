using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SchedCP.Repository.Tokens;

/// <summary>The answer to <see cref="SpentTokenLedger.TrySpendAsync"/>.</summary>
/// <param name="Spent">True when this call spent the token; false when it had been spent before.</param>
/// <param name="TokenId">The token's id (<c>jti</c>).</param>
/// <param name="PreviouslySpentAt">When it was first spent, when <paramref name="Spent"/> is false.</param>
/// <param name="PreviousPolicy">The policy it was first spent for, when <paramref name="Spent"/> is false.</param>
/// <param name="PreviousOutcome">The outcome recorded for the first deployment, when known.</param>
public sealed record TokenSpend(bool Spent, string TokenId, DateTimeOffset? PreviouslySpentAt, string? PreviousPolicy, string? PreviousOutcome)
{
    /// <summary>A sentence for the user when the token was already spent.</summary>
    public string Reason => Spent
        ? "The token is spent now."
        : $"The deployment token {TokenId} was already used at {PreviouslySpentAt:O} to deploy '{PreviousPolicy}' ({PreviousOutcome ?? "no outcome recorded"}); a token deploys once.";

    /// <summary>What to do when the token was already spent.</summary>
    public string Remedy => Spent ? "" : "Verify the candidate again for a fresh token.";
}

/// <summary>One row of the ledger.</summary>
/// <param name="TokenId">The token's id.</param>
/// <param name="SpentAt">When it was spent.</param>
/// <param name="Policy">The policy it deployed.</param>
/// <param name="Outcome">What the deployment did (<c>pending</c> until recorded).</param>
public sealed record SpentToken(string TokenId, DateTimeOffset SpentAt, string Policy, string Outcome);

/// <summary>
/// The spent-token ledger: deployment tokens are single use, and this table in the repository's SQLite database records
/// each token id (<c>jti</c>) the first time it deploys, with the time, the policy and the deployment's outcome. Spending
/// is one <c>INSERT</c> on the primary key, so of two concurrent spends of one token (from any number of connections or
/// processes) exactly one wins. The table is created on first use and never touched by the policy store.
/// </summary>
/// <param name="databasePath">The repository's SQLite file.</param>
/// <param name="time">The clock; <see cref="TimeProvider.System"/> when null.</param>
public sealed class SpentTokenLedger(string databasePath, TimeProvider? time = null)
{
    private const string Schema = "CREATE TABLE IF NOT EXISTS spent_tokens(jti TEXT PRIMARY KEY NOT NULL, spent_at TEXT NOT NULL, policy TEXT NOT NULL, outcome TEXT NOT NULL);";
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = Path.GetFullPath(databasePath ?? throw new ArgumentNullException(nameof(databasePath))),
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = false,
        DefaultTimeout = 30,
    }.ToString();

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Spends a token: true for the first caller with this id, false (with the first spend) for every later one.</summary>
    /// <param name="tokenId">The token's id.</param>
    /// <param name="policy">The policy being deployed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether this call spent it.</returns>
    public Task<TokenSpend> TrySpendAsync(string tokenId, string policy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        ArgumentException.ThrowIfNullOrEmpty(policy);
        using var connection = Open(cancellationToken);
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO spent_tokens(jti, spent_at, policy, outcome) VALUES ($jti, $at, $policy, 'pending') ON CONFLICT(jti) DO NOTHING;";
            insert.Parameters.AddWithValue("$jti", tokenId);
            insert.Parameters.AddWithValue("$at", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$policy", policy);
            if (insert.ExecuteNonQuery() == 1)
            {
                return Task.FromResult(new TokenSpend(true, tokenId, null, null, null));
            }
        }

        var previous = Find(connection, tokenId);
        return Task.FromResult(new TokenSpend(false, tokenId, previous?.SpentAt, previous?.Policy, previous?.Outcome));
    }

    /// <summary>Records what the deployment a token was spent on did (e.g. <c>ok</c>, <c>error: sandbox</c>).</summary>
    /// <param name="tokenId">The token's id.</param>
    /// <param name="outcome">The outcome.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public Task RecordOutcomeAsync(string tokenId, string outcome, CancellationToken cancellationToken = default)
    {
        using var connection = Open(cancellationToken);
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE spent_tokens SET outcome = $outcome WHERE jti = $jti;";
        update.Parameters.AddWithValue("$jti", tokenId);
        update.Parameters.AddWithValue("$outcome", outcome);
        update.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    /// <summary>The ledger's row for a token, or null when it was never spent.</summary>
    /// <param name="tokenId">The token's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The row.</returns>
    public Task<SpentToken?> FindAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        using var connection = Open(cancellationToken);
        return Task.FromResult(Find(connection, tokenId));
    }

    private static SpentToken? Find(SqliteConnection connection, string tokenId)
    {
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT spent_at, policy, outcome FROM spent_tokens WHERE jti = $jti;";
        select.Parameters.AddWithValue("$jti", tokenId);
        using var reader = select.ExecuteReader();
        return reader.Read()
            ? new SpentToken(tokenId, DateTimeOffset.Parse(reader.GetString(0), CultureInfo.InvariantCulture), reader.GetString(1), reader.GetString(2))
            : null;
    }

    private SqliteConnection Open(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            connection.Open();
            using var schema = connection.CreateCommand();
            schema.CommandText = "PRAGMA busy_timeout=30000; " + Schema;
            schema.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
