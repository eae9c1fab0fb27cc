using SchedCP.Kernel.Loader;
using SchedCP.Kernel.Schedulers;

namespace SchedCP.Kernel.Supervision;

/// <summary>A scheduler the supervisor started and the kernel confirmed attached.</summary>
public sealed class RunningScheduler
{
    private readonly SchedulerOutputBuffer _output;

    internal RunningScheduler(SchedulerUnderTest launch, int processId, string opsName, long enableSeq, DateTimeOffset startedAt,
        SchedulerOutputBuffer output, Task<SchedulerExitReport> completion)
    {
        Launch = launch;
        ProcessId = processId;
        OpsName = opsName;
        EnableSeq = enableSeq;
        StartedAt = startedAt;
        _output = output;
        Completion = completion;
    }

    /// <summary>What was started.</summary>
    public SchedulerUnderTest Launch { get; }

    /// <summary>The process the supervisor owns (the loader or the scheduler binary).</summary>
    public int ProcessId { get; }

    /// <summary>The ops name the kernel reported in <c>root/ops</c>.</summary>
    public string OpsName { get; }

    /// <summary>The kernel's <c>enable_seq</c> for this attach.</summary>
    public long EnableSeq { get; }

    /// <summary>When the kernel confirmed the attach.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The most recent lines of the scheduler's output (bounded).</summary>
    public IReadOnlyList<string> Output => _output.Lines;

    /// <summary>Events from <c>schedcp-loader</c> (BPF objects only).</summary>
    public IReadOnlyList<LoaderEvent> LoaderEvents => _output.LoaderEvents;

    /// <summary>Completes when the scheduler ends, however it ends.</summary>
    public Task<SchedulerExitReport> Completion { get; }

    /// <inheritdoc />
    public override string ToString() => $"{OpsName} (pid {ProcessId}, enable_seq {EnableSeq})";
}
