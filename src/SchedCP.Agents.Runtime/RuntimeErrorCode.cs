namespace SchedCP.Agents.Runtime;

/// <summary>The kind of an expected failure returned by the runtime.</summary>
public enum RuntimeErrorCode
{
    /// <summary>The input was malformed; the message says which field and how to fix it.</summary>
    InvalidInput,
    /// <summary>The caller holds no live lease covering the work unit it tried to use.</summary>
    NotClaimed,
    /// <summary>The presented fencing token is not the current token of a live lease (the lease expired or was re-granted).</summary>
    StaleFencingToken,
    /// <summary>The lease does not exist: it expired, was released, or belongs to another agent.</summary>
    LeaseNotFound,
    /// <summary>Waiting for the claim would close a cycle of agents waiting on each other.</summary>
    DeadlockDetected,
    /// <summary>The agent already has a claim waiting; one agent waits for one claim at a time.</summary>
    AlreadyWaiting,
    /// <summary>The claim stopped waiting because its agent was terminated.</summary>
    ClaimCancelled,
    /// <summary>A patch did not match the current content of the file.</summary>
    PatchBaseMismatch,
    /// <summary>A file or directory does not exist.</summary>
    NotFound,
    /// <summary>An environment variable was requested that is not on the allow-list.</summary>
    EnvironmentVariableNotAllowed,
    /// <summary>A process could not be started.</summary>
    ProcessStartFailed,
    /// <summary>A change set could not be applied or reverted because the files changed since.</summary>
    ChangeSetConflict,
    /// <summary>An artifact id does not name a stored artifact.</summary>
    ArtifactNotFound,
    /// <summary>The operation is not allowed in the agent's current lifecycle state.</summary>
    InvalidState,
    /// <summary>An I/O operation failed.</summary>
    IoFailure,
    /// <summary>A claim asked to be granted at once conflicts with a live lease or an earlier waiting request.</summary>
    WouldWait,
    /// <summary>An input is larger than the runtime keeps (an artifact's content, a name); the message names the limit.</summary>
    LimitExceeded,
}
