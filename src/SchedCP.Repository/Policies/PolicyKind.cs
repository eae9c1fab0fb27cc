namespace SchedCP.Repository;

/// <summary>How a policy is materialised and run.</summary>
public enum PolicyKind
{
    /// <summary>A production sched_ext scheduler shipped by sched-ext/scx as a standalone binary (needs the binary on the host); tuned through command-line flags.</summary>
    ScxBinary,

    /// <summary>One of the kernel's <c>tools/sched_ext</c> examples, built as a binary by the project's toolchain; tuned through command-line flags.</summary>
    KernelExample,

    /// <summary>A BPF object built here from the project's own source and loaded by the generic loader; tuned through <c>.rodata</c> variables.</summary>
    BpfObject,

    /// <summary>A BPF object whose source was written by an agent; tuned through <c>.rodata</c> variables and subject to promotion.</summary>
    Generated,
}
