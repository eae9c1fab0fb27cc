namespace SchedCP.Kernel.Sandbox;

/// <summary>
/// One job for the sandbox guest: a POSIX shell script run as root inside the guest, with the host's root
/// filesystem visible read-only. The script starts in the job folder (<c>$SCHEDCP_JOB</c>, i.e. <c>/tmp/job</c>),
/// the only place it can write that the host sees; files it writes under <c>out/</c> are collected.
/// </summary>
public sealed class SandboxJob
{
    private readonly Dictionary<string, string> _inputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _inputDirectories = new(StringComparer.Ordinal);

    /// <summary>Creates a job from a shell script.</summary>
    /// <param name="name">A short name for logs and the job folder; letters, digits, '-' and '_'.</param>
    /// <param name="script">The script body, run by <c>/bin/sh</c> in the guest.</param>
    public SandboxJob(string name, string script)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(script);
        Name = name;
        Script = script;
    }

    /// <summary>The job's name.</summary>
    public string Name { get; }

    /// <summary>The script run in the guest.</summary>
    public string Script { get; }

    /// <summary>A per-job wall-clock limit; null uses <see cref="SandboxOptions.Timeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>A per-job CPU count; null uses <see cref="SandboxOptions.CpuCount"/>.</summary>
    public int? CpuCount { get; init; }

    /// <summary>Files copied into the job folder before boot, by name relative to it.</summary>
    public IReadOnlyDictionary<string, string> Inputs => _inputs;

    /// <summary>Folders copied (recursively) into the job folder before boot, by name relative to it.</summary>
    public IReadOnlyDictionary<string, string> InputDirectories => _inputDirectories;

    /// <summary>
    /// Copies a host folder into the job folder under <paramref name="nameInJob"/> before boot: how a job gets build
    /// output that may live in a host folder the guest cannot see (the guest has its own <c>/tmp</c>).
    /// </summary>
    /// <param name="nameInJob">The relative folder name inside the job folder.</param>
    /// <param name="hostDirectory">The host folder to copy.</param>
    /// <returns>This job, for chaining.</returns>
    public SandboxJob WithInputDirectory(string nameInJob, string hostDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameInJob);
        ArgumentException.ThrowIfNullOrWhiteSpace(hostDirectory);
        _inputDirectories[nameInJob] = hostDirectory;
        return this;
    }

    /// <summary>Copies a host file into the job folder under <paramref name="nameInJob"/> before boot.</summary>
    /// <param name="nameInJob">The relative file name inside the job folder.</param>
    /// <param name="hostPath">The host file to copy.</param>
    /// <returns>This job, for chaining.</returns>
    public SandboxJob WithInput(string nameInJob, string hostPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameInJob);
        ArgumentException.ThrowIfNullOrWhiteSpace(hostPath);
        _inputs[nameInJob] = hostPath;
        return this;
    }
}
