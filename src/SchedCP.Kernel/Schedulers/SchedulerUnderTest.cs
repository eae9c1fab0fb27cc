namespace SchedCP.Kernel.Schedulers;

/// <summary>A scheduler to run: a BPF object through <c>schedcp-loader</c>, or a scheduler binary. Used by trials and the supervisor.</summary>
public abstract record SchedulerUnderTest
{
    /// <summary>The ops name the kernel is expected to report in <c>root/ops</c> once attached, when known.</summary>
    public string? ExpectedOpsName { get; init; }
}

/// <summary>
/// A sched_ext BPF object (<c>.bpf.o</c>) loaded by <c>schedcp-loader</c>, with <c>.rodata</c> parameters set before load.
/// </summary>
/// <param name="ObjectPath">The host path of the object; it is copied into the job folder.</param>
public sealed record BpfObjectScheduler(string ObjectPath) : SchedulerUnderTest
{
    /// <summary>Read-only variables to set before load, by name; values are integers, true/false, or strings.</summary>
    public IReadOnlyDictionary<string, string> Rodata { get; init; } = new Dictionary<string, string>();

    /// <summary>Overrides the scheduler's watchdog timeout (<c>ops.timeout_ms</c>).</summary>
    public TimeSpan? WatchdogTimeout { get; init; }

    /// <summary>
    /// The <c>schedcp-loader</c> arguments that load this object: each <c>.rodata</c> variable as <c>--set</c> (in a
    /// stable order), the watchdog override, then the object's path as the loader will see it.
    /// </summary>
    /// <param name="objectPath">Where the loader finds the object (a path in the guest's job folder, or on the host).</param>
    public IReadOnlyList<string> LoaderArguments(string objectPath)
    {
        var args = new List<string>();
        foreach (var (key, value) in Rodata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            args.Add("--set");
            args.Add($"{key}={value}");
        }

        if (WatchdogTimeout is { } wd)
        {
            args.Add("--timeout-ms");
            args.Add(((long)wd.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        args.Add(objectPath);
        return args;
    }
}

/// <summary>A scheduler binary (an scx scheduler or one of the kernel's examples) started as a process.</summary>
/// <param name="BinaryPath">The host path of the binary; it is copied into the job folder.</param>
public sealed record ScxBinaryScheduler(string BinaryPath) : SchedulerUnderTest
{
    /// <summary>Arguments, already validated against the scheduler's parameter schema.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>
    /// A CPU the process must start on (through <c>taskset</c>), for schedulers whose init must run on a particular
    /// CPU: scx_central refuses to initialise anywhere but its central CPU 0.
    /// </summary>
    public int? PinnedCpu { get; init; }
}
