namespace SchedCP.Repository;

/// <summary>
/// Durable storage of policies, verdicts, lifecycle changes, workload profiles and runs. SQLite by default
/// (<see cref="SqlitePolicyStore"/>); a server database can implement the same contract. Every method that writes is
/// atomic: it commits completely or not at all.
/// </summary>
public interface IPolicyStore
{
    /// <summary>Creates or migrates the storage; called once before first use, safe to call again.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>A number that changes whenever a policy is written (by any process), so caches know when to refresh.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The generation.</returns>
    Task<long> GetPolicyGenerationAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads one policy.</summary>
    /// <param name="name">The policy name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The policy, or <see langword="null"/>.</returns>
    Task<SchedulerPolicy?> GetPolicyAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Reads every policy, ordered by name.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The policies.</returns>
    Task<IReadOnlyList<SchedulerPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces policies (catalog seeding, import), recording a transition for each new one.</summary>
    /// <param name="policies">The policies.</param>
    /// <param name="reason">Why they were written.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task UpsertPoliciesAsync(IReadOnlyList<SchedulerPolicy> policies, string reason, CancellationToken cancellationToken = default);

    /// <summary>Inserts a new policy with its verdicts, unless one with that name exists.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="verdicts">The verifier's verdicts so far.</param>
    /// <param name="reason">Why it was added.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the name is taken.</returns>
    Task<bool> TryInsertPolicyAsync(SchedulerPolicy policy, IReadOnlyList<VerifierVerdict> verdicts, string reason, CancellationToken cancellationToken = default);

    /// <summary>Moves a policy to <paramref name="transition"/>'s target state if it is still in its source state, adding verdicts, in one transaction.</summary>
    /// <param name="transition">The change.</param>
    /// <param name="verdicts">Verdicts to record with it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the policy is missing or no longer in <see cref="LifecycleTransition.From"/>.</returns>
    Task<bool> TryTransitionAsync(LifecycleTransition transition, IReadOnlyList<VerifierVerdict> verdicts, CancellationToken cancellationToken = default);

    /// <summary>Reads a policy's verdicts, oldest first.</summary>
    /// <param name="name">The policy name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The verdicts.</returns>
    Task<IReadOnlyList<VerifierVerdict>> GetVerdictsAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Reads a policy's lifecycle changes, oldest first.</summary>
    /// <param name="name">The policy name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The transitions.</returns>
    Task<IReadOnlyList<LifecycleTransition>> GetTransitionsAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Records a workload profile; an existing fingerprint keeps its first description.</summary>
    /// <param name="profile">The profile.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored profile.</returns>
    Task<WorkloadProfile> UpsertProfileAsync(WorkloadProfile profile, CancellationToken cancellationToken = default);

    /// <summary>Reads a workload profile.</summary>
    /// <param name="fingerprint">Its fingerprint.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The profile, or <see langword="null"/>.</returns>
    Task<WorkloadProfile?> GetProfileAsync(string fingerprint, CancellationToken cancellationToken = default);

    /// <summary>Appends runs in one transaction; a run id already stored is ignored.</summary>
    /// <param name="runs">The runs; their profiles must exist.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many runs were new.</returns>
    Task<int> AddRunsAsync(IReadOnlyList<RunRecord> runs, CancellationToken cancellationToken = default);

    /// <summary>Reads a workload's runs, oldest first.</summary>
    /// <param name="fingerprint">The workload fingerprint.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The runs.</returns>
    Task<IReadOnlyList<RunRecord>> GetRunsAsync(string fingerprint, CancellationToken cancellationToken = default);

    /// <summary>Reads everything.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The snapshot.</returns>
    Task<RepositorySnapshot> ExportAsync(CancellationToken cancellationToken = default);

    /// <summary>Merges a snapshot in one transaction: policies replaced by name, verdicts and transitions appended, profiles and runs added when new.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task ImportAsync(RepositorySnapshot snapshot, CancellationToken cancellationToken = default);
}
