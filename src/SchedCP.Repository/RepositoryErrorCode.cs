namespace SchedCP.Repository;

/// <summary>What kind of expected failure a repository operation ran into.</summary>
public enum RepositoryErrorCode
{
    /// <summary>No policy with the given name exists in the repository.</summary>
    UnknownPolicy,

    /// <summary>A parameter name is not part of the policy's schema.</summary>
    UnknownParameter,

    /// <summary>A parameter value does not parse, is out of range or does not match its pattern.</summary>
    InvalidParameterValue,

    /// <summary>The policy has no preset for the requested mode.</summary>
    UnknownPreset,

    /// <summary>The policy document itself is malformed (names, hashes, schema).</summary>
    InvalidPolicy,

    /// <summary>A policy with that name already exists and may not be replaced.</summary>
    DuplicatePolicy,

    /// <summary>The requested lifecycle change is not allowed from the policy's current state.</summary>
    InvalidTransition,

    /// <summary>The verifier's verdicts are missing or did not all pass.</summary>
    VerdictNotPassed,

    /// <summary>Promotion to production needs a signed deployment receipt and none could be validated.</summary>
    ReceiptRejected,

    /// <summary>A workload profile or run refers to something that is not recorded.</summary>
    UnknownWorkload,

    /// <summary>A run record is malformed (metrics, repeats, baseline).</summary>
    InvalidRun,

    /// <summary>An import document could not be read.</summary>
    InvalidImport,

    /// <summary>A composition names a code primitive the repository does not have.</summary>
    UnknownPrimitive,

    /// <summary>A composition lacks a primitive for a category every scheduler needs, or one a chosen primitive requires.</summary>
    MissingPrimitive,

    /// <summary>A composition names two primitives of the same category, or two that declare the same <c>.rodata</c> variable.</summary>
    ConflictingPrimitives,

    /// <summary>The primitive describes a building block of an existing scheduler but has no BPF snippet to compose.</summary>
    PrimitiveNotComposable,

    /// <summary>The policy's requirements (its scx binary, a sched_ext host) are not met where it was asked to run; choose a policy that runs there.</summary>
    RequirementsNotMet,

    /// <summary>A policy, workload or candidate name does not follow <see cref="PolicyName"/>'s rule; rename it.</summary>
    InvalidName,

    /// <summary>The repository database path is not a usable SQLite file (a directory, a device, another kind of file, or in a folder that does not exist).</summary>
    InvalidDatabase,
}
