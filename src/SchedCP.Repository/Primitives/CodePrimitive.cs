namespace SchedCP.Repository;

/// <summary>
/// A small, composable building block of a sched_ext scheduler, described for an agent that composes new schedulers.
/// The BPF C lives in <see cref="SnippetPath"/>, is embedded in this package, and is assembled into a scheduler by
/// <see cref="SchedulerComposer"/>; the verifier's sandbox compiles and loads the result.
/// </summary>
public sealed record CodePrimitive
{
    /// <summary>Unique name, also the snippet name (for example <c>order_vtime</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Which part of a scheduler it fills.</summary>
    public required PrimitiveCategory Category { get; init; }

    /// <summary>What it does, when to use it and what it costs.</summary>
    public required string Description { get; init; }

    /// <summary>Path of the BPF C snippet relative to the repository root (under <c>bpf/primitives/</c>).</summary>
    public required string SnippetPath { get; init; }

    /// <summary>The <c>sched_ext_ops</c> callbacks the snippet implements or hooks (for example <c>enqueue</c>, <c>dispatch</c>).</summary>
    public IReadOnlyList<string> Callbacks { get; init; } = [];

    /// <summary>The <c>.rodata</c> parameters the snippet reads.</summary>
    public IReadOnlyList<ParameterSchema> Parameters { get; init; } = [];

    /// <summary>Primitives that must be composed with this one.</summary>
    public IReadOnlyList<string> Requires { get; init; } = [];
}
