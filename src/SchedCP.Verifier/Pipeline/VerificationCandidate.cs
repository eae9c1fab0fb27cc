namespace SchedCP.Verifier.Pipeline;

/// <summary>
/// A scheduler to verify: BPF C source to compile, or an already compiled object, with the <c>.rodata</c> parameters it
/// will be loaded with.
/// </summary>
/// <param name="Name">The policy name, used in verdicts and tokens.</param>
public sealed record VerificationCandidate(string Name)
{
    /// <summary>The BPF C source file; the compile stage turns it into <see cref="ObjectPath"/>.</summary>
    public string? SourcePath { get; init; }

    /// <summary>A compiled <c>.bpf.o</c>; required when there is no source.</summary>
    public string? ObjectPath { get; init; }

    /// <summary>Read-only variables set before load, by name (validated values from the repository's parameter schema).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>The ops name the kernel should report once attached (<c>root/ops</c>), when known.</summary>
    public string? ExpectedOpsName { get; init; }

    /// <summary>The workload the scheduler is meant to improve, measured by the performance gate; null skips that gate's measurement.</summary>
    public SchedCP.Kernel.Workloads.BenchmarkWorkload? TargetWorkload { get; init; }

    /// <summary>The KPI of <see cref="TargetWorkload"/> the performance gate compares (e.g. <c>makespan_ms</c>, <c>p99_us</c>).</summary>
    public string TargetMetric { get; init; } = "makespan_ms";

    /// <summary>True when a lower <see cref="TargetMetric"/> is better (times, latencies); false for throughputs.</summary>
    public bool LowerIsBetter { get; init; } = true;

    /// <summary>Creates a candidate from BPF C source.</summary>
    /// <param name="name">The policy name.</param>
    /// <param name="sourcePath">The <c>.bpf.c</c> file.</param>
    public static VerificationCandidate FromSource(string name, string sourcePath) => new(name) { SourcePath = sourcePath };

    /// <summary>Creates a candidate from a compiled object.</summary>
    /// <param name="name">The policy name.</param>
    /// <param name="objectPath">The <c>.bpf.o</c> file.</param>
    public static VerificationCandidate FromObject(string name, string objectPath) => new(name) { ObjectPath = objectPath };
}
